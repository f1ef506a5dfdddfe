/**
 * Step 3, scans: importing a zip of scanned pages (hash, check, store each PDF, attach it in
 * PostgreSQL) against merely hashing the same zip's bytes with coreutils' sha256sum (the floor),
 * in the same run. The zip holds ~100 kB PDFs stored, not deflated, as scanners' zips do,
 * named by the naming rule, with a record for each in a throwaway embedded PostgreSQL.
 * Targets: ingest ≥ 0.5 × the floor's MB/s; peak RSS of the ingest ≤ 300 MB (also for 4 GiB,
 * beyond the 2 GiB default limit, which the benchmark raises for itself).
 *
 *   npm run bench -- scans [--gib 1]
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { createLocalContentStore } from '../activities/files/content-store';
import { runScanImport } from '../activities/scans/import-scans';
import { migrateUp } from '../db/migrate';
import { DEFAULT_NAMING_RULE, formatBookName, formatScanName } from '../domain/naming/scan-name';
import { minimalPdf } from '../formats/pdf/minimal-pdf';
import { StreamingZipWriter } from '../formats/zip/streaming-zip-writer';
import { loadConfig } from '../platform/config';
import { freePort } from '../platform/ports';
import { startEmbeddedPostgres } from '../platform/services/embedded-postgres';
import { fmt, peak, seconds } from './support/measure';

const TARGET = { ratio: 0.5, rssMb: 300 } as const;
const GIB = 1024 ** 3;
const MB = 1e6;
/** 320 × 320 grey pixels: a PDF of about 103 kB, the size of a scanned A4 page. */
const PIXELS = 320 * 320;
const ENTRIES_PER_BOOK = 200;
const AGENCY = '00004';
const YEAR = 2009;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const bookOf = (i: number) => String(Math.floor(i / ENTRIES_PER_BOOK) + 1).padStart(2, '0');
const numberOf = (i: number) => String((i % ENTRIES_PER_BOOK) + 1);

/** Streamed to disk entry by entry, so generating a 4 GiB zip holds one page at a time. */
async function writeScanZip(file: string, entries: number): Promise<void> {
  const writer = new StreamingZipWriter(file);
  const pixels = Buffer.allocUnsafe(PIXELS);
  for (let i = 0; i < entries; i++) {
    randomFillSync(pixels);
    const name = formatScanName({ type: 'KS', year: YEAR, book: bookOf(i), number: numberOf(i), page: 1 }, DEFAULT_NAMING_RULE);
    writer.beginEntry(`${formatBookName({ type: 'KS', year: YEAR, book: bookOf(i) }, DEFAULT_NAMING_RULE).slice(0, -4)}/${name}`, { mtime: new Date(Date.UTC(2020, 0, 1)), level: 0 });
    writer.write(minimalPdf(pixels, 320));
    await writer.drain();
  }
  await writer.close();
}

function sha256sum(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sha256sum', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited with ${code}`))));
  });
}


export async function run(args: string[]): Promise<void> {
  const gib = Number(option(args, 'gib', '1'));
  const entries = Math.round((gib * GIB) / (PIXELS + 900));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scans-'));
  const postgres = await startEmbeddedPostgres({ dir: path.join(work, 'pg'), port: await freePort(), password: 'bench-only', persistent: false });
  const pool = new Pool({ connectionString: postgres.url('postgres'), max: 4 });
  // Stopping the server at the end (or after a failure) ends idle connections: not news.
  pool.on('error', () => undefined);
  try {
    await migrateUp(postgres.url('postgres'));
    let t = process.hrtime.bigint();
    const zipFile = path.join(work, 'KS.2009.zip');
    await writeScanZip(zipFile, entries);
    const store = createLocalContentStore(path.join(work, 'store'));
    const zip = await store.put(fs.createReadStream(zipFile, { highWaterMark: 1 << 20 }));
    fs.rmSync(zipFile);
    await pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ($1, 'UBND phường Trúc Bạch', 'commune', '01')`, [AGENCY]);
    await pool.query(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
       SELECT $1, $1, 'KS', $2, lpad(((i / $3) + 1)::text, 2, '0'), ((i % $3) + 1)::text, ((i / $3) + 1)::text, ((i % $3) + 1)::text, '{}', repeat('0', 64)
         FROM generate_series(0, $4 - 1) i`,
      [AGENCY, YEAR, ENTRIES_PER_BOOK, entries],
    );
    const zipMb = zip.size / MB;
    process.stdout.write(`input: ${entries} PDFs in a ${fmt(zip.size / GIB, 2)} GiB stored zip, with ${entries} records, made in ${fmt(seconds(t), 1)} s\n`);

    const zipPath = store.localPath(zip.sha256);
    t = process.hrtime.bigint();
    await sha256sum(zipPath);
    const floorSeconds = seconds(t);

    const defaults = loadConfig({ ...process.env, NODE_ENV: 'test' }).imports;
    const limits = { ...defaults, scanZipMaxBytes: Math.max(defaults.scanZipMaxBytes, zip.size), scanExpandedMaxBytes: Math.max(defaults.scanExpandedMaxBytes, zip.size) };
    const peakIsIngestOnly = peak.reset();
    t = process.hrtime.bigint();
    const report = await runScanImport({ pool, store, limits }, { importKey: 'bench', agencyCode: AGENCY, actor: 'bench', zip: { sha256: zip.sha256, name: 'KS.2009.zip' } });
    const ingestSeconds = seconds(t);
    const ingestPeak = peak.mb();

    const floor = zipMb / floorSeconds;
    const ingest = zipMb / ingestSeconds;
    const ratio = ingest / floor;
    const c = report.counts;
    process.stdout.write(
      `floor (sha256sum of the zip): ${fmt(floorSeconds, 2)} s = ${fmt(floor, 0)} MB/s\n` +
        `ingest: ${c.entries} entries (${c.attached} attached, ${c.rejected} rejected, ${c.unmatched} unmatched, ${c.missingPages} missing) in ${fmt(ingestSeconds, 2)} s = ${fmt(ingest, 0)} MB/s, ` +
        `peak RSS ${fmt(ingestPeak, 0)} MB${peakIsIngestOnly ? '' : ' (process peak, including generation)'}\n` +
        `ingest/floor = ${fmt(ratio, 2)}\n` +
        `target: ≥ ${TARGET.ratio} × floor, ≤ ${TARGET.rssMb} MB: ${ratio >= TARGET.ratio && ingestPeak <= TARGET.rssMb ? 'met' : 'NOT MET'}\n`,
    );
  } finally {
    await pool.end();
    await postgres.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
