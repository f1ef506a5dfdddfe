/**
 * Step 3, scans: a .zip of scanned register pages (one PDF per entry, named by the naming
 * rule) attached to the agency's records. The zip is read entry by entry and each accepted PDF
 * streamed into the content store once, hashed on the way; nothing touches the database until
 * the whole zip has been read. Then one transaction registers the files and attaches, replaces
 * or keeps each page, so a zip that fails half-way leaves no attachment behind (its files may
 * stay in the store, where unregistered bytes are never shown to anyone).
 *
 * Idempotent: the import key names the import; a retry of a finished import returns its
 * stored report, and a re-run after a failure stores the same bytes under the same hashes.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Context } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../db/transaction';
import { defineError, isAppError } from '../../domain/errors';
import { bookKey, checkZipName, DEFAULT_NAMING_RULE, groupPages, numberKey, parseScanName, type EntryName, type NamingRule } from '../../domain/naming/scan-name';
import type { PageGap, RejectedEntry, ScanImportCounts, ScanImportInput, ScanImportReport } from '../../domain/scans/scan-import';
import { checkPdfBytes, createPdfCheck } from '../../formats/pdf/pdf-structure';
import { isRejection } from '../../formats/rejection';
import { readZipEntries } from '../../formats/zip/safe-zip-reader';
import type { Config } from '../../platform/config';
import type { ContentStore } from '../files/content-store';
import { ImportAgencyUnknown } from '../../domain/imports/import-errors';
import { RECORD_ACTIONS } from '../../domain/records/life-cycle';
import { endAction } from '../audit/record-action';
import { lockAgencyScans } from './attach-waiting-scans';
import { attachScanPages, missingPagesOf, type PageOutcome, type ScanPage } from './scan-attachments';

export const ScanZipEmpty = defineError<{ name: string }>(
  'SCAN_ZIP_EMPTY',
  'validation',
  () => `scan zip holds no files`,
  (p) => `Tệp nén "${p.name}" không chứa tệp nào; hãy kiểm tra lại tệp trước khi tải lên.`,
);

const REJECTION_VI = {
  SCAN_DUPLICATE_PAGE: 'Có hơn một tệp cho cùng một trang của trường hợp này; chỉ tệp đầu tiên được nhận.',
  SCAN_UNIT_AMBIGUOUS: 'Cơ quan giữ sổ của nhiều xã, phường cũ đã hợp nhất, và tên tệp này ứng với bản ghi của hơn một đơn vị cũ: hãy nhập lại tệp nén và chọn đơn vị đăng ký cũ (mã xã, phường) mà sổ này thuộc về.',
  SCAN_RECORD_LOCKED: 'Bản ghi của trang này đã được phê duyệt hoặc đã chuyển vào Cơ sở dữ liệu hộ tịch điện tử: không thể thay trang quét bằng cách nhập lại.',
} as const;

/** Entries up to this size are read whole and stored from memory, without a stream chain each. */
const BUFFERED_ENTRY_MAX = 16 << 20;
/** Entries whose store writes may still be finishing while the next are read. */
const WRITES_IN_FLIGHT = 8;
/** Items of each list a workflow receives; the stored report keeps them all. */
const RETURNED_LIST_LIMIT = 100;

export interface ScanImportDeps {
  pool: Pool;
  store: ContentStore;
  limits: Config['imports'];
  rule?: NamingRule;
}

export interface ScanImportHooks {
  /** Bytes of the zip's files stored so far; called from inside streams, so it must not throw. */
  onProgress?: (bytes: number) => void;
  /** Checked between entries: an aborted import stops there and throws the signal's reason. */
  signal?: AbortSignal;
}

interface AcceptedFile {
  entryName: string;
  name: EntryName;
  sha256: string;
  size: number;
}

interface ZipContents {
  entries: number;
  accepted: AcceptedFile[];
  rejected: RejectedEntry[];
}

