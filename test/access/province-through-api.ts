/**
 * A generated province taken through Steps 1–4 by people's requests over HTTP, on the whole
 * system as production runs it: `hotich start` with TEMPORAL_ADDRESS and DATABASE_URL set (the
 * suite's Temporal server and a database of its own), so the API and its worker process run as
 * docker-compose runs them, NODE_ENV=production, every log line of both written to one file.
 */
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUsersRepository } from '../../api/repositories/users';
import { generateExport } from '../../cli/gen/generate';
import type { ScanBook } from '../../cli/gen/scan-writer';
import type { Defect } from '../../domain/synthetic/defects';
import { freePort } from '../../platform/ports';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testEnv } from '../support/env';
import { uniqueTaskQueue } from '../support/temporal';
import { scannedBooksByAgency, unitOf, waitFor } from '../review/review-support';

const BIN = path.join(__dirname, '..', '..', 'cli', 'bin', 'hotich.js');
export const PASSWORD = 'mat-khau-kiem-thu-2026';

export interface Answer {
  status: number;
  body: { code?: string; message?: string; [k: string]: unknown };
  headers: Headers;
}

export interface ThroughApi {
  url: string;
  db: TestDatabase;
  dataDir: string;
  gen: string;
  logFile: string;
  runId: string;
  /** The agency whose official works in the test: the one with most scanned records. */
  agency: string;
  /** Another agency of the run's province. */
  neighbour: string;
  sha256: string;
  packageName: string;
  /** The scanned books the agency holds, whose zips the official imported. */
  agencyBooks: ScanBook[];
  token(username: string): Promise<string>;
  call(method: string, url: string, opts?: { token?: string; json?: unknown; form?: FormData }): Promise<Answer>;
  stop(): Promise<void>;
}

/** The API's answer, read whole: JSON when it is, else its text under `text`. */
async function answerOf(r: Response): Promise<Answer> {
  const text = await r.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = { text };
  }
  return { status: r.status, body, headers: r.headers };
}

export function multipartForm(fields: Record<string, string>, file: { name: string; bytes: Buffer }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file.bytes]), file.name);
  return form;
}

