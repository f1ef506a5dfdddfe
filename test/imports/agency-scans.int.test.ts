/**
 * Step 3, scanned pages, through the agency run on the real Temporal dev server: generated
 * provinces whose units scanned their books (the generator writes one zip per book, named by
 * the naming rule). A fully scanned agency ends with a page on every record; the same zip
 * again changes nothing; a corrected zip replaces a page and keeps the old one; a province with
 * scan defects gives missing pages, unmatched files, rejected entries and Windows names decoded.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Workers } from '../../worker/create-worker';
import yauzl from 'yauzl';
import type { ScanBook } from '../../cli/gen/scan-writer';
import { bookKey, numberKey } from '../../domain/naming/scan-name';
import type { Defect } from '../../domain/synthetic/defects';
import { agencyWorkflowId } from '../../domain/runs/province-run';
import { writeZip } from '../../formats/zip/zip-writer';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { agencyRunProgress } from '../../workflows/definitions';
import { createProvinceRunHarness, releasedRun, scratchDir, type ProvinceRunHarness } from '../support/province-runs';

let h: ProvinceRunHarness;
let worker: Workers;
let running: Promise<void>;
let gen: string;
let imports: AgencyImports;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A province with scanned books, split, released with auto-import, every agency's data imported. */
async function importedProvince(seed: number, scannedRatio: number, defects: Defect[]): Promise<{ out: string; books: ScanBook[] }> {
  const out = path.join(gen, String(seed));
  const { runId, manifest } = await releasedRun(h, { out, seed, records: 1200, scannedRatio, defects, autoImport: true });
  for (const a of manifest.agencies) {
    const handle = h.env.client.workflow.getHandle(agencyWorkflowId(a.code, runId));
    for (let i = 0; i < 600 && (await handle.query(agencyRunProgress)).importsDone < a.files.length; i++) await new Promise((r) => setTimeout(r, 200));
  }
  const books = fs.readFileSync(path.join(out, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  return { out, books };
}

const unitOf = (b: ScanBook) => b.unit.split(':')[1]!;

/** The agency whose records hold a scanned book: the split may have moved the unit's books to its successor. */
async function agencyOfBook(b: ScanBook): Promise<string | undefined> {
  const r = await h.db.pool.query<{ agency_code: string }>(
    `SELECT DISTINCT agency_code FROM records WHERE unit_code = $1 AND register_type = $2 AND book_year = $3 AND book_key = $4 AND number_key = ANY($5)`,
    [unitOf(b), b.type, b.year, bookKey(b.book), b.numbers.map(numberKey)],
  );
  return r.rows.length === 1 ? r.rows[0]!.agency_code : undefined;
}

/** Each zip is imported naming its former unit, as an official of a merged agency does. */
async function importZip(agencyCode: string, b: ScanBook, file: string) {
  const zip = await imports.store(fs.createReadStream(file), path.basename(file));
  return imports.importScans({ agencyCode, zip, unitCode: unitOf(b), by: { username: 'canbo01', agencyCode } });
}

async function entriesOf(file: string): Promise<Array<{ name: string; data: Buffer }>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const out: Array<{ name: string; data: Buffer }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, async (e, s) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        for await (const c of s) chunks.push(c as Buffer);
        out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
        zip.readEntry();
      }),
    );
    zip.on('end', resolve).on('error', reject);
    zip.readEntry();
  });
  return out;
}

beforeAll(async () => {
  h = await createProvinceRunHarness('agency-scans');
  worker = await h.createWorker();
  running = worker.run();
  gen = scratchDir('agency-scans-gen');
  imports = createAgencyImports({ temporal: h.env.client, pool: h.db.pool, store: h.store });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.close();
  fs.rmSync(gen, { recursive: true, force: true });
});

