/**
 * A generated province taken through the four steps on a FaultSystem, stage by stage, as its
 * people would take it: the coordinator registers the package C06 delivered, confirms the
 * handover, names the custodian of every former unit (each unit's first candidate, in a table),
 * releases the split with the agencies' imports; the officials import their zips of scanned
 * pages and approve every record; the runs transfer them all and complete. A test breaks
 * something between or during stages and then lets the rest run.
 *
 * Every call a person makes is made again when it fails for a reason that is not theirs (a
 * server away, a connection lost): a lost answer is no reason to stop, and whatever was done
 * twice must show up in the final counts (final-counts.ts), which is the point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { isAppError } from '../../domain/errors';
import type { ExcelImportResult } from '../../domain/imports/import-types';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { ScanImportReport } from '../../domain/scans/scan-import';
import type { ReviewActor } from '../../domain/review/review-types';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { agencyRunProgress } from '../../workflows/definitions';
import type { FaultSystem } from './fault-system';
import { writeProvince, type ProvinceFiles, type ProvinceOptions, type UnitScans } from './generated-province';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a province needs of a system: the fault tests' (fault-system.ts) or the province bench's (bench/province.ts). */
export type ProvinceSystem = Pick<FaultSystem, 'dir' | 'paths' | 'pool' | 'temporal' | 'runs' | 'imports' | 'review' | 'addUser'>;

/** Polls until `probe` gives a value other than undefined; fails naming `what` after `timeoutMs`. A probe that throws (a server away) is asked again. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

/**
 * `work` again while it fails for a reason that is not the caller's: anything but a coded error
 * (a refusal with its code and Vietnamese message is an answer, not a failure to answer).
 */
export async function asAPersonWould<T>(what: string, work: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (e) {
      if (isAppError(e) || Date.now() > deadline) throw e;
      process.stdout.write(`  (${what} failed: ${(e as Error).message.split('\n')[0]}; again)\n`);
      await sleep(1000);
    }
  }
}

export type GeneratedProvince = ProvinceFiles;

/** The package C06 delivered put in the inbox, where the coordinator registers it from. */
export function deliverPackage(system: ProvinceSystem, files: ProvinceFiles): void {
  fs.mkdirSync(system.paths.inbox, { recursive: true });
  fs.copyFileSync(files.packageFile, path.join(system.paths.inbox, files.packageName));
}

/** `hotich gen` of the province with every book scanned (generated-province.ts), delivered to the inbox. */
export async function generateProvince(system: ProvinceSystem, opts: ProvinceOptions): Promise<GeneratedProvince> {
  const files = await writeProvince(path.join(system.dir, `gen-${opts.provinceCode}-${opts.seed}`), opts);
  deliverPackage(system, files);
  return files;
}

/** What the test asked of the system, to hold the final counts against. */
export interface Ledger {
  /** Records an official asked to approve, in pages answered or not. */
  approvalsAsked: Set<number>;
  /** How many times an answer said "decided" for each record. */
  approvalsDecided: Map<number, number>;
  /** Pages of decisions sent (each an update of an agency run), answered or not. */
  pagesSent: number;
  /** Excel files officials imported by hand (corrected split files), with the rows changed in them. */
  excelByHand: Array<{ sha256: string; changedRows: number }>;
  /** Scan zips whose import answered, by unit. */
  scanReports: Map<string, ScanImportReport[]>;
}

export interface WholeProvince {
  gen: GeneratedProvince;
  runId: string;
  coordinator: string;
  ledger: Ledger;
  manifest(): SplitManifest;
  officialOf(agencyCode: string): ReviewActor;
  /** Step 1: the package registered from the inbox; resolves once it waits for the handover's confirmation. */
  receive(): Promise<void>;
  /** The handover confirmed: the split starts (a test may break it now). */
  confirm(): Promise<void>;
  waitSplit(): Promise<SplitManifest>;
  /** Every former unit's custodian: its first candidate, in a decisions table. */
  decideCustodians(): Promise<number>;
  /** Released with every agency importing its split files itself; resolves when every agency run has imported them. */
  releaseAndImport(): Promise<void>;
  /** The agency that keeps a unit's books now (its records say so, once imported). */
  agencyOfUnit(unitCode: string): Promise<string>;
  importScans(scans: UnitScans): Promise<ScanImportReport>;
  /** An official imports a workbook by hand: a split file corrected in Excel, `changedRows` of its rows changed. */
  importExcelByHand(agencyCode: string, registerType: RegisterTypeCode, file: string, changedRows: number): Promise<ExcelImportResult>;
  /** An official asks for the approved records to leave now rather than after the delay. */
  transferNow(agencyCode: string): Promise<void>;
  /** An official approves every record of the agency with a page, `page` at a time, until none is left. */
  approveAgency(agencyCode: string, page: number): Promise<number>;
  agencies(): Promise<string[]>;
  /** Every agency run, then the province run, completed. */
  waitCompleted(timeoutMs?: number): Promise<void>;
}