export async function startThroughApi(opts: { name: string; seed: number; records: number; defects: Defect[] }): Promise<ThroughApi> {
  const db = await createTestDatabase();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `${opts.name}-`));
  const dataDir = path.join(scratch, 'data');
  const gen = path.join(scratch, 'gen');
  const logFile = path.join(scratch, 'hotich.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await db.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const summary = await generateExport({ provinceCode: '01', records: opts.records, seed: opts.seed, out: gen, format: 'xlsx', scannedRatio: 0.6, defects: opts.defects });
    const bytes = fs.readFileSync(path.join(gen, summary.files[0]!));
    const packageName = `01-c06-${opts.seed}.xlsx`;
    fs.mkdirSync(path.join(dataDir, 'inbox'), { recursive: true });
    // The same package in the inbox: registering it again finds the run.
    fs.writeFileSync(path.join(dataDir, 'inbox', packageName), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    const users = createUsersRepository(db.pool);
    await users.create({ username: 'quantri', password: PASSWORD, role: 'admin' });
    await users.create({ username: 'dieuphoi01', password: PASSWORD, role: 'coordinator', provinceCode: '01' });
    await users.create({ username: 'dieuphoi79', password: PASSWORD, role: 'coordinator', provinceCode: '79' });
    await users.create({ username: 'kiemtoan01', password: PASSWORD, role: 'auditor', provinceCode: '01' });

    const log = fs.openSync(logFile, 'a');
    child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        LOG_LEVEL: 'debug',
        TEMPORAL_ADDRESS: testEnv('temporalAddress'),
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue(opts.name),
        DATABASE_URL: db.url,
        JWT_SECRET: 'a-secret-for-this-test-only-of-48-characters-long',
        API_PORT: String(port),
        HOTICH_DATA_DIR: dataDir,
        HOTICH_TRANSFER_DELAY_SECONDS: '1',
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    await waitFor(
      'the API to answer /health',
      async () => {
        if (child!.exitCode !== null) throw new Error(`hotich start ended: ${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
        return fetch(`${url}/health`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        );
      },
      180_000,
      250,
    );

    const call: ThroughApi['call'] = async (method, route, o = {}) => {
      const headers: Record<string, string> = {};
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | FormData | undefined;
      if (o.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.json);
      } else if (o.form) {
        body = o.form;
      }
      return answerOf(await fetch(`${url}${route}`, { method, headers, body, redirect: 'manual' }));
    };
    const tokens = new Map<string, string>();
    const token = async (username: string) => {
      if (!tokens.has(username)) {
        const r = await call('POST', '/api/auth/login', { json: { username, password: PASSWORD } });
        if (r.status !== 200) throw new Error(`log-in of ${username}: ${r.status} ${JSON.stringify(r.body)}`);
        tokens.set(username, r.body.token as string);
      }
      return tokens.get(username)!;
    };
    const progress = async (runId: string) => (await call('GET', `/api/runs/${runId}`, { token: await token('dieuphoi01') })).body.progress as { phase: string; agencies: Array<{ code: string; files: number }> };
    const waitForPhase = (runId: string, phase: string) =>
      waitFor(`run ${runId} to reach ${phase}`, async () => ((await progress(runId)).phase === phase ? true : undefined), 120_000, 250);

    // Step 1: the coordinator uploads the package with the handover minutes' SHA-256 and confirms the handover.
    const coordinator = await token('dieuphoi01');
    const started = await call('POST', '/api/runs/upload', {
      token: coordinator,
      form: multipartForm({ provinceCode: '01', sha256, deliveredBy: 'C06 Bộ Công an', channel: 'Mạng truyền số liệu chuyên dùng' }, { name: packageName, bytes }),
    });
    if (started.status !== 202) throw new Error(`upload: ${started.status} ${JSON.stringify(started.body)}`);
    const runId = started.body.runId as string;
    await waitForPhase(runId, 'awaiting_handover');
    await call('POST', `/api/runs/${runId}/confirm-handover`, { token: coordinator, json: {} });
    // Step 2: split, then released with every agency importing its own files, former units left undecided.
    await waitForPhase(runId, 'awaiting_release');
    const released = await call('POST', `/api/runs/${runId}/release`, { token: coordinator, json: { autoImport: true, withoutUndecided: true } });
    if (released.status !== 200) throw new Error(`release: ${released.status} ${JSON.stringify(released.body)}`);
    await waitForPhase(runId, 'in_progress');
    const agencies = (await progress(runId)).agencies;
    for (const a of agencies) {
      await waitFor(
        `agency ${a.code}'s auto-import`,
        async () => {
          const state = await call('GET', `/api/agencies/${a.code}/imports`, { token: coordinator });
          return state.status === 200 && (state.body.importsDone as number) >= a.files ? true : undefined;
        },
        120_000,
        250,
      );
    }

    const books = fs.readFileSync(path.join(gen, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
    const [[agency, scanBooks]] = (await scannedBooksByAgency(db.pool, books)) as [[string, ScanBook[]]];
    const neighbour = agencies.map((a) => a.code).find((c) => c !== agency) ?? '00004';
    await users.create({ username: 'congchuc', password: PASSWORD, role: 'official', agencyCode: agency });
    // Step 3: the official imports the scanned pages of the agency's books.
    const official = await token('congchuc');
    for (const b of scanBooks) {
      const r = await call('POST', `/api/agencies/${agency}/imports/scans`, {
        token: official,
        form: multipartForm({ unitCode: unitOf(b) }, { name: path.basename(b.zip), bytes: fs.readFileSync(path.join(gen, b.zip)) }),
      });
      if (r.status !== 200) throw new Error(`scans ${b.zip}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    return { url, db, dataDir, gen, logFile, runId, agency, neighbour, sha256, packageName, agencyBooks: scanBooks, token, call, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