test('a fully scanned agency gets a page on every record; the same zip again changes nothing; a corrected zip replaces a page and keeps the old', async () => {
  const { out, books } = await importedProvince(81, 1, []);
  const byAgency = new Map<string, ScanBook[]>();
  for (const b of books) {
    const agency = await agencyOfBook(b);
    if (agency) byAgency.set(agency, [...(byAgency.get(agency) ?? []), b]);
  }
  // An agency all of whose records come from scanned books.
  let chosen: [string, ScanBook[]] | undefined;
  for (const [agency, its] of [...byAgency].sort((a, b) => b[1].length - a[1].length)) {
    const records = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE agency_code = $1', [agency]);
    if (Number(records.rows[0]!.n) === its.reduce((n, b) => n + b.numbers.length, 0)) {
      chosen = [agency, its];
      break;
    }
  }
  expect(chosen).toBeDefined();
  const [agency, its] = chosen!;

  for (const b of its) {
    const report = await importZip(agency, b, path.join(out, b.zip));
    expect(report.counts).toMatchObject({ entries: b.numbers.length, attached: b.numbers.length, rejected: 0, unmatched: 0, missingPages: 0 });
  }
  const bare = await h.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM records r WHERE agency_code = $1 AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.record_id = r.id)`, [agency]);
  expect(bare.rows[0]!.n).toBe('0');

  const first = its[0]!;
  const again = await importZip(agency, first, path.join(out, first.zip));
  expect(again.counts).toMatchObject({ entries: first.numbers.length, attached: 0, alreadyAttached: first.numbers.length, replaced: 0 });

  // A page scanned again (new bytes) replaces the old one, which stays in the store and in the page's history.
  const entries = await entriesOf(path.join(out, first.zip));
  const rescanned = { ...entries[0]!, data: Buffer.concat([entries[0]!.data, Buffer.from('\n% quét lại\n')]) };
  const correctedZip = path.join(gen, path.basename(first.zip));
  fs.writeFileSync(correctedZip, writeZip([rescanned, ...entries.slice(1)].map((e) => ({ name: e.name, data: e.data }))));
  const corrected = await importZip(agency, first, correctedZip);
  expect(corrected.counts).toMatchObject({ replaced: 1, alreadyAttached: first.numbers.length - 1 });
  const history = await h.db.pool.query<{ sha256: string; replaced_by: string }>(
    `SELECT h.sha256, h.replaced_by FROM attachment_history h JOIN records r ON r.id = h.record_id WHERE r.agency_code = $1`,
    [agency],
  );
  expect(history.rows).toEqual([{ sha256: sha256(entries[0]!.data), replaced_by: sha256(rescanned.data) }]);
  expect(await h.store.has(sha256(entries[0]!.data))).toBe(true);

  // The run counts every import; its state keeps the latest ones, PostgreSQL all of them.
  const state = await imports.state(agency);
  const done = await h.db.pool.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM imports WHERE agency_code = $1 AND status = 'completed' GROUP BY kind`, [agency]);
  const byKind = Object.fromEntries(done.rows.map((r) => [r.kind, Number(r.n)]));
  expect(byKind.scans).toBe(its.length + 2);
  expect(state.importsDone).toBe(byKind.scans! + byKind.excel!);
  expect(state.imports.at(-1)).toMatchObject({ kind: 'scans', importId: corrected.importId });
});

test('partial scans: missing pages are listed, pages without a record wait, bad entries are rejected, Windows names are read', async () => {
  const { out, books } = await importedProvince(82, 0.6, ['scan-missing', 'scan-orphan', 'scan-not-pdf', 'scan-cp437-name']);
  const seen = new Set<string>();
  for (const b of books.filter((x) => x.defects.length > 0)) {
    const kind = b.defects[0]!.kind;
    const agency = await agencyOfBook(b);
    if (!agency || seen.has(kind)) continue;
    seen.add(kind);
    const report = await importZip(agency, b, path.join(out, b.zip));
    const c = report.counts;
    expect(c.entries).toBe(c.rejected + c.attached + c.alreadyAttached + c.replaced + c.unmatched);
    if (kind === 'scan-missing') {
      expect(report.missingPages).toEqual([expect.objectContaining({ registerType: b.type, bookYear: b.year, registrationNumbers: [b.defects[0]!.number] })]);
    } else if (kind === 'scan-orphan') {
      expect(report.unmatched).toEqual([b.defects[0]!.entry]);
      const waiting = await h.db.pool.query('SELECT 1 FROM unmatched_scans WHERE agency_code = $1 AND number_key = $2', [agency, numberKey(b.defects[0]!.number!)]);
      expect(waiting.rowCount).toBe(1);
    } else if (kind === 'scan-not-pdf') {
      expect(report.rejected).toEqual([expect.objectContaining({ entry: b.defects[0]!.entry, reason: 'PDF_NOT_PDF' })]);
      expect(report.missingPages[0]?.registrationNumbers).toEqual([b.defects[0]!.number]);
    } else {
      expect(c).toMatchObject({ attached: b.numbers.length, rejected: 0 });
    }
  }
  expect([...seen].sort()).toEqual(['scan-cp437-name', 'scan-missing', 'scan-not-pdf', 'scan-orphan']);
});
