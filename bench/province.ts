/**
 * A whole province, as `npm start` runs it: embedded PostgreSQL (persistent, fsync on), the
 * Temporal dev server (SQLite), the worker in its own process and the Fastify API in this one
 * (platform/supervisor.ts), production logging to a file. The province is generated (not timed)
 * with every book scanned; then, timed stage by stage:
 *
 * - receive: the coordinator registers the package from the inbox, until it waits for the handover;
 * - split: the handover confirmed, until the split waits for release;
 * - custodians: every former unit (divided communes, abolished districts) given its custodian,
 *   its first candidate, in one table, as a coordinator decides them;
 * - import: released with every agency importing its own split files, until all have;
 * - scans: every unit's zip (the books `hotich gen` scans, in one zip per unit as a commune's
 *   scanning contractor hands them over) imported by an official of its custodian, two at a time;
 * - approvals: an official per agency, through the HTTP API, listing the next page of records
 *   waiting (50) and approving it, back to back until none is left (capacity, not latency);
 * - transfer: every agency asked to send now, until every record is in CSDLHTĐT (the runs'
 *   completion after it is shown apart).
 *
 * The province is generated into a temporary folder removed at the end, or, with `--generated
 * <dir>`, into that folder and kept: a later run of the same records and seed finds it there (its
 * manifest, test/support/generated-province.ts, names records, seed, the generator's version, the
 * files' sizes and the package's SHA-256) and uses it again, and a folder holding anything else is
 * refused. Its zips are then kept, not deleted as they are imported.
 *
 * The coordinator's and officials' calls other than the approvals go to the services the API's
 * routes call (services/), in this process. Each stage is held against its floor, measured on the
 * same input in the same run (bench/support/floors.ts). Transfers wait for the officials'
 * "send now" (batches of 10,000, an hour's delay), so the approvals and the transfer are timed
 * apart. Targets on our 2-core machine for 1,000,000 records: the machine's work (receive, split,
 * import, scans, transfer) under 5 minutes; approvals at ≥ 500 decisions/s.
 *
 *   npm run bench -- province [--records 200000] [--seed 1] [--generated <dir>]
 *
 * Prints one table and writes it to bench/results/<date>-province-<records>.json.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { Pool } from 'pg';
import { createLocalContentStore } from '../activities/files/content-store';
import { dataPaths } from '../activities/files/data-paths';
import { createUsersRepository } from '../api/repositories/users';
import { loadConfig } from '../platform/config';
import { embeddedOwnerUrl } from '../platform/database-url';
import { createLogger } from '../platform/logger';
import { freePort } from '../platform/ports';
import { startSystem } from '../platform/supervisor';
import { createAgencyImports } from '../services/agency-imports';
import { createAgencyReview } from '../services/agency-review';
import { createProvinceRuns } from '../services/province-runs';
import { reuseOrWriteProvince, writeProvince } from '../test/support/generated-province';
import { deliverPackage, waitUntil, wholeProvince, type ProvinceSystem } from '../test/support/whole-province';
import { copyFloor, insertSelectFloor, readFloor, sha256Floor, type Floor } from './support/floors';
import { fmt, seconds } from './support/measure';
import { pgWaitSampler } from './support/pg-waits';
import { descendants, percentile, rssByServer } from './support/processes';

const TARGET = { machineSecondsAtMillion: 300, decisionsPerSecond: 500 } as const;
const PROVINCE = '01';
const PAGE = 50;
const SERVERS = ['API', 'worker process', 'PostgreSQL', 'Temporal dev server'] as const;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

interface Stage {
  stage: string;
  input: string;
  seconds: number;
  /** Units per second, and the unit. */
  rate: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  peakRssMb: Record<string, number>;
  /** What PostgreSQL's busy backends were doing during the stage (bench/support/pg-waits.ts). */
  pgWaits: Array<{ what: string; share: number }>;
  floor?: { what: string; rate: number; ratio: number };
  machineWork: boolean;
}

/**
 * Peak memory of each server while a stage runs, sampled twice a second: this process's RSS for the
 * API, and for the others the PSS of their processes summed (PostgreSQL's backends share its
 * buffers: their RSS summed would count them once per backend).
 */
