/**
 * The whole system as production runs it (province-through-api.ts), a generated province taken
 * through the four steps by people's requests. Then:
 *
 * - the log of the API and worker processes holds none of the province's names, personal ID
 *   numbers or dates of birth;
 * - every route Fastify registered answers every role (and anonymous), in the caller's scope
 *   and outside it, as api/access-table.ts says: a route without a row fails here, by name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createUsersRepository } from '../../api/repositories/users';
import { ACCESS_TABLE, type AccessRow, type AccessScope } from '../../api/access-table';
import { buildApp } from '../../api/app';
import { catalogAgency } from '../../api/repositories/agency-catalog';
import { routeKey } from '../../api/upload-limits';
import { ROLES, type Role } from '../../domain/access';
import { displayValue } from '../../domain/profiles/cell-values';
import { fieldsOf } from '../../domain/registers/register-types';
import { generateProvinceExport } from '../../domain/synthetic/province-export';
import { generateExport } from '../../cli/gen/generate';
import type { Defect } from '../../domain/synthetic/defects';
import { foldKey } from '../../domain/text/normalize';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/logger';
import * as XLSX from '@e965/xlsx';
import { EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHEET, MANIFEST_FILE, PLACEMENT_COLUMN, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { dataPaths } from '../../activities/files/data-paths';
import { waitFor, unitOf } from '../review/review-support';
import { connectTestTemporal } from '../support/temporal';
import { multipartForm, PASSWORD, startThroughApi, type Answer, type ThroughApi } from './province-through-api';

jest.setTimeout(600_000);

const SEED = 24;
const RECORDS = 300;
const DEFECTS: Defect[] = ['required-missing', 'date-invalid', 'text-tcvn3'];
/** An agency of another province (Hồ Chí Minh City), with records, files and imports of its own. */
const OTHER_PROVINCE = { province: '79', agency: '26737' };
const CORRECTED_NAME = 'Phạm Thị Thu Hương';
/** The account the account routes disable, enable and give a password. */
const CHANGED_ACCOUNT = 'kiemtoan-doi';
const ABSENT = { run: (province: string) => `${province}-ffffffffffffffff`, agency: '99999', id: 2_000_000_000, sha256: 'f'.repeat(64), province: '98' };

let sys: ThroughApi;
/** What the review left: the records decided, a book of the agency. */
const seen = { searchedName: '', approved: [] as number[], undecided: 0, book: undefined as undefined | Record<string, unknown>, otherRun: '', otherRunWorkflow: '' };

