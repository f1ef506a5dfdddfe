/**
 * Step 4, review: officials deciding on records through the HTTP API, each decision going
 * API → Temporal update of the agency's run → decideRecords activity → PostgreSQL, with the
 * whole system as `npm start` runs it: embedded PostgreSQL (persistent, fsync on), the Temporal
 * dev server (SQLite), the worker in its own process, and the Fastify API on 127.0.0.1 in this
 * one, logging at the production level to a file. Targets on our 2-core machine: ≥ 500
 * decisions/s and p99 ≤ 150 ms.
 *
 * Set-up (not measured): agencies of Hà Nội (2025 communes), each with books of 200 generated
 * birth records seeded set-based in PostgreSQL (bypassing the Excel import), one agency run per
 * agency started with the input the province run gives its children (no province run above
 * them), and every page imported through the real scan import (a zip per agency, by an update
 * of its run), which attaches the pages and opens the books in the run's state. One official
 * (user, login) per book.
 *
 * Measured: the load a province's officials make when they work at the target's pace. Each
 * official starts at a random moment of the first interval (they do not all arrive in the same
 * millisecond), claims its book, and from then on, once per interval, lists the next page of its
 * book's records waiting for review (GET, scanned, state imported; a page is the API's default
 * page, 50) and approves them (POST, one decision per record, the pages those attached now). The
 * interval is set so the officials together offer `--rate` decisions per second (default 550,
 * a tenth above the target, so the rate met is not the offer's rounding); a loop that overruns
 * its interval starts the next one at once. `--rate 0` is a closed loop instead: every official
 * back to back, one request in flight each, which measures capacity, not latency. Approved
 * records are transferred by the runs meanwhile, as they are in use.
 *
 *   npm run bench -- review [--officials 200] [--seconds 60] [--agencies officials/2] [--page 50] [--rate 550]
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { Pool } from 'pg';
import { createLocalContentStore } from '../activities/files/content-store';
import { dataPaths } from '../activities/files/data-paths';
import { catalogAgency } from '../api/repositories/agency-catalog';
import { createUsersRepository } from '../api/repositories/users';
import { bookKey, DEFAULT_NAMING_RULE, formatBookName, formatScanName, numberKey } from '../domain/naming/scan-name';
import { agencyWorkflowId, provinceRunId, provinceRunWorkflowId, type AgencyRunState } from '../domain/runs/province-run';
import { generateProvinceExport } from '../domain/synthetic/province-export';
import { unitCatalog } from '../domain/units/catalog';
import { minimalPdf } from '../formats/pdf/minimal-pdf';
import { StreamingZipWriter } from '../formats/zip/streaming-zip-writer';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { freePort } from '../platform/ports';
import { startSystem } from '../platform/supervisor';
import { createAgencyImports } from '../services/agency-imports';
import type { AgencyRunInput, agencyRun } from '../workflows/agency-run';
import { agencyRunProgress } from '../workflows/definitions';
import { fmt, peak, seconds } from './support/measure';
import { descendants, percentile, rssByServer, serverOf as serverNameOf, type ProcessSample } from './support/processes';

const TARGET = { decisionsPerSecond: 500, p99Ms: 150 } as const;
const PROVINCE = '01';
const RECORDS_PER_BOOK = 200;
const BOOK_YEAR = 2020;
const PASSWORD = 'mat-khau-bench-review-1';
/** Pixels of each generated page: the decisions never read a page, so a small PDF does. */
const PAGE_WIDTH = 16;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, `width` at a time. */
async function eachLimited<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}


interface Book {
  agencyCode: string;
  unitCode: string;
  bookNumber: string;
  official: string;
}