async function readBack(file: string, position: number, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Puts every usable PDF of the zip into the store; lists every other entry with its reason.
 * A page (up to 16 MiB, nearly all of them) is read whole, checked and stored from memory: a
 * chain of streams per page cost more than hashing and writing it. A larger entry streams into
 * the store, and its write finishes while the next entries are read, a few at a time, so memory
 * stays bounded by their stream buffers.
 */
async function storeEntries(deps: ScanImportDeps, input: ScanImportInput, rule: NamingRule, hooks: ScanImportHooks): Promise<ZipContents> {
  const limits = { maxZipBytes: deps.limits.scanZipMaxBytes, maxExpandedBytes: deps.limits.scanExpandedMaxBytes, maxEntryRatio: deps.limits.scanEntryMaxRatio };
  const entries: Array<{ accepted?: AcceptedFile; rejected?: RejectedEntry }> = [];
  const writing = new Set<Promise<void>>();
  let progressed = 0;

  const store = async (slot: (typeof entries)[number], entryName: string, name: EntryName, stream: Readable): Promise<void> => {
    const pdf = createPdfCheck();
    stream.on('error', (e) => pdf.stream.destroy(e));
    stream.pipe(pdf.stream);
    let counted = 0;
    try {
      const file = await deps.store.put(pdf.stream, (bytes) => {
        progressed += bytes - counted;
        counted = bytes;
        hooks.onProgress?.(progressed);
      });
      await pdf.confirm((position, length) => readBack(deps.store.localPath(file.sha256), position, length));
      slot.accepted = { entryName, name, sha256: file.sha256, size: file.size };
    } catch (e) {
      if (!isRejection(e)) throw e;
      slot.rejected = { entry: entryName, reason: e.code, messageVi: e.messageVi };
    }
  };

  const storeWhole = async (slot: (typeof entries)[number], entryName: string, name: EntryName, stream: Readable): Promise<void> => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const rejection = checkPdfBytes(bytes);
      if (rejection) throw rejection;
      const file = await deps.store.putBytes(bytes);
      slot.accepted = { entryName, name, sha256: file.sha256, size: file.size };
      progressed += file.size;
      hooks.onProgress?.(progressed);
    } catch (e) {
      if (!isRejection(e)) throw e;
      slot.rejected = { entry: entryName, reason: e.code, messageVi: e.messageVi };
    }
  };

  // The first failure of a write (a disk full, a zip found too large half-way) stops the import.
  let failure: { error: unknown } | undefined;
  const failed = () => {
    if (failure) throw failure.error;
  };
  try {
    for await (const item of readZipEntries(deps.store.localPath(input.zip.sha256), input.zip.name, limits)) {
      failed();
      if (hooks.signal?.aborted) throw hooks.signal.reason;
      const slot: (typeof entries)[number] = {};
      entries.push(slot);
      const entryName = item.entry.name;
      if (item.kind === 'rejected') {
        slot.rejected = { entry: entryName, reason: item.reason, messageVi: item.messageVi };
        continue;
      }
      const name = parseScanName(entryName, rule);
      if (!name.ok) {
        slot.rejected = { entry: entryName, reason: name.reason, messageVi: name.messageVi };
        continue;
      }
      if (item.entry.size <= BUFFERED_ENTRY_MAX) {
        await storeWhole(slot, entryName, name, item.stream);
        continue;
      }
      const read = finished(item.stream).catch(() => undefined);
      const write: Promise<void> = store(slot, entryName, name, item.stream)
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => writing.delete(write));
      writing.add(write);
      // On to the next entry once this one is read, or its write has ended early (a rejected PDF).
      await Promise.race([read, write]);
      while (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
    }
  } finally {
    // No write outlives the import, whether it ends or fails.
    await Promise.all(writing);
  }
  failed();
  return {
    entries: entries.length,
    accepted: entries.flatMap((e) => (e.accepted ? [e.accepted] : [])),
    rejected: entries.flatMap((e) => (e.rejected ? [e.rejected] : [])),
  };
}

/** One file per page of an entry: a second file naming the same page is rejected, the first kept. */
function pagesOf(accepted: readonly AcceptedFile[]): { pages: AcceptedFile[]; duplicates: AcceptedFile[]; gaps: PageGap[] } {
  const pages: AcceptedFile[] = [];
  const duplicates: AcceptedFile[] = [];
  const gaps: PageGap[] = [];
  for (const group of groupPages(accepted, (f) => f.name)) {
    const taken = new Set<number>();
    for (const f of group.files) {
      if (taken.has(f.name.page)) duplicates.push(f);
      else {
        taken.add(f.name.page);
        pages.push(f);
      }
    }
    if (group.missingPages.length > 0) gaps.push({ entry: group.identity, pages: group.missingPages });
  }
  return { pages, duplicates, gaps };
}