beforeAll(async () => {
  sys = await startThroughApi({ name: 'access', seed: SEED, records: RECORDS, defects: DEFECTS });
  expect(await sys.call('POST', '/api/users', { token: await sys.token('quantri'), json: { username: CHANGED_ACCOUNT, password: PASSWORD, role: 'auditor', provinceCode: '01' } })).toMatchObject({ status: 201 });
  const official = await sys.token('congchuc');
  const as = (method: string, url: string, json?: unknown) => sys.call(method, url, { token: official, json });
  // Step 4: the official searches a name, opens records and their pages, claims a book, decides records in a page, transfers.
  const list = await as('GET', `/api/agencies/${sys.agency}/records?scanned=true&limit=500`);
  const items = list.body.items as Array<{ id: number; name: string; registerType: string; unitCode: string; bookYear: number; bookKey: string; pages: number }>;
  expect(items.length).toBeGreaterThanOrEqual(8);
  seen.searchedName = items[0]!.name;
  const found = await as('GET', `/api/agencies/${sys.agency}/records?${new URLSearchParams({ q: seen.searchedName })}`);
  expect(found.body.total).toBeGreaterThan(0);
  const detail = await as('GET', `/api/records/${items[0]!.id}`);
  expect((await fetch(`${sys.url}${(detail.body.pages as Array<{ url: string }>)[0]!.url}`, { headers: { authorization: `Bearer ${official}` } })).status).toBe(200);
  const first = items[0]!;
  const book = { registerType: first.registerType, unitCode: first.unitCode, bookYear: first.bookYear, bookKey: first.bookKey };
  seen.book = book;
  expect(await as('POST', `/api/agencies/${sys.agency}/books/claim`, { book })).toMatchObject({ status: 200 });
  const [corrected, rejected, ...approved] = items.slice(0, 7);
  const decided = await as('POST', `/api/agencies/${sys.agency}/decisions`, {
    items: [
      { recordId: corrected!.id, kind: 'correct', reasonCode: 'DATA_DIFFERS', comment: 'Sửa họ tên theo sổ', fields: { [nameFieldOf(corrected!.registerType)]: CORRECTED_NAME } },
      { recordId: rejected!.id, kind: 'reject', reasonCode: 'PAGE_UNREADABLE' },
      ...approved.map((r) => ({ recordId: r.id, kind: 'approve' })),
    ],
  });
  expect(decided).toMatchObject({ status: 200, body: { refused: 0 } });
  seen.approved = approved.map((r) => r.id);
  seen.undecided = items[7]!.id;
  expect(await as('POST', `/api/agencies/${sys.agency}/transfers`)).toMatchObject({ status: 200 });
  await waitFor('the approved records to reach CSDLHTĐT', async () => {
    const t = await as('GET', `/api/agencies/${sys.agency}/transfers`);
    return ((t.body.byState as Record<string, number>).transferred ?? 0) >= approved.length ? true : undefined;
  });
  expect(await as('POST', `/api/agencies/${sys.agency}/books/release`, { book })).toMatchObject({ status: 200 });
  // Log-ins typed wrong, one with a personal ID number where the user name goes.
  const someId = personalValues().ids[0]!;
  for (const username of ['congchuc', someId]) expect((await sys.call('POST', '/api/auth/login', { json: { username, password: 'sai-mat-khau' } })).status).toBe(401);
  // The auditor and the coordinator read the run.
  for (const who of ['kiemtoan01', 'dieuphoi01']) expect((await sys.call('GET', `/api/runs/${sys.runId}/per-day`, { token: await sys.token(who) })).status).toBe(200);

  // A second package of the province, delivered and waiting for its handover to be confirmed.
  const second = await generateExport({ provinceCode: '01', records: 40, seed: SEED + 1, out: path.join(sys.gen, 'second'), format: 'xlsx' });
  secondRun.bytes = fs.readFileSync(path.join(sys.gen, 'second', second.files[0]!));
  const registered = await sys.call('POST', '/api/runs/upload', {
    token: await sys.token('dieuphoi01'),
    form: multipartForm(
      { provinceCode: '01', sha256: createHash('sha256').update(secondRun.bytes).digest('hex'), deliveredBy: 'C06', channel: 'Mạng truyền số liệu chuyên dùng' },
      { name: 'goi-thu-hai.xlsx', bytes: secondRun.bytes },
    ),
  });
  expect(registered).toMatchObject({ status: 202 });
  secondRun.runId = registered.body.runId as string;
  await waitForPhase(secondRun.runId, 'awaiting_handover');

  // Another province's run, registered by its own coordinator, and another province's agency with a record, a file and an import.
  const other = await sys.call('POST', '/api/runs', {
    token: await sys.token('dieuphoi79'),
    json: { provinceCode: '79', inboxPath: sys.packageName, sha256: sys.sha256, deliveredBy: 'C06', channel: 'Mạng truyền số liệu chuyên dùng' },
  });
  expect(other.status).toBe(202);
  seen.otherRun = other.body.runId as string;
  seen.otherRunWorkflow = other.body.workflowId as string;
  const z = catalogAgency(OTHER_PROVINCE.agency)!;
  await sys.db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [z.code, z.name, z.level, z.provinceCode]);
  const neighbour = catalogAgency(sys.neighbour)!;
  await sys.db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [neighbour.code, neighbour.name, neighbour.level, neighbour.provinceCode]);
  for (const agency of [sys.neighbour, z.code]) {
    const province = agency === z.code ? z.provinceCode : '01';
    const rec = await sys.db.pool.query<{ id: string }>(
      `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256)
       VALUES ($1, $1, 'KS', 1999, '77', '77', '1', '1', '{}', $2) RETURNING id`,
      [agency, '0'.repeat(64)],
    );
    const sha = (agency === z.code ? 'a' : 'b').repeat(64);
    await sys.db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, 1, 'application/pdf') ON CONFLICT DO NOTHING`, [sha]);
    await sys.db.pool.query(`INSERT INTO file_owners (sha256, province_code, agency_code, original_name) VALUES ($1, $2, $3, 'KS.1999.77.1.pdf')`, [sha, province, agency]);
    const imp = await sys.db.pool.query<{ id: string }>(
      `INSERT INTO imports (import_key, kind, agency_code, register_type, actor, source_name, source_sha256, status) VALUES ($1, 'excel', $2, 'KS', 'khac', 'KS.xls', $3, 'completed') RETURNING id`,
      [`other-${agency}`, agency, sha],
    );
    others[agency] = { record: Number(rec.rows[0]!.id), file: sha, import: Number(imp.rows[0]!.id) };
  }
  await sys.db.pool.query(`INSERT INTO workflow_registry (workflow_id, kind, province_code, agency_code, started_by) VALUES ($1, 'agency', '01', $2, 'khac') ON CONFLICT DO NOTHING`, [
    `agency/${sys.neighbour}/${sys.runId}`,
    sys.neighbour,
  ]);
}, 600_000);

/** A person's name in the data dictionary: every such column is headed "Họ và tên …". */
const isPersonName = (f: { labelVi: string }) => f.labelVi.startsWith('Họ và tên');
/** A field of the register type that holds a person's full name. */
const nameFieldOf = (type: string) => fieldsOf(type as Parameters<typeof fieldsOf>[0]).find(isPersonName)!.key;

afterAll(async () => {
  await sys?.stop();
});

const others: Record<string, { record: number; file: string; import: number }> = {};

/** Every name, personal ID number and date of birth the generator put in the province's export, and the name a correction typed. */
function personalValues(): { names: string[]; ids: string[]; dates: string[] } {
  const names = new Set<string>([CORRECTED_NAME]);
  const ids = new Set<string>();
  const dates = new Set<string>();
  for (const row of generateProvinceExport({ provinceCode: '01', records: RECORDS, seed: SEED, defects: DEFECTS, scannedRatio: 0.6 })) {
    for (const field of fieldsOf(row.type)) {
      const shown = displayValue(field, row.values[field.key]);
      if (!shown) continue;
      if (isPersonName(field)) names.add(shown.normalize('NFC'));
      else if (field.type === 'personalId' || field.type === 'oldIdCard') ids.add(shown);
      else if (/dateOfBirth$/i.test(field.key) && /^\d{2}\/\d{2}\/\d{4}$/.test(shown)) dates.add(shown);
    }
  }
  return { names: [...names], ids: [...ids], dates: [...dates] };
}

test('the logs of the API and worker processes hold no name, personal ID number or date of birth of the province', () => {
  const raw = fs.readFileSync(sys.logFile, 'utf8');
  const lines = raw.split('\n').filter(Boolean);
  // The log is there and says what happened: the requests of the run, the review and the search (its query without its value).
  expect(lines.length).toBeGreaterThan(200);
  expect(lines.filter((l) => l.includes('"process":"worker"')).length).toBeGreaterThan(10);
  expect(lines.filter((l) => l.includes(`/api/agencies/${sys.agency}/records?q=`))).toHaveLength(1);
  // Read as a person would: URL escapes decoded (a form's + is a space), and without accents or case.
  const decoded = raw.replace(/\+/g, ' ').replace(/(%[0-9A-Fa-f]{2})+/g, (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const folded = foldKey(decoded);
  const { names, ids, dates } = personalValues();
  expect(names.length).toBeGreaterThan(RECORDS);
  expect(ids.length).toBeGreaterThan(50);
  expect(names).toContain(seen.searchedName);
  const found = [
    ...names.filter((n) => decoded.includes(n) || (n.length >= 10 && folded.includes(foldKey(n)))),
    ...ids.filter((id) => new RegExp(`(^|\\D)${id}(\\D|$)`).test(decoded)),
    ...dates.filter((d) => decoded.includes(d)),
  ];
  expect(found).toEqual([]);
});

type Scope = 'own' | 'other' | 'absent';
type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = [...ROLES, 'anonymous'];
const USER_OF: Record<Role, string> = { admin: 'quantri', coordinator: 'dieuphoi01', official: 'congchuc', auditor: 'kiemtoan01' };

interface Cell {
  key: string;
  caller: Caller;
  scope: 'own' | 'other';
}

/** The value of a path parameter for a caller in a scope: own, another's (of the same province for an official), or one that exists nowhere. */
function paramValue(param: string, routeScope: AccessScope, caller: Caller, scope: Scope, ids: Ids): string {
  const official = caller === 'official';
  const agencyOther = official ? sys.neighbour : OTHER_PROVINCE.agency;
  switch (param) {
    case 'provinceCode':
      return scope === 'own' ? '01' : scope === 'other' ? OTHER_PROVINCE.province : ABSENT.province;
    case 'runId':
      // An official's other scope is another agency of the same run.
      if (scope === 'own' || (official && routeScope === 'run-agency')) return sys.runId;
      return scope === 'other' ? seen.otherRun : ABSENT.run(OTHER_PROVINCE.province);
    case 'agencyCode':
      if (scope === 'own') return sys.agency;
      if (scope === 'other') return agencyOther;
      return routeScope === 'run-agency' && !official ? OTHER_PROVINCE.agency : ABSENT.agency;
    case 'recordId':
      return String(scope === 'own' ? ids.record : scope === 'other' ? others[agencyOther]!.record : ABSENT.id);
    case 'sha256':
      return scope === 'own' ? ids.file : scope === 'other' ? others[agencyOther]!.file : ABSENT.sha256;
    case 'importId':
      return String(scope === 'own' ? ids.import : scope === 'other' ? others[agencyOther]!.import : ABSENT.id);
    case 'username':
      // An account the requests change, made for them (the table's callers must stay as they are).
      return CHANGED_ACCOUNT;
    case 'workflowId':
      return encodeURIComponent(
        scope === 'own' ? `agency/${sys.agency}/${sys.runId}` : scope === 'other' ? (official ? `agency/${sys.neighbour}/${sys.runId}` : seen.otherRunWorkflow) : `agency/${ABSENT.agency}/${ABSENT.run('01')}`,
      );
    default:
      throw new Error(`no value for the path parameter :${param}: add one in paramValue`);
  }
}

/** Own resources the requests name, found once the review is over. */
interface Ids {
  record: number;
  file: string;
  import: number;
  excel: { name: string; bytes: Buffer };
  zip: { unitCode: string; name: string; bytes: Buffer };
  /** The run's exceptions workbook with one row placed by hand. */
  placements: Buffer;
  undecided: Array<{ unitCode: string; agencyCode: string }>;
}

interface Request {
  json?: unknown;
  form?: FormData;
  query?: string;
  /** Path parameters in the caller's own scope other than paramValue's. */
  own?: Record<string, string>;
  /** Sent as another account of the caller's role, when the request changes its caller's account. */
  token?: string;
}
interface RequestContext {
  ids: Ids;
  scope: Scope;
  caller: Caller;
}
let users = 0;

/** The second run of the province, waiting for its handover to be confirmed, then for its release: what those two routes act on. */
const secondRun = { runId: '', bytes: Buffer.alloc(0) };

/**
 * What each route is sent, beyond its path: a valid request of its kind, so that an admitted
 * caller in scope gets `ok`; some first put the system where that request is in order.
 */
const REQUESTS: Record<string, (ctx: RequestContext) => Request | Promise<Request>> = {
  'POST /api/auth/login': () => ({ json: { username: 'quantri', password: PASSWORD } }),
  'POST /api/users': () => ({ json: { username: `kiemtoan-moi-${++users}`, password: PASSWORD, role: 'auditor', provinceCode: '01' } }),
  'POST /api/users/:username/disable': () => ({ json: { reason: 'Kiểm thử quyền truy cập' } }),
  // A password change ends its account's other sessions: sent as an account of the caller's role made for it, signed in afresh.
  'POST /api/me/password': async ({ caller }) => {
    const json = { currentPassword: PASSWORD, newPassword: PASSWORD };
    if (caller === 'anonymous') return { json };
    const username = `doi-mat-khau.${caller}`;
    const scope = caller === 'official' ? { agencyCode: sys.agency } : caller === 'admin' ? {} : { provinceCode: '01' };
    if (!(await createUsersRepository(sys.db.pool).find(username))) await createUsersRepository(sys.db.pool).create({ username, password: PASSWORD, role: caller, ...scope });
    const login = await sys.call('POST', '/api/auth/login', { json: { username, password: PASSWORD } });
    return { json, token: login.body.token as string };
  },
  'POST /api/users/:username/enable': () => ({ json: {} }),
  'POST /api/users/:username/password': () => ({ json: { password: PASSWORD } }),
  'POST /api/runs': ({ scope }) => ({
    json: { provinceCode: scope === 'own' ? '01' : OTHER_PROVINCE.province, inboxPath: sys.packageName, sha256: sys.sha256, deliveredBy: 'C06', channel: 'Mạng truyền số liệu chuyên dùng' },
  }),
  'POST /api/runs/upload': ({ scope }) => ({
    form: multipartForm(
      { provinceCode: scope === 'own' ? '01' : OTHER_PROVINCE.province, sha256: sys.sha256, deliveredBy: 'C06', channel: 'Mạng truyền số liệu chuyên dùng' },
      { name: sys.packageName, bytes: fs.readFileSync(path.join(sys.dataDir, 'inbox', sys.packageName)) },
    ),
  }),
  'POST /api/runs/:runId/confirm-handover': () => ({ json: {}, own: { runId: secondRun.runId } }),
  'POST /api/runs/:runId/release': async ({ scope, caller }) => {
    if (scope === 'own' && caller === 'coordinator') await waitForPhase(secondRun.runId, 'awaiting_release');
    return { json: { withoutUndecided: true }, own: { runId: secondRun.runId } };
  },
  'POST /api/runs/:runId/cancel': () => ({ json: { reason: 'Kết thúc kiểm thử quyền truy cập' } }),
  'POST /api/runs/:runId/custodians': ({ ids }) => ({ json: { decisions: [ids.undecided[0]!] } }),
  'POST /api/runs/:runId/custodians/table': ({ ids }) => ({
    form: multipartForm({}, { name: 'quyet-dinh.csv', bytes: Buffer.from(`Mã đơn vị cũ,Mã cơ quan lưu giữ,Căn cứ\n${ids.undecided[1]!.unitCode},${ids.undecided[1]!.agencyCode},\n`) }),
  }),
  'POST /api/runs/:runId/exceptions/placements': ({ ids }) => ({ form: multipartForm({}, { name: 'ngoai-le-da-dien.xlsx', bytes: ids.placements }) }),
  'POST /api/agencies/:agencyCode/imports/excel': ({ ids }) => ({ form: multipartForm({ registerType: 'KS' }, ids.excel) }),
  'POST /api/agencies/:agencyCode/imports/scans': ({ ids }) => ({ form: multipartForm({ unitCode: ids.zip.unitCode }, ids.zip) }),
  'POST /api/agencies/:agencyCode/books/claim': () => ({ json: { book: seen.book } }),
  'POST /api/agencies/:agencyCode/books/release': async ({ scope }) => {
    // A claim to give back: the official holds the book (a coordinator may release anyone's claim).
    if (scope === 'own') expect(await sys.call('POST', `/api/agencies/${sys.agency}/books/claim`, { token: await sys.token('congchuc'), json: { book: seen.book } })).toMatchObject({ status: 200 });
    return { json: { book: seen.book } };
  },
  'POST /api/agencies/:agencyCode/decisions': () => ({ json: { items: [{ recordId: seen.undecided, kind: 'approve' }] } }),
  'POST /api/agencies/:agencyCode/transfers': () => ({}),
  'POST /api/agencies/:agencyCode/close': () => ({ json: { reason: 'Kết thúc kiểm thử quyền truy cập' } }),
  'GET /api/agencies/:agencyCode/decisions/mine': () => ({ query: `since=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}` }),
};

async function waitForPhase(runId: string, phase: string): Promise<void> {
  const token = await sys.token('dieuphoi01');
  await waitFor(`run ${runId} to reach ${phase}`, async () => (((await sys.call('GET', `/api/runs/${runId}`, { token })).body.progress as { phase: string }).phase === phase ? true : undefined), 120_000, 250);
}

/** Concrete addresses for the routes that end in a wildcard. */
function wildcardPath(key: string): string {
  const web = path.join(__dirname, '..', '..', 'dist', 'web');
  const firstFile = (dir: string): string => {
    const entry = fs.readdirSync(dir, { withFileTypes: true, recursive: true }).find((e) => e.isFile())!;
    return path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
  };
  switch (key) {
    case 'GET /*':
      return '/review/1';
    case 'GET /assets/*':
      return `/assets/${firstFile(path.join(web, 'assets'))}`;
    case 'GET /pdfjs/*':
      return `/pdfjs/${firstFile(path.join(web, 'pdfjs'))}`;
    case 'GET /docs/static/*':
      return '/docs/static/swagger-ui.css';
    default:
      throw new Error(`no address for the wildcard route ${key}: add one in wildcardPath`);
  }
}

/** Routes whose own-scope request changes what later cells read: sent last, in this order. */
const LAST = ['POST /api/agencies/:agencyCode/close', 'POST /api/runs/:runId/cancel'];

async function send(key: string, row: AccessRow, caller: Caller, scope: Scope, ids: Ids): Promise<Answer> {
  const [method, pattern] = key.split(' ') as [string, string];
  const request = (await REQUESTS[key]?.({ ids, scope, caller })) ?? {};
  const value = (p: string) => (scope === 'own' && request.own?.[p]) || paramValue(p, row.scope, caller, scope, ids);
  let url = pattern.endsWith('*') ? wildcardPath(key) : pattern.replace(/:([A-Za-z0-9]+)/g, (_m, p: string) => value(p));
  if (request.query) url += `?${request.query}`;
  const token = caller === 'anonymous' ? undefined : (request.token ?? (await sys.token(USER_OF[caller])));
  return sys.call(method, url, { token, json: request.json, form: request.form });
}

test('every route answers every role, in its scope and outside it, as api/access-table.ts says', async () => {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-at-least-32-characters!', LOG_LEVEL: 'silent' });
  // The routes as the API registers them, on the suite's real Temporal.
  const temporal = await connectTestTemporal();
  const app = await buildApp({ config, pool: sys.db.pool, temporal: temporal.client, logger: createLogger(config) });
  await app.ready();
  const registered = [...new Set(app.declaredRoutes.filter((r) => r.method !== 'HEAD').map((r) => routeKey(r.method, r.url)))].sort();
  await app.close();
  await temporal.teardown();
  const withoutRow = registered.filter((k) => !ACCESS_TABLE[k]);
  const withoutRoute = Object.keys(ACCESS_TABLE).filter((k) => !registered.includes(k));
  const withoutRequest = registered.filter((k) => !k.startsWith('GET ') && !REQUESTS[k]);
  expect({ withoutRow, withoutRoute, withoutRequest }).toEqual({ withoutRow: [], withoutRoute: [], withoutRequest: [] });

  const ids = await ownResources();
  const keys = [...registered.filter((k) => !LAST.includes(k)), ...LAST];
  const cells: Cell[] = keys.flatMap((key) => CALLERS.flatMap((caller) => (['own', 'other'] as const).map((scope) => ({ key, caller, scope }))));
  const wrong: string[] = [];
  for (const { key, caller, scope } of cells) {
    const row = ACCESS_TABLE[key]!;
    const got = await send(key, row, caller, scope, ids);
    const admitted = row.roles === 'public' || (caller !== 'anonymous' && row.roles.includes(caller));
    let expected: { status: number; code?: string };
    if (!admitted) expected = caller === 'anonymous' ? { status: 401, code: 'AUTH_REQUIRED' } : { status: 403, code: 'AUTH_ROLE_NOT_ALLOWED' };
    else if (scope === 'own' || row.scope === 'none' || row.roles === 'public') expected = { status: row.ok };
    else if (row.outside) expected = { status: row.outside.status, code: row.outside.code };
    else {
      // Outside the caller's scope: exactly what a resource that exists nowhere gets.
      const absent = await send(key, row, caller, 'absent', ids);
      expected = { status: 404, code: absent.body.code };
      if (absent.status !== 404) wrong.push(`${key} as ${caller}, absent: ${absent.status} ${absent.body.code ?? ''} (a missing resource must be 404)`);
    }
    if (got.status !== expected.status || (expected.code !== undefined && got.body.code !== expected.code)) {
      wrong.push(`${key} as ${caller}, ${scope} scope: ${got.status} ${got.body.code ?? ''}, expected ${expected.status} ${expected.code ?? ''}`);
    }
  }
  process.stdout.write(`access table: ${keys.length} routes × ${CALLERS.length} callers × 2 scopes = ${cells.length} cells checked\n`);
  expect(wrong).toEqual([]);
});

/** The own-scope resources the requests name: a record with a page, its file, an import with rejected rows, files to import again. */
async function ownResources(): Promise<Ids> {
  const pool = sys.db.pool;
  const record = seen.approved[1]!;
  const file = (await pool.query<{ sha256: string }>(`SELECT sha256 FROM attachments WHERE record_id = $1 LIMIT 1`, [record])).rows[0]!.sha256;
  const imported = await pool.query<{ id: string }>(`SELECT id FROM imports WHERE agency_code = $1 AND error_file IS NOT NULL ORDER BY id LIMIT 1`, [sys.agency]);
  expect(imported.rows).toHaveLength(1);
  const split = runFolders(dataPaths({ dataDir: sys.dataDir, inboxDir: path.join(sys.dataDir, 'inbox') }), sys.runId).split;
  const manifest = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const ks = manifest.agencies.find((a) => a.code === sys.agency)!.files.find((f) => f.registerType === 'KS')!;
  const book = sys.agencyBooks[0]!;
  const custodians = (await sys.call('GET', `/api/runs/${sys.runId}/custodians`, { token: await sys.token('dieuphoi01') })).body as {
    units: Array<{ unitCode: string; candidates: Array<{ code: string }>; decision?: unknown }>;
  };
  const undecided = custodians.units.filter((u) => !u.decision).map((u) => ({ unitCode: u.unitCode, agencyCode: u.candidates[0]!.code }));
  expect(undecided.length).toBeGreaterThanOrEqual(2);
  return {
    record,
    file,
    import: Number(imported.rows[0]!.id),
    excel: { name: path.basename(ks.path), bytes: fs.readFileSync(path.join(split, ks.path)) },
    zip: { unitCode: unitOf(book), name: path.basename(book.zip), bytes: fs.readFileSync(path.join(sys.gen, book.zip)) },
    placements: placedByHand(path.join(split, EXCEPTIONS_FILE)),
    undecided,
  };
}

/** The exceptions workbook as a coordinator returns it: the receiving agency filled in on its first row. */
function placedByHand(file: string): Buffer {
  const wb = XLSX.readFile(file);
  const sheet = wb.Sheets[wb.SheetNames.find((n) => n !== EXCEPTIONS_INFO_SHEET)!]!;
  XLSX.utils.sheet_add_aoa(sheet, [[sys.agency]], { origin: { r: 1, c: PLACEMENT_COLUMN } });
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