/** Generated births of the given books, inserted set-based as imported records. */
async function seedRecords(pool: Pool, books: readonly Book[]): Promise<void> {
  const generated = generateProvinceExport({ provinceCode: PROVINCE, records: Math.ceil(books.length * RECORDS_PER_BOOK * 2.2), seed: 29 });
  const births = (function* () {
    for (const row of generated) if (row.type === 'KS') yield row.values;
  })();
  for (const b of books) {
    const numbers = Array.from({ length: RECORDS_PER_BOOK }, (_, i) => String(i + 1));
    const data = numbers.map((n) => {
      const v = births.next();
      if (v.done) throw new Error('the generator ran out of births');
      const registrationDate = { year: BOOK_YEAR, month: 1 + Math.floor((Number(n) - 1) / 17), day: 1 + ((Number(n) - 1) % 17) };
      return JSON.stringify({ ...v.value, agencyCode: b.agencyCode, registerType: 'KS', bookYear: BOOK_YEAR, bookNumber: b.bookNumber, registrationNumber: n, registrationDate });
    });
    await pool.query(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, registration_number, book_key, number_key, data, data_sha256)
       SELECT $1, $2, 'KS', $3, $4, x.number, $5, x.number_key, x.data, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex')
         FROM unnest($6::text[], $7::text[], $8::jsonb[]) AS x(number, number_key, data)`,
      [b.agencyCode, b.unitCode, BOOK_YEAR, b.bookNumber, bookKey(b.bookNumber), numbers, numbers.map(numberKey), data],
    );
  }
}

/** One zip of scanned pages per agency: a small, distinct PDF for every record of its books, named by the naming rule. */
async function writeScanZip(file: string, books: readonly Book[]): Promise<void> {
  const writer = new StreamingZipWriter(file);
  const pixels = Buffer.allocUnsafe(PAGE_WIDTH * PAGE_WIDTH);
  for (const b of books) {
    const folder = formatBookName({ type: 'KS', year: BOOK_YEAR, book: b.bookNumber }, DEFAULT_NAMING_RULE).slice(0, -4);
    for (let n = 1; n <= RECORDS_PER_BOOK; n++) {
      randomFillSync(pixels);
      writer.beginEntry(`${folder}/${formatScanName({ type: 'KS', year: BOOK_YEAR, book: b.bookNumber, number: String(n), page: 1 }, DEFAULT_NAMING_RULE)}`, { mtime: new Date(Date.UTC(2024, 0, 1)), level: 0 });
      writer.write(minimalPdf(pixels, PAGE_WIDTH));
      await writer.drain();
    }
  }
  await writer.close();
}

interface Sample {
  ms: number;
  ok: boolean;
}

export async function run(args: string[]): Promise<void> {
  const officials = Number(option(args, 'officials', '200'));
  const durationS = Number(option(args, 'seconds', '60'));
  const agencyCount = Number(option(args, 'agencies', String(Math.ceil(officials / 2))));
  const pageSize = Number(option(args, 'page', '50'));
  const offered = Number(option(args, 'rate', '550'));
  const paceMs = offered > 0 ? (officials * pageSize * 1000) / offered : 0;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-review-'));
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOTICH_DATA_DIR: work,
    PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    // Production refuses to start without a signing secret of its own (api/plugins/external/jwt.ts).
    JWT_SECRET: randomBytes(32).toString('hex'),
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
  };
  const config = loadConfig(env);
  // Production logging (JSON, info: a line per request), written where it costs what it costs in use.
  const logFile = path.join(work, 'hotich.log');
  const logger = createLogger(config, {}, pino.destination({ dest: logFile, sync: false, mkdir: true }));
  let t = process.hrtime.bigint();
  const system = await startSystem(config, logger, { worker: true, api: true });
  const pool = new Pool({ connectionString: system.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const connection = await Connection.connect({ address: system.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const api = system.apiUrl!;
  try {
    process.stdout.write(`system: embedded PostgreSQL, Temporal dev server, worker and API (${api}) started in ${fmt(seconds(t), 1)} s\n`);

    // Agencies of Hà Nội, officials spread over them, one book each.
    t = process.hrtime.bigint();
    const communes = unitCatalog().communes2025Of(PROVINCE);
    if (agencyCount > communes.length) throw new Error(`Hà Nội has ${communes.length} communes; asked for ${agencyCount} agencies`);
    const agencies = communes.slice(0, agencyCount).map((u) => catalogAgency(u.code)!);
    for (const a of agencies) await pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)', [a.code, a.name, a.level, a.provinceCode]);
    const books: Book[] = Array.from({ length: officials }, (_, i) => {
      const a = agencies[i % agencies.length]!;
      return { agencyCode: a.code, unitCode: a.code, bookNumber: String(Math.floor(i / agencies.length) + 1).padStart(2, '0'), official: `congchuc${String(i + 1).padStart(4, '0')}` };
    });
    await seedRecords(pool, books);
    const users = createUsersRepository(pool);
    await eachLimited(books, 4, async (b) => void (await users.create({ username: b.official, password: PASSWORD, role: 'official', agencyCode: b.agencyCode, displayName: '' })));
    process.stdout.write(`seed: ${agencies.length} agencies, ${books.length} books of ${RECORDS_PER_BOOK} birth records (${books.length * RECORDS_PER_BOOK} records), ${books.length} officials, in ${fmt(seconds(t), 1)} s\n`);

    // One agency run per agency, as the province run starts them at release.
    t = process.hrtime.bigint();
    const runId = provinceRunId(PROVINCE, createHash('sha256').update('bench-review').digest('hex'));
    for (const a of agencies) {
      const rows = books.filter((b) => b.agencyCode === a.code).length * RECORDS_PER_BOOK;
      const input: AgencyRunInput = {
        runId,
        provinceCode: PROVINCE,
        parentWorkflowId: provinceRunWorkflowId(runId),
        agency: { code: a.code, name: a.name, level: a.level as 'commune', rows, files: 1 },
        review: config.review,
      };
      await temporal.workflow.start<typeof agencyRun>('agencyRun', { taskQueue: config.temporal.taskQueue, workflowId: agencyWorkflowId(a.code, runId), args: [input] });
    }
    for (;;) {
      const registered = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM workflow_registry WHERE kind = 'agency'`)).rows[0]!.n);
      if (registered === agencies.length) break;
      await sleep(100);
    }

    // Every page through the real scan import: it attaches them and opens the books for review.
    const imports = createAgencyImports({ temporal, pool, store: createLocalContentStore(dataPaths(config).store) });
    let attached = 0;
    await eachLimited(agencies, 2, async (a) => {
      const own = books.filter((b) => b.agencyCode === a.code);
      const file = path.join(work, `scans-${a.code}.zip`);
      await writeScanZip(file, own);
      const zip = await imports.store(fs.createReadStream(file), `KS.${BOOK_YEAR}.zip`);
      fs.rmSync(file);
      const report = await imports.importScans({ agencyCode: a.code, zip, by: { username: own[0]!.official, agencyCode: a.code } });
      attached += report.counts.attached;
    });
    const states = new Map<string, AgencyRunState>();
    for (const a of agencies) states.set(a.code, await temporal.workflow.getHandle(agencyWorkflowId(a.code, runId)).query(agencyRunProgress));
    const openBooks = [...states.values()].reduce((n, s) => n + s.books.filter((b) => b.counts.imported === RECORDS_PER_BOOK && b.counts.awaitingScan === 0).length, 0);
    if (attached !== books.length * RECORDS_PER_BOOK || openBooks !== books.length) throw new Error(`set-up: ${attached} pages attached, ${openBooks} books open for review`);
    process.stdout.write(`scans: ${attached} pages imported through the agency runs (${agencies.length} zips), ${openBooks} books open for review, in ${fmt(seconds(t), 1)} s\n`);

    // Every official logs in through the API.
    const tokens = new Map<string, string>();
    await eachLimited(books, 4, async (b) => {
      const r = await fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: b.official, password: PASSWORD }) });
      if (r.status !== 200) throw new Error(`login of ${b.official}: ${r.status} ${await r.text()}`);
      tokens.set(b.official, ((await r.json()) as { token: string }).token);
    });

    // The measured window.
    const gets: Sample[] = [];
    const posts: Sample[] = [];
    const claims: Sample[] = [];
    const failures = new Map<string, number>();
    let decided = 0;
    let refused = 0;
    let booksDone = 0;
    const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
    // The officials' browsers are other machines in use: here they share the cores, and the API's process, with the
    // system, so they cost as little as a client can (node:http on kept-alive connections, not fetch's web streams).
    const agent = new http.Agent({ keepAlive: true, maxSockets: books.length });
    const request = (official: string, method: 'GET' | 'POST', url: string, body?: object) =>
      new Promise<{ status: number; payload: unknown }>((resolve, reject) => {
        const data = body ? JSON.stringify(body) : undefined;
        const req = http.request(`${api}${url}`, {
          method,
          agent,
          headers: { authorization: `Bearer ${tokens.get(official)}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch (e) {
              reject(e);
            }
          });
        });
        req.end(data);
      });
    const call = async (samples: Sample[], official: string, method: 'GET' | 'POST', url: string, body?: object): Promise<unknown> => {
      const s = process.hrtime.bigint();
      let status = 0;
      let payload: unknown;
      try {
        ({ status, payload } = await request(official, method, url, body));
      } catch (e) {
        payload = { code: (e as Error).message };
      }
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      samples.push({ ms, ok: status === 200 });
      if (status !== 200) {
        fail(`${method} ${url.split('?')[0]!.replace(/\/[0-9]{5}\//, '/:agency/')} → ${status} ${(payload as { code?: string })?.code ?? ''}`);
        return undefined;
      }
      return payload;
    };

    const cpuBefore = process.cpuUsage();
    // How long callbacks of this process (API, officials) waited for the event loop: a request queues behind them.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const childrenBefore = descendants();
    const peakIsWindowOnly = peak.reset();
    let childPeakMb = 0;
    let childPeakAt: Map<number, ProcessSample> = childrenBefore;
    const sampler = setInterval(() => {
      const now = descendants();
      const total = [...now.values()].reduce((n, p) => n + p.rssMb, 0);
      if (total > childPeakMb) {
        childPeakMb = total;
        childPeakAt = now;
      }
    }, 1000);
    const started = process.hrtime.bigint();
    const deadline = Date.now() + durationS * 1000;

    await Promise.all(
      books.map(async (b) => {
        const base = `/api/agencies/${b.agencyCode}`;
        const ref = { registerType: 'KS', unitCode: b.unitCode, bookYear: BOOK_YEAR, bookKey: b.bookNumber };
        let loopAt = Date.now() + Math.random() * paceMs;
        await sleep(loopAt - Date.now());
        if (!(await call(claims, b.official, 'POST', `${base}/books/claim`, { book: ref }))) return;
        let errorsInARow = 0;
        while (errorsInARow < 5) {
          if (paceMs > 0) {
            if (loopAt >= deadline) break;
            await sleep(loopAt - Date.now());
            loopAt = Math.max(loopAt + paceMs, Date.now());
          } else if (Date.now() >= deadline) break;
          const page = (await call(gets, b.official, 'GET', `${base}/records?type=KS&unit=${b.unitCode}&year=${BOOK_YEAR}&book=${b.bookNumber}&state=imported&scanned=true&limit=${pageSize}`)) as
            | { items: Array<{ id: number }> }
            | undefined;
          if (!page) {
            errorsInARow++;
            continue;
          }
          if (page.items.length === 0) {
            booksDone++;
            return;
          }
          const result = (await call(posts, b.official, 'POST', `${base}/decisions`, { items: page.items.map((i) => ({ recordId: i.id, kind: 'approve' })) })) as { decided: number; refused: number } | undefined;
          if (!result) {
            errorsInARow++;
            continue;
          }
          errorsInARow = 0;
          decided += result.decided;
          refused += result.refused;
        }
      }),
    );

    const elapsed = seconds(started);
    agent.destroy();
    clearInterval(sampler);
    const windowPeak = peak.mb();
    const cpu = process.cpuUsage(cpuBefore);
    loopDelay.disable();
    const childrenAfter = descendants();
    // CPU of each server over the window: the CPU time of its processes (those that ended counted in their parent's),
    // summed by the child of this process they descend from, after less before.
    const serverOf = (root: number) => serverNameOf([childrenAfter, childrenBefore], root);
    const cpuByServer = new Map<string, number>();
    for (const [sign, procs] of [[1, childrenAfter], [-1, childrenBefore]] as const) {
      for (const p of procs.values()) cpuByServer.set(serverOf(p.root), (cpuByServer.get(serverOf(p.root)) ?? 0) + sign * p.cpu);
    }
    const rssAtPeak = rssByServer(childPeakAt);

    const lat = (samples: Sample[]) => {
      const ok = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
      return { n: samples.length, ok: ok.length, p50: percentile(ok, 50), p90: percentile(ok, 90), p99: percentile(ok, 99), max: ok[ok.length - 1] ?? NaN };
    };
    const g = lat(gets);
    const p = lat(posts);
    const c = lat(claims);
    const requests = gets.length + posts.length + claims.length;
    const rate = decided / elapsed;

    // What PostgreSQL holds afterwards: every decision recorded once, on a record approved (or since transferred).
    const db = (
      await pool.query<{ decisions: string; batches: string; approved: string; transferred: string }>(
        `SELECT (SELECT count(*) FROM decisions WHERE kind = 'approve') AS decisions, (SELECT count(*) FROM review_batches) AS batches,
                (SELECT count(*) FROM records WHERE state = 'approved') AS approved, (SELECT count(*) FROM records WHERE state = 'transferred') AS transferred`,
      )
    ).rows[0]!;
    const consistent = Number(db.decisions) === decided && Number(db.approved) + Number(db.transferred) === decided;

    const line = (name: string, l: ReturnType<typeof lat>) =>
      `${name}: ${l.n} (${l.n - l.ok} failed), p50 ${fmt(l.p50, 0)} ms, p90 ${fmt(l.p90, 0)} ms, p99 ${fmt(l.p99, 0)} ms, max ${fmt(l.max, 0)} ms`;
    const cores = os.cpus().length;
    process.stdout.write(
      `load: ${books.length} officials (${fmt(books.length / agencies.length, 1)} per agency, one book each) for ${durationS} s, each in a loop: list ${pageSize} records waiting, approve them; ` +
        `${paceMs > 0 ? `a loop every ${fmt(paceMs / 1000, 1)} s per official, starts spread over the first (${fmt(offered, 0)} decisions/s offered)` : 'loops back to back (closed loop: capacity, not latency)'}\n` +
        `decisions: ${decided} decided, ${refused} refused in ${fmt(elapsed, 2)} s = ${fmt(rate, 0)} decisions/s; requests: ${requests} = ${fmt(requests / elapsed, 0)} requests/s; books finished: ${booksDone}\n` +
        `  ${line('POST decisions', p)}\n` +
        `  ${line('GET records', g)}\n` +
        `  ${line('POST claim', c)}\n` +
        (failures.size ? `  failures: ${[...failures].map(([k, n]) => `${n}× ${k}`).join('; ')}\n` : '') +
        `memory: peak RSS of this process (API + officials) ${fmt(windowPeak, 0)} MB${peakIsWindowOnly ? '' : ' (process peak, including set-up)'}; ` +
        `servers' RSS at their peak sum ${fmt(childPeakMb, 0)} MB (${[...rssAtPeak].map(([k, v]) => `${k} ${fmt(v, 0)} MB`).join(', ')}; shared memory counted per process)\n` +
        `cpu over the window (${cores} cores × ${fmt(elapsed, 1)} s = ${fmt(cores * elapsed, 1)} s): this process (API + officials) ${fmt((cpu.user + cpu.system) / 1e6, 1)} s, ` +
        `${[...cpuByServer].map(([k, v]) => `${k} ${fmt(v, 1)} s`).join(', ')}\n` +
        `event loop delay of this process: p50 ${fmt(loopDelay.percentile(50) / 1e6, 0)} ms, p99 ${fmt(loopDelay.percentile(99) / 1e6, 0)} ms, max ${fmt(loopDelay.max / 1e6, 0)} ms\n` +
        `database: ${db.decisions} approvals recorded in ${db.batches} batches; records approved ${db.approved}, transferred meanwhile ${db.transferred}: ${consistent ? 'consistent' : 'INCONSISTENT'}\n` +
        `target: ≥ ${TARGET.decisionsPerSecond} decisions/s and p99 ≤ ${TARGET.p99Ms} ms (decision POSTs): ` +
        `${rate >= TARGET.decisionsPerSecond ? 'rate met' : 'rate NOT MET'}, ${p.p99 <= TARGET.p99Ms ? 'p99 met' : 'p99 NOT MET'}\n`,
    );
    if (!consistent) process.exitCode = 1;
  } finally {
    await pool.end();
    await connection.close();
    await system.stop();
    logger.flush();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