async function agencyProvince(pool: Pool, agencyCode: string): Promise<string> {
  const r = await pool.query<{ province_code: string }>('SELECT province_code FROM agencies WHERE code = $1', [agencyCode]);
  if (!r.rows[0]) throw ImportAgencyUnknown({ agencyCode });
  return r.rows[0].province_code;
}

/** The import's row, created on first use; a finished one carries the report to return again. */
async function claimImport(c: Pool | PoolClient, input: ScanImportInput): Promise<{ id: number; finished?: ScanImportReport }> {
  await c.query(
    `INSERT INTO imports (import_key, kind, agency_code, actor, workflow_id, source_name, source_sha256)
     VALUES ($1, 'scans', $2, $3, $4, $5, $6) ON CONFLICT (import_key) DO NOTHING`,
    [input.importKey, input.agencyCode, input.actor, input.workflowId ?? null, input.zip.name, input.zip.sha256],
  );
  return finishedImport(c, input.importKey, '');
}

/** `lock` is '' or 'FOR UPDATE': a second attempt running at the same time waits, then finds the import finished. */
async function finishedImport(c: Pool | PoolClient, importKey: string, lock: '' | 'FOR UPDATE'): Promise<{ id: number; finished?: ScanImportReport }> {
  const r = await c.query<{ id: string; status: string; report: ScanImportReport }>(`SELECT id, status, report FROM imports WHERE import_key = $1 ${lock}`, [importKey]);
  const row = r.rows[0]!;
  return { id: Number(row.id), finished: row.status === 'completed' ? row.report : undefined };
}

async function registerZip(c: PoolClient, input: ScanImportInput, provinceCode: string, size: number): Promise<void> {
  await c.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, $2, 'application/zip') ON CONFLICT (sha256) DO NOTHING`, [input.zip.sha256, size]);
  await c.query(`INSERT INTO file_owners (sha256, province_code, agency_code, original_name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    input.zip.sha256,
    provinceCode,
    input.agencyCode,
    input.zip.name,
  ]);
}

function toScanPage(f: AcceptedFile): ScanPage {
  return { entryName: f.entryName, registerType: f.name.type, bookYear: f.name.year, bookKey: bookKey(f.name.book), numberKey: numberKey(f.name.number), page: f.name.page, sha256: f.sha256, size: f.size };
}

interface ImportContext {
  input: ScanImportInput;
  importId: number;
  provinceCode: string;
  zipSize: number;
  rule: NamingRule;
}