export function wholeProvince(system: ProvinceSystem, gen: GeneratedProvince): WholeProvince {
  const coordinator = `dieuphoi${gen.provinceCode}`;
  const ledger: Ledger = { approvalsAsked: new Set(), approvalsDecided: new Map(), pagesSent: 0, excelByHand: [], scanReports: new Map() };
  /** Each agency's official, added once even when two imports of the agency ask at the same time. */
  const officials = new Map<string, Promise<void>>();
  let runId: string | undefined;
  const id = () => {
    if (!runId) throw new Error('the run has not started');
    return runId;
  };
  const manifest = () => JSON.parse(fs.readFileSync(path.join(runFolders(system.paths, id()).split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const officialOf = (agencyCode: string): ReviewActor => ({ username: `canbo${agencyCode}`, role: 'official', agencyCode });
  const ensureOfficial = (agencyCode: string): Promise<void> => {
    let added = officials.get(agencyCode);
    if (!added) {
      added = asAPersonWould('adding an official', async () => {
        const exists = await system.pool.query('SELECT 1 FROM users WHERE username = $1', [officialOf(agencyCode).username]);
        if (exists.rowCount === 0) await system.addUser(officialOf(agencyCode).username, 'official', { agencyCode });
      });
      officials.set(agencyCode, added);
      added.catch(() => officials.delete(agencyCode));
    }
    return added;
  };
  const agencies = async () => manifest().agencies.map((a) => a.code);

  return {
    gen,
    get runId() {
      return id();
    },
    coordinator,
    ledger,
    manifest,
    officialOf,

    async receive() {
      const started = await asAPersonWould('registering the package', () =>
        system.runs.start({
          provinceCode: gen.provinceCode,
          source: { kind: 'inbox', path: gen.packageName },
          originalName: gen.packageName,
          sha256: gen.sha256,
          deliveredBy: 'Phòng PC06, Công an tỉnh',
          channel: 'Mạng truyền số liệu chuyên dùng',
          startedBy: coordinator,
        }),
      );
      runId = started.runId;
      await asAPersonWould('waiting for the receipt', () => system.runs.waitWhile(id(), ['receiving'], undefined, 200));
    },

    async confirm() {
      await asAPersonWould('confirming the handover', () => system.runs.confirmHandover(id(), coordinator));
    },

    async waitSplit() {
      const s = await asAPersonWould('waiting for the split', () => system.runs.waitWhile(id(), ['awaiting_handover', 'splitting'], undefined, 250), 300_000);
      if (s.progress.phase !== 'awaiting_release') throw new Error(`the split ended in ${s.status} ${s.progress.phase}`);
      return manifest();
    },

    async decideCustodians() {
      const { units } = await system.runs.custodians(id());
      const table = path.join(system.dir, `custodians-${id()}.csv`);
      const lines = ['Mã đơn vị cũ,Mã cơ quan lưu giữ,Căn cứ', ...units.map((u) => `${u.unitCode},${u.candidates[0]!.code},`)];
      fs.writeFileSync(table, `${lines.join('\n')}\n`);
      const result = await asAPersonWould('deciding the custodians', () => system.runs.decideCustodiansFromTable(id(), coordinator, table, 'co-quan-luu-giu.csv'));
      if (result.undecided !== 0) throw new Error(`${result.undecided} former units left undecided`);
      return units.length;
    },

    async releaseAndImport() {
      await asAPersonWould('releasing', () => system.runs.release(id(), coordinator, undefined, { autoImport: true }));
      await asAPersonWould('waiting for the release', () => system.runs.waitWhile(id(), ['releasing'], undefined, 250));
      for (const a of manifest().agencies) {
        const handle = system.temporal.workflow.getHandle(agencyWorkflowId(a.code, id()));
        await waitUntil(`agency ${a.code}'s own imports`, async () => ((await handle.query(agencyRunProgress)).importsDone >= a.files.length ? true : undefined), 300_000);
      }
    },

    async agencyOfUnit(unitCode) {
      const r = await system.pool.query<{ agency_code: string }>('SELECT DISTINCT agency_code FROM records WHERE unit_code = $1', [unitCode]);
      if (r.rows.length !== 1) throw new Error(`unit ${unitCode}'s records are held by ${r.rows.length} agencies`);
      return r.rows[0]!.agency_code;
    },

    async importScans(scans) {
      const agencyCode = await this.agencyOfUnit(scans.unitCode);
      await ensureOfficial(agencyCode);
      const by = { username: officialOf(agencyCode).username, agencyCode };
      const report = await asAPersonWould(`importing the scans of ${scans.unitCode}`, async () => {
        const zip = await system.imports.store(fs.createReadStream(scans.file), path.basename(scans.file));
        return system.imports.importScans({ agencyCode, zip, unitCode: scans.unitCode, by });
      });
      ledger.scanReports.set(scans.unitCode, [...(ledger.scanReports.get(scans.unitCode) ?? []), report]);
      return report;
    },

    async importExcelByHand(agencyCode, registerType, file, changedRows) {
      await ensureOfficial(agencyCode);
      const by = { username: officialOf(agencyCode).username, agencyCode };
      const result = await asAPersonWould(`importing ${path.basename(file)}`, async () => {
        const source = await system.imports.store(fs.createReadStream(file), path.basename(file));
        return system.imports.importExcel({ agencyCode, registerType, source, by });
      });
      ledger.excelByHand.push({ sha256: result.source.sha256, changedRows });
      return result;
    },

    async transferNow(agencyCode) {
      await ensureOfficial(agencyCode);
      try {
        await asAPersonWould('sending approved records now', () => system.review.transferNow(agencyCode, officialOf(agencyCode)));
      } catch (e) {
        // An agency whose records have all left completes its run, maybe while it was asked: nothing is left to send.
        if (isAppError(e) && e.code === 'AGENCY_RUN_ENDED' && (await system.temporal.workflow.getHandle(agencyWorkflowId(agencyCode, id())).describe()).status.name === 'COMPLETED') return;
        throw e;
      }
    },

    async approveAgency(agencyCode, page) {
      await ensureOfficial(agencyCode);
      const by = officialOf(agencyCode);
      let approved = 0;
      let unansweredSince: number | undefined;
      for (;;) {
        const list = await asAPersonWould('listing records', () => system.review.list(agencyCode, { state: 'imported', scanned: true, limit: page, offset: 0 }));
        if (list.items.length === 0) return approved;
        ledger.pagesSent++;
        for (const i of list.items) ledger.approvalsAsked.add(i.id);
        let results;
        try {
          results = await system.review.decide(agencyCode, by, list.items.map((i) => ({ recordId: i.id, kind: 'approve' as const })));
        } catch (e) {
          // No answer: the page may have been decided or not; the list says which records still wait.
          if (isAppError(e)) throw e;
          unansweredSince ??= Date.now();
          if (Date.now() - unansweredSince > 180_000) throw new Error(`no page of approvals of ${agencyCode} answered for 3 minutes`, { cause: e });
          process.stdout.write(`  (a page of approvals got no answer: ${(e as Error).message.split('\n')[0]}; listing again)\n`);
          await sleep(1000);
          continue;
        }
        unansweredSince = undefined;
        for (const o of results.flatMap((r) => r.outcomes)) {
          // Every record listed waits for review and has its page: a refusal here would be a defect.
          if (o.outcome !== 'decided') throw new Error(`approval of record ${o.recordId} refused: ${JSON.stringify(o)}`);
          ledger.approvalsDecided.set(o.recordId, (ledger.approvalsDecided.get(o.recordId) ?? 0) + 1);
          approved++;
        }
      }
    },

    agencies,

    async waitCompleted(timeoutMs = 300_000) {
      for (const code of await agencies()) {
        const handle = system.temporal.workflow.getHandle(agencyWorkflowId(code, id()));
        await waitUntil(`agency ${code}'s run to complete`, async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined), timeoutMs, 500);
      }
      const s = await waitUntil('the province run to complete', async () => {
        const s = await system.runs.status(id());
        return s.status === 'COMPLETED' ? s : undefined;
      }, timeoutMs, 500);
      if (s.progress.phase !== 'completed') throw new Error(`the province run ended in phase ${s.progress.phase}`);
    },
  };
}