function rssSampler() {
  let peaks: Record<string, number> = {};
  const sample = () => {
    const now = rssByServer(descendants(), 'pssMb');
    now.set('API', process.memoryUsage.rss() / (1024 * 1024));
    for (const [k, v] of now) if (v > (peaks[k] ?? 0)) peaks[k] = v;
  };
  const timer = setInterval(sample, 500);
  return {
    /** The peaks since the last call, and a new start. */
    take(): Record<string, number> {
      sample();
      const p = peaks;
      peaks = {};
      return p;
    },
    stop: () => clearInterval(timer),
  };
}

export async function run(args: string[]): Promise<void> {
  const records = Number(option(args, 'records', '200000'));
  const seed = Number(option(args, 'seed', '1'));
  if (!Number.isInteger(records) || records < 1000) throw new Error(`--records must be a whole number ≥ 1000, not ${option(args, 'records', '')}`);
  const generated = option(args, 'generated', '');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-province-'));
  // As root the embedded PostgreSQL runs as a user of its own, who must reach its folder through this one.
  fs.chmodSync(work, 0o755);

  // Before the system starts, so that this process's peak RSS so far is the generator's.
  let t = process.hrtime.bigint();
  const opts = { provinceCode: PROVINCE, records, seed };
  // Stopped while generating: a temporary province (some 20 GB at a million) is not left behind; a kept one is generated again next time.
  const generationStopped = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: generation stopped\n`);
    fs.rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', generationStopped);
  process.once('SIGTERM', generationStopped);
  const gen = await (generated ? reuseOrWriteProvince(path.resolve(generated), opts) : writeProvince(path.join(work, `gen-${PROVINCE}-${seed}`), opts).then((files) => ({ files, reused: false })))
    .catch((e: unknown) => {
      fs.rmSync(work, { recursive: true, force: true });
      throw e;
    })
    .finally(() => {
      process.off('SIGINT', generationStopped);
      process.off('SIGTERM', generationStopped);
    });
  const genSeconds = seconds(t);
  const genPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOTICH_DATA_DIR: path.join(work, 'data'),
    PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    JWT_SECRET: randomBytes(32).toString('hex'),
    HOTICH_TRANSFER_BATCH_SIZE: '10000',
    HOTICH_TRANSFER_DELAY_SECONDS: '3600',
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
  };
  const config = loadConfig(env);
  const logger = createLogger(config, {}, pino.destination({ dest: path.join(work, 'hotich.log'), sync: false, mkdir: true }));
  t = process.hrtime.bigint();
  const started = await startSystem(config, logger, { worker: true, api: true });
  // Stopped by hand (Ctrl-C, a kill) in an unattended run: the servers go with it, not left running on the machine.
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping the system\n`);
    void started.stop().finally(() => {
      fs.rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const pool = new Pool({ connectionString: started.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const owner = new Pool({ connectionString: embeddedOwnerUrl(config), max: 2 });
  owner.on('error', () => undefined);
  const connection = await Connection.connect({ address: started.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const sampler = rssSampler();
  const waits = pgWaitSampler(owner);
  const loadAtStart = os.loadavg();
  try {
    const paths = dataPaths(config);
    const store = createLocalContentStore(paths.store);
    const imports = createAgencyImports({ temporal, pool, store });
    const users = createUsersRepository(pool);
    const system: ProvinceSystem = {
      dir: work,
      paths,
      pool,
      temporal,
      runs: createProvinceRuns({ temporal, pool, paths, taskQueue: config.temporal.taskQueue, review: config.review }),
      imports,
      review: createAgencyReview({ temporal, pool, imports }),
      async addUser(username, role, scope) {
        await users.create({ username, password: `mat-khau-${username}-1`, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: '' });
      },
    };
    process.stdout.write(`system: embedded PostgreSQL, Temporal dev server, worker process and API (${started.apiUrl}) started in ${fmt(seconds(t), 1)} s\n`);

    deliverPackage(system, gen.files);
    const packageFile = path.join(paths.inbox, gen.files.packageName);
    const packageMb = fs.statSync(packageFile).size / (1024 * 1024);
    const scanFiles = gen.files.scans.map((s) => s.file);
    const scansMb = scanFiles.reduce((n, f) => n + fs.statSync(f).size, 0) / (1024 * 1024);
    process.stdout.write(
      `generated (not timed): ${records} records of province ${PROVINCE} in a ${fmt(packageMb, 1)} MB workbook, ${gen.files.pages} scanned pages in ${gen.files.scans.length} zips, one per unit, (${fmt(scansMb, 1)} MB), ` +
        `${gen.reused ? `found in ${generated} and checked` : `generated${generated ? ` into ${generated}` : ''}`} in ${fmt(genSeconds, 1)} s, peak RSS ${fmt(genPeakRssMb, 0)} MB\n`,
    );

    const stages: Stage[] = [];
    const province = wholeProvince(system, gen.files);
    sampler.take();
    const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMb: Record<string, number>; pgWaits: Array<{ what: string; share: number }> }> => {
      sampler.take();
      waits.take();
      const s = process.hrtime.bigint();
      const value = await fn();
      return { value, seconds: seconds(s), peakRssMb: sampler.take(), pgWaits: waits.take() };
    };
    const against = (rate: number, floor: Floor) => ({ what: floor.what, rate: floor.amount / floor.seconds, ratio: rate / (floor.amount / floor.seconds) });
    const say = (s: Stage) => process.stdout.write(`  ${s.stage}: ${fmt(s.seconds, 1)} s, ${fmt(s.rate, 0)} ${s.unit}${s.floor ? `; floor ${fmt(s.floor.rate, 0)}, ratio ${fmt(s.floor.ratio, 2)}` : ''}\n`);

    // Receive.
    const received = await timed(() => province.receive());
    const hashFloor = await sha256Floor([packageFile]);
    stages.push({ stage: 'receive', input: `${fmt(packageMb, 1)} MB workbook`, seconds: received.seconds, rate: packageMb / received.seconds, unit: 'MB/s', peakRssMb: received.peakRssMb, pgWaits: received.pgWaits, floor: against(packageMb / received.seconds, hashFloor), machineWork: true });
    say(stages.at(-1)!);

    // Split.
    const split = await timed(async () => {
      await province.confirm();
      return province.waitSplit();
    });
    const manifest = split.value;
    const splitFloor = await readFloor(packageFile);
    stages.push({ stage: 'split', input: `${records} rows → ${manifest.agencies.length} agencies`, seconds: split.seconds, rate: records / split.seconds, unit: 'rows/s', peakRssMb: split.peakRssMb, pgWaits: split.pgWaits, floor: against(records / split.seconds, splitFloor), machineWork: true });
    say(stages.at(-1)!);

    // Custodians.
    const held = manifest.exceptionRows;
    const custodians = await timed(() => province.decideCustodians());
    stages.push({ stage: 'custodians', input: `${custodians.value} former units (${held} rows held)`, seconds: custodians.seconds, rate: custodians.value / custodians.seconds, unit: 'units/s', peakRssMb: custodians.peakRssMb, pgWaits: custodians.pgWaits, machineWork: false });
    say(stages.at(-1)!);

    // Release and every agency's import.
    const imported = await timed(() => province.releaseAndImport());
    const recordsNow = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM records')).rows[0]!.n);
    const importFloor = await copyFloor(owner);
    stages.push({ stage: 'import', input: `${recordsNow} rows in ${province.manifest().agencies.reduce((n, a) => n + a.files.length, 0)} files`, seconds: imported.seconds, rate: recordsNow / imported.seconds, unit: 'rows/s', peakRssMb: imported.peakRssMb, pgWaits: imported.pgWaits, floor: against(recordsNow / imported.seconds, importFloor), machineWork: true });
    say(stages.at(-1)!);

    // Scans, two zips at a time; each zip deleted once imported, so the pages are on disk about twice at most (zips and store), unless kept for another run.
    const scanFloor = await sha256Floor(scanFiles);
    const scanned = await timed(async () => {
      const queue = [...gen.files.scans];
      let failed: unknown;
      // A lane that fails stops both, and both end before the error leaves (nothing left calling a closed connection).
      await Promise.all(
        [0, 1].map(async () => {
          for (let s = queue.shift(); s && failed === undefined; s = queue.shift()) {
            try {
              await province.importScans(s);
            } catch (e) {
              failed ??= e;
              return;
            }
            if (!generated) fs.rmSync(s.file);
          }
        }),
      );
      if (failed !== undefined) throw failed;
    });
    stages.push({ stage: 'scans', input: `${gen.files.pages} pages in ${gen.files.scans.length} zips, ${fmt(scansMb, 0)} MB`, seconds: scanned.seconds, rate: scansMb / scanned.seconds, unit: 'MB/s', peakRssMb: scanned.peakRssMb, pgWaits: scanned.pgWaits, floor: against(scansMb / scanned.seconds, scanFloor), machineWork: true });
    say(stages.at(-1)!);

    // Approvals through the API, an official per agency, back to back.
    const agencies = await province.agencies();
    const tokens = new Map<string, string>();
    for (const code of agencies) {
      const username = province.officialOf(code).username;
      if ((await pool.query('SELECT 1 FROM users WHERE username = $1', [username])).rowCount === 0) await system.addUser(username, 'official', { agencyCode: code });
      const r = await fetch(`${started.apiUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `mat-khau-${username}-1` }) });
      if (r.status !== 200) throw new Error(`log-in of ${username}: ${r.status} ${await r.text()}`);
      tokens.set(code, ((await r.json()) as { token: string }).token);
    }
    const agent = new http.Agent({ keepAlive: true, maxSockets: agencies.length });
    const request = (code: string, method: 'GET' | 'POST', url: string, body?: object) =>
      new Promise<{ status: number; payload: unknown }>((resolve, reject) => {
        const data = body ? JSON.stringify(body) : undefined;
        const req = http.request(`${started.apiUrl}${url}`, {
          method,
          agent,
          headers: { authorization: `Bearer ${tokens.get(code)}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        });
        req.end(data);
      });
    const postMs: number[] = [];
    let decided = 0;
    const approvals = await timed(() =>
      Promise.all(
        agencies.map(async (code) => {
          const base = `/api/agencies/${code}`;
          for (;;) {
            const page = await request(code, 'GET', `${base}/records?state=imported&scanned=true&limit=${PAGE}`);
            if (page.status !== 200) throw new Error(`GET records of ${code}: ${page.status} ${JSON.stringify(page.payload)}`);
            const items = (page.payload as { items: Array<{ id: number }> }).items;
            if (items.length === 0) return;
            const s = process.hrtime.bigint();
            const r = await request(code, 'POST', `${base}/decisions`, { items: items.map((i) => ({ recordId: i.id, kind: 'approve' })) });
            postMs.push(Number(process.hrtime.bigint() - s) / 1e6);
            if (r.status !== 200) throw new Error(`POST decisions of ${code}: ${r.status} ${JSON.stringify(r.payload)}`);
            const result = r.payload as { decided: number; refused: number };
            if (result.refused !== 0) throw new Error(`${result.refused} approvals of ${code} refused`);
            decided += result.decided;
          }
        }),
      ),
    );
    agent.destroy();
    postMs.sort((a, b) => a - b);
    stages.push({
      stage: 'approvals',
      input: `${decided} decisions, ${agencies.length} officials, pages of ${PAGE}`,
      seconds: approvals.seconds,
      rate: decided / approvals.seconds,
      unit: 'decisions/s',
      p50Ms: percentile(postMs, 50),
      p99Ms: percentile(postMs, 99),
      peakRssMb: approvals.peakRssMb,
      pgWaits: approvals.pgWaits,
      machineWork: false,
    });
    say(stages.at(-1)!);

    // Transfer of all.
    const transferFloor = await insertSelectFloor(owner);
    const transferredBefore = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE state = 'transferred'`)).rows[0]!.n);
    const transferred = await timed(async () => {
      for (const code of agencies) await province.transferNow(code);
      await waitUntil('every record transferred', async () => (Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM records WHERE state <> 'transferred'`)).rows[0]!.n) === 0 ? true : undefined), 3_600_000, 250);
    });
    const toTransfer = recordsNow - transferredBefore;
    stages.push({ stage: 'transfer', input: `${toTransfer} records${transferredBefore ? ` (${transferredBefore} left in full batches during the approvals)` : ''}`, seconds: transferred.seconds, rate: toTransfer / transferred.seconds, unit: 'records/s', peakRssMb: transferred.peakRssMb, pgWaits: transferred.pgWaits, floor: against(toTransfer / transferred.seconds, transferFloor), machineWork: true });
    say(stages.at(-1)!);
    t = process.hrtime.bigint();
    await province.waitCompleted(3_600_000);
    const completionSeconds = seconds(t);

    // What the database holds at the end: nothing lost, nothing twice.
    const end = (
      await owner.query<{ records: string; transferred: string; target: string; approvals: string; pages: string }>(
        `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM records WHERE state = 'transferred') AS transferred,
                (SELECT count(DISTINCT idempotency_key) FROM csdlhtdt.civil_status_records) AS target, (SELECT count(*) FROM decisions WHERE kind = 'approve') AS approvals,
                (SELECT count(*) FROM attachments) AS pages`,
      )
    ).rows[0]!;
    // Every row of the package, once its former units have custodians, is a record with its page, approved and transferred once.
    const consistent = province.manifest().rowsWritten === records && [end.records, end.transferred, end.target, end.approvals, end.pages].every((v) => Number(v) === records);

    const machine = stages.filter((s) => s.machineWork).reduce((n, s) => n + s.seconds, 0);
    const approvalsRate = stages.find((s) => s.stage === 'approvals')!.rate;
    const machineTarget = (TARGET.machineSecondsAtMillion * records) / 1_000_000;
    const atMillion = records === 1_000_000;
    printTable(stages);
    for (const st of stages) process.stdout.write(`  PostgreSQL during ${st.stage}: ${st.pgWaits.map((w) => `${w.what} ${fmt(w.share * 100, 0)}%`).join(', ') || 'no busy backend seen'}\n`);
    const verdict =
      `machine's work (receive + split + import + scans + transfer): ${fmt(machine, 1)} s for ${records} records; target at 1,000,000: < ${TARGET.machineSecondsAtMillion} s` +
      (atMillion ? `: ${machine < TARGET.machineSecondsAtMillion ? 'met' : 'NOT MET'}` : ` (its linear share at ${records}: ${fmt(machineTarget, 0)} s: ${machine < machineTarget ? 'within' : 'NOT within'} it; the target itself is for a run of 1,000,000)`) +
      `\napprovals: ${fmt(approvalsRate, 0)} decisions/s; target ≥ ${TARGET.decisionsPerSecond}: ${approvalsRate >= TARGET.decisionsPerSecond ? 'met' : 'NOT MET'}` +
      `\nruns completed ${fmt(completionSeconds, 1)} s after the last transfer; end: ${end.records} records, ${end.pages} pages, ${end.approvals} approvals, ${end.transferred} transferred, ${end.target} rows in CSDLHTĐT: ${consistent ? 'consistent' : 'INCONSISTENT'}\n`;
    process.stdout.write(verdict);
    for (const s of stages.filter((x) => x.floor && x.floor.ratio < 0.25)) process.stdout.write(`  far from its floor: ${s.stage} at ${fmt(s.floor!.ratio, 2)} × ${s.floor!.what}\n`);

    const date = new Date().toISOString().slice(0, 10);
    const out = path.join(__dirname, 'results', `${date}-province-${records}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const result = {
      bench: 'province',
      date: new Date().toISOString(),
      records,
      seed,
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg() },
      stages,
      machineWorkSeconds: machine,
      targets: { ...TARGET, machineWorkMet: atMillion ? machine < TARGET.machineSecondsAtMillion : null, approvalsMet: approvalsRate >= TARGET.decisionsPerSecond },
      completionSeconds,
      end: Object.fromEntries(Object.entries(end).map(([k, v]) => [k, Number(v)])),
      consistent,
    };
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`written: ${path.relative(process.cwd(), out)}\n`);
    if (!consistent) process.exitCode = 1;
  } finally {
    sampler.stop();
    waits.stop();
    await pool.end();
    await owner.end();
    await connection.close();
    await started.stop();
    logger.flush();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function printTable(stages: Stage[]): void {
  const head = ['stage', 'input', 'wall s', 'throughput', 'p50/p99 ms', ...SERVERS.map((s) => `peak ${s.split(' ')[0]} MB`), 'floor', 'ratio'];
  const rows = stages.map((s) => [
    s.stage,
    s.input,
    fmt(s.seconds, 1),
    `${fmt(s.rate, 0)} ${s.unit}`,
    s.p50Ms === undefined ? '' : `${fmt(s.p50Ms, 0)}/${fmt(s.p99Ms!, 0)}`,
    ...SERVERS.map((k) => fmt(s.peakRssMb[k] ?? 0, 0)),
    s.floor ? `${s.floor.what}: ${fmt(s.floor.rate, 0)} ${s.unit}` : '',
    s.floor ? fmt(s.floor.ratio, 2) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}