/** Attaches what was read, in one transaction, and writes the report into the import's row. */
async function recordImport(c: PoolClient, ctx: ImportContext, contents: ZipContents): Promise<ScanImportReport> {
  const { input, importId } = ctx;
  const again = await finishedImport(c, input.importKey, 'FOR UPDATE');
  if (again.finished) return again.finished;
  await lockAgencyScans(c, input.agencyCode);
  await registerZip(c, input, ctx.provinceCode, ctx.zipSize);

  const { pages, duplicates, gaps } = pagesOf(contents.accepted);
  const { outcomes, reopened } = await attachScanPages(c, { agencyCode: input.agencyCode, unitCode: input.unitCode ?? '', provinceCode: ctx.provinceCode, importId }, pages.map(toScanPage));
  const namedBooks = contents.rejected.flatMap((r) => {
    const name = parseScanName(r.entry, ctx.rule);
    return name.ok ? [{ registerType: name.type, bookYear: name.year, bookKey: bookKey(name.book) }] : [];
  });
  const missingPages = await missingPagesOf(c, { agencyCode: input.agencyCode, unitCode: input.unitCode ?? '' }, namedBooks);

  const rejected: RejectedEntry[] = [
    ...contents.rejected,
    ...duplicates.map((f) => ({ entry: f.entryName, reason: 'SCAN_DUPLICATE_PAGE', messageVi: REJECTION_VI.SCAN_DUPLICATE_PAGE })),
    ...pages.filter((_, i) => outcomes[i] === 'locked').map((f) => ({ entry: f.entryName, reason: 'SCAN_RECORD_LOCKED', messageVi: REJECTION_VI.SCAN_RECORD_LOCKED })),
    ...pages.filter((_, i) => outcomes[i] === 'ambiguous').map((f) => ({ entry: f.entryName, reason: 'SCAN_UNIT_AMBIGUOUS', messageVi: REJECTION_VI.SCAN_UNIT_AMBIGUOUS })),
  ];
  const count = (o: PageOutcome) => outcomes.filter((x) => x === o).length;
  const counts: ScanImportCounts = {
    entries: contents.entries,
    rejected: rejected.length,
    attached: count('attached'),
    alreadyAttached: count('already'),
    replaced: count('replaced'),
    unmatched: count('unmatched'),
    missingPages: missingPages.reduce((n, b) => n + b.registrationNumbers.length, 0),
    bytes: pages.reduce((n, f) => n + f.size, 0),
  };
  const zipName = checkZipName(input.zip.name, contents.accepted.map((f) => f.name), ctx.rule);
  const report: ScanImportReport = {
    importId,
    importKey: input.importKey,
    agencyCode: input.agencyCode,
    zip: input.zip,
    counts,
    rejected,
    unmatched: pages.filter((_, i) => outcomes[i] === 'unmatched').map((f) => f.entryName),
    missingPages,
    pageGaps: gaps,
    ...(zipName ? { zipName } : {}),
  };
  await c.query(`UPDATE imports SET status = 'completed', counts = $2, report = $3, failure = NULL, finished_at = now() WHERE id = $1`, [
    importId,
    JSON.stringify(counts),
    JSON.stringify(report),
  ]);
  const actor = { actor: input.actor, actorRole: input.actorRole ?? 'official', provinceCode: ctx.provinceCode, agencyCode: input.agencyCode, workflowId: input.workflowId } as const;
  await endAction(c, {
    audit: [
      {
        ...actor,
        action: 'import.scans',
        subject: { kind: 'file', id: input.zip.sha256 },
        details: { importId, importKey: input.importKey, zipName: input.zip.name, unitCode: input.unitCode ?? null, counts },
        key: `import:${input.importKey}`,
      },
      ...reopened.map((r) => ({
        ...actor,
        action: RECORD_ACTIONS.attachPage.audit,
        subject: { kind: 'record', id: String(r.recordId) } as const,
        recordId: r.recordId,
        stateBefore: r.before,
        stateAfter: r.after,
        details: { importId },
      })),
    ],
  });
  return report;
}

/** The import itself, usable outside Temporal (tests, benchmarks); the activity below adds heartbeats and cancellation. */
export async function runScanImport(deps: ScanImportDeps, input: ScanImportInput, hooks: ScanImportHooks = {}): Promise<ScanImportReport> {
  const rule = deps.rule ?? DEFAULT_NAMING_RULE;
  const provinceCode = await agencyProvince(deps.pool, input.agencyCode);
  const claimed = await claimImport(deps.pool, input);
  if (claimed.finished) return claimed.finished;
  try {
    const zipSize = (await fs.promises.stat(deps.store.localPath(input.zip.sha256))).size;
    const contents = await storeEntries(deps, input, rule, hooks);
    if (contents.entries === 0) throw ScanZipEmpty({ name: input.zip.name });
    return await inTransaction(deps.pool, (c) => recordImport(c, { input, importId: claimed.id, provinceCode, zipSize, rule }, contents));
  } catch (e) {
    // Coded failures are the zip's and final; anything else (a database or disk down) leaves
    // the import running for the activity's retry.
    if (isAppError(e)) {
      await deps.pool.query(`UPDATE imports SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1 AND status <> 'completed'`, [
        claimed.id,
        JSON.stringify({ code: e.code, messageVi: e.messageVi }),
      ]);
    }
    throw e;
  }
}

/** What a workflow receives: the counts whole, each list cut to its first items. */
function forWorkflow(report: ScanImportReport): ScanImportReport {
  const lists = ['rejected', 'unmatched', 'missingPages', 'pageGaps'] as const;
  const truncated = lists.filter((l) => report[l].length > RETURNED_LIST_LIMIT);
  if (truncated.length === 0) return report;
  const cut = { ...report, truncatedLists: truncated };
  for (const l of truncated) (cut as Record<string, unknown>)[l] = report[l].slice(0, RETURNED_LIST_LIMIT);
  return cut;
}

export function createScanActivities(deps: ScanImportDeps) {
  return {
    async importScans(input: ScanImportInput): Promise<ScanImportReport> {
      const ctx = Context.current();
      return forWorkflow(await runScanImport(deps, input, { onProgress: (bytes) => ctx.heartbeat({ bytes }), signal: ctx.cancellationSignal }));
    },
  };
}
export type ScanActivities = ReturnType<typeof createScanActivities>;
