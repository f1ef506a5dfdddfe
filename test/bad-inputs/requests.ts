/**
 * Bad requests: JSON bodies that are malformed or hostile, query strings and path parameters
 * out of their schema, multipart bodies that are broken or say too much, bodies past their
 * limits. Each is refused before it reaches the run it names: none of them may act.
 */
import { loadConfig } from '../../platform/config';
import { MULTIPART_LIMITS, JSON_BODY_MAX_BYTES, JSON_LIMITS } from '../../api/upload-limits';
import type { BaseFiles } from './base-files';
import type { BadRequest, Caller, Category } from './corpus-types';

/**
 * Upload limits the corpus test sets (api/upload-limits.ts reads them from these settings), so
 * that oversized uploads are quick to send, yet above the largest zip bomb of the corpus (2.4 MB),
 * which is to be refused as a bomb, not for its size.
 */
export const TEST_LIMIT_ENV = { HOTICH_PACKAGE_MAX_BYTES: String(4 << 20), HOTICH_EXCEL_MAX_BYTES: String(4 << 20), HOTICH_SCAN_ZIP_MAX_BYTES: String(4 << 20) } as const;
const limitsConfig = loadConfig({ NODE_ENV: 'test', ...TEST_LIMIT_ENV });

const JSON_TYPE = { 'content-type': 'application/json' };

interface JsonRoute {
  id: string;
  url: string;
  as: Caller;
  /** A body of the right shape but for one hostile string, or undefined where even that would act. */
  withText?: (text: string) => unknown;
}

const JSON_ROUTES: JsonRoute[] = [
  { id: 'login', url: '/api/auth/login', as: 'anonymous', withText: (text) => ({ username: text, password: 'mat-khau-bat-ky' }) },
  // A book no record is in: the claim is refused whatever its key says.
  { id: 'claim', url: '/api/agencies/{agency}/books/claim', as: 'official', withText: (text) => ({ book: { registerType: 'KS', unitCode: '{agency}', bookYear: 1901, bookKey: text } }) },
  { id: 'run-from-inbox', url: '/api/runs', as: 'coordinator', withText: (text) => ({ provinceCode: '01', inboxPath: text, sha256: 'a'.repeat(64), deliveredBy: 'C06', channel: 'USB' }) },
  { id: 'decisions', url: '/api/agencies/{agency}/decisions', as: 'official' },
  { id: 'custodians', url: '/api/runs/{run}/custodians', as: 'coordinator' },
  { id: 'release', url: '/api/runs/{run}/release', as: 'coordinator' },
  { id: 'cancel', url: '/api/runs/{run}/cancel', as: 'coordinator' },
  { id: 'close-agency', url: '/api/agencies/{agency}/close', as: 'coordinator' },
];

/** What no JSON route may take, whatever it expects. */
const MALFORMED: Array<{ id: string; category: Category; body: Buffer | string; headers?: Record<string, string> }> = [
  { id: 'truncated', category: 'json', body: '{"items": [{"recordId": 1, "kind": "appr' },
  { id: 'trailing-garbage', category: 'json', body: '{"reason": "x"} và thêm' },
  { id: 'not-json', category: 'json', body: 'ten=an&mat-khau=1' },
  { id: 'empty', category: 'json', body: '' },
  { id: 'array', category: 'json', body: '[]' },
  { id: 'null', category: 'json', body: 'null' },
  { id: 'string', category: 'json', body: '"lý do"' },
  { id: 'number', category: 'json', body: '12' },
  { id: 'deep-nesting', category: 'json', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { id: 'deep-objects', category: 'json', body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` },
  { id: 'proto-pollution', category: 'json', body: '{"__proto__": {"role": "admin"}, "reason": "x"}' },
  { id: 'constructor-prototype', category: 'json', body: '{"constructor": {"prototype": {"role": "admin"}}}' },
  { id: 'invalid-utf8', category: 'encoding', body: Buffer.concat([Buffer.from('{"reason": "'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')]) },
  { id: 'latin1-declared', category: 'encoding', body: Buffer.from('{"reason": "Lý do"}', 'latin1'), headers: { 'content-type': 'application/json; charset=iso-8859-1' } },
  { id: 'utf16-body', category: 'encoding', body: Buffer.from('{"reason": "x"}', 'utf16le') },
  { id: 'bom-first', category: 'encoding', body: '\uFEFF{"reason": x}' },
  { id: 'text-plain', category: 'json', body: '{"reason": "x"}', headers: { 'content-type': 'text/plain' } },
  { id: 'xml', category: 'json', body: '<reason>x</reason>', headers: { 'content-type': 'application/xml' } },
  { id: 'form-urlencoded', category: 'json', body: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  { id: 'huge-number', category: 'json', body: '{"items": [{"recordId": 1e400, "kind": "approve"}], "reason": 1e400, "decisions": 1e400}' },
  // No field of a type a schema would coerce (a one-item array to its item, a number to text): such a body would act.
  { id: 'wrong-types', category: 'json', body: '{"items": "tất cả", "reason": {"lý do": "x"}, "decisions": {"a": 1}, "schedules": 7}' },
  { id: 'too-large', category: 'oversized', body: `{"reason": "${'x'.repeat(JSON_BODY_MAX_BYTES + 1024)}"}` },
];

/** Strings that must be refused or answered as not found, never stored or run. */
const HOSTILE_TEXT: Array<{ id: string; category: Category; text: string }> = [
  { id: 'nul', category: 'sql-looking', text: 'ad\u0000min' },
  { id: 'lone-surrogate', category: 'encoding', text: '\ud800' },
  { id: 'sql', category: 'sql-looking', text: "admin' OR '1'='1' --" },
  { id: 'sql-comment', category: 'sql-looking', text: "'; DROP TABLE users; --" },
  { id: 'formula', category: 'formula-looking', text: '=HYPERLINK("http://example.invalid","x")' },
  { id: 'path-traversal', category: 'query', text: '../../../../etc/passwd' },
  { id: 'very-long', category: 'long-string', text: 'ạ'.repeat(100_000) },
  { id: 'right-to-left', category: 'encoding', text: 'admin\u202Eexe.xlsx' },
];

function jsonRequests(): BadRequest[] {
  const out: BadRequest[] = [];
  for (const route of JSON_ROUTES) {
    for (const m of MALFORMED) {
      out.push({ kind: 'request', id: `json/${route.id}/${m.id}`, category: m.category, method: 'POST', url: route.url, as: route.as, headers: m.headers ?? JSON_TYPE, body: m.body });
    }
    if (!route.withText) continue;
    for (const h of HOSTILE_TEXT) {
      out.push({ kind: 'request', id: `json/${route.id}/text-${h.id}`, category: h.category, method: 'POST', url: route.url, as: route.as, headers: JSON_TYPE, body: JSON.stringify(route.withText(h.text)) });
    }
  }
  const items = (n: number, item: (i: number) => unknown) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => item(i)) });
  const decisions = (id: string, category: Category, body: string) => out.push({ kind: 'request', id: `json/decisions/${id}`, category, method: 'POST', url: '/api/agencies/{agency}/decisions', as: 'official', headers: JSON_TYPE, body });
  decisions('no-items', 'json', items(0, () => null));
  decisions('201-items', 'oversized', items(201, () => ({ recordId: '{record}', kind: 'approve' })));
  decisions('record-zero', 'impossible-id', items(1, () => ({ recordId: 0, kind: 'approve' })));
  decisions('record-negative', 'impossible-id', items(1, () => ({ recordId: -1, kind: 'approve' })));
  decisions('record-beyond-bigint', 'impossible-id', '{"items": [{"recordId": 99999999999999999999, "kind": "approve"}]}');
  decisions('record-fraction', 'impossible-id', items(1, () => ({ recordId: 1.5, kind: 'approve' })));
  decisions('record-sql', 'sql-looking', items(1, () => ({ recordId: '1; DELETE FROM records', kind: 'approve' })));
  decisions('record-unknown', 'impossible-id', items(1, () => ({ recordId: 2_000_000_000, kind: 'approve' })));
  decisions('kind-unknown', 'json', items(1, () => ({ recordId: '{record}', kind: 'xoá' })));
  decisions('reason-unknown', 'json', items(1, () => ({ recordId: '{record}', kind: 'reject', reasonCode: "OTHER'; --" })));
  decisions('pages-not-hex', 'impossible-id', items(1, () => ({ recordId: '{record}', kind: 'approve', pages: ['../../etc/passwd'] })));
  decisions('pages-unknown', 'impossible-id', items(1, () => ({ recordId: '{record}', kind: 'approve', pages: ['0'.repeat(64)] })));
  decisions('comment-too-long', 'long-string', items(1, () => ({ recordId: '{record}', kind: 'reject', reasonCode: 'OTHER', comment: 'x'.repeat(2001) })));
  decisions('correct-unknown-field', 'json', items(1, () => ({ recordId: '{record}', kind: 'correct', reasonCode: 'OTHER', fields: { khongCo: 'x' } })));
  decisions('correct-impossible-date', 'impossible-date', items(1, () => ({ recordId: '{record}', kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { birthDate: '31/02/2020' } })));
  decisions('correct-impossible-id', 'impossible-id', items(1, () => ({ recordId: '{record}', kind: 'correct', reasonCode: 'DATA_DIFFERS', fields: { personalId: '12345' } })));
  decisions('same-record-twice', 'json', items(2, () => ({ recordId: '{record}', kind: 'reject', reasonCode: 'NOT_A_REASON' })));
  const custodians = (id: string, category: Category, decisionsList: unknown[]) =>
    out.push({ kind: 'request', id: `json/custodians/${id}`, category, method: 'POST', url: '/api/runs/{run}/custodians', as: 'coordinator', headers: JSON_TYPE, body: JSON.stringify({ decisions: decisionsList }) });
  custodians('no-decisions', 'json', []);
  custodians('5001', 'oversized', Array.from({ length: 5001 }, () => ({ unitCode: '00001', agencyCode: '00004' })));
  const custodiansMax = JSON_LIMITS['POST /api/runs/:runId/custodians']!.bytes(limitsConfig);
  custodians('past-limit', 'oversized', [{ unitCode: '00001', agencyCode: '00004', basis: 'x'.repeat(custodiansMax) }]);
  custodians('unit-sql', 'sql-looking', [{ unitCode: "1' --", agencyCode: '00004' }]);
  custodians('agency-unknown', 'impossible-id', [{ unitCode: '00001', agencyCode: '99999' }]);
  custodians('date-impossible', 'impossible-date', [{ unitCode: '00001', agencyCode: '00004', basis: 'x', committeeDecision: { number: '1', date: '31/02/2025' } }]);
  custodians('basis-too-long', 'long-string', [{ unitCode: '00001', agencyCode: '00004', basis: 'x'.repeat(1001) }]);
  const release = (id: string, category: Category, body: unknown) => out.push({ kind: 'request', id: `json/release/${id}`, category, method: 'POST', url: '/api/runs/{run}/release', as: 'coordinator', headers: JSON_TYPE, body: JSON.stringify(body) });
  release('schedule-not-a-date', 'impossible-date', { schedules: { '{agency}': { startsAt: 'sáng thứ hai' } } });
  release('schedule-february-30', 'impossible-date', { schedules: { '{agency}': { startsAt: '2030-02-30T08:00:00+07:00' } } });
  release('schedule-place-too-long', 'long-string', { schedules: { '{agency}': { startsAt: '2030-02-03T08:00:00+07:00', place: 'x'.repeat(201) } } });
  const cancel = (id: string, category: Category, body: unknown) => out.push({ kind: 'request', id: `json/cancel/${id}`, category, method: 'POST', url: '/api/runs/{run}/cancel', as: 'coordinator', headers: JSON_TYPE, body: JSON.stringify(body) });
  cancel('reason-empty', 'json', { reason: '' });
  cancel('reason-too-long', 'long-string', { reason: 'x'.repeat(1001) });
  return out;
}

function queryRequests(): BadRequest[] {
  const q = (id: string, category: Category, url: string, as: Caller = 'official'): BadRequest => ({ kind: 'request', id: `query/${id}`, category, method: 'GET', url, as });
  const records = '/api/agencies/{agency}/records';
  return [
    q('limit-zero', 'query', `${records}?limit=0`),
    q('limit-negative', 'query', `${records}?limit=-1`),
    q('limit-words', 'query', `${records}?limit=nam-muoi`),
    q('limit-infinite', 'query', `${records}?limit=1e309`),
    q('limit-huge', 'query', `${records}?limit=99999999999999999999`),
    q('limit-twice', 'query', `${records}?limit=10&limit=20`),
    q('offset-negative', 'query', `${records}?offset=-5`),
    q('offset-fraction', 'query', `${records}?offset=1.5`),
    q('offset-huge', 'query', `${records}?offset=9223372036854775808`),
    q('year-zero', 'impossible-date', `${records}?year=0`),
    q('year-words', 'impossible-date', `${records}?year=hai-nghin`),
    q('year-five-digits', 'impossible-date', `${records}?year=20100`),
    q('type-unknown', 'query', `${records}?type=XX`),
    q('type-sql', 'sql-looking', `${records}?type=${encodeURIComponent("KS' OR 1=1 --")}`),
    q('state-unknown', 'query', `${records}?state=deleted`),
    q('unit-traversal', 'query', `${records}?unit=${encodeURIComponent('../../')}`),
    q('unit-sql', 'sql-looking', `${records}?unit=${encodeURIComponent("00376' --")}`),
    q('book-empty', 'query', `${records}?book=`),
    q('book-too-long', 'long-string', `${records}?book=${'1'.repeat(21)}`),
    q('scanned-maybe', 'query', `${records}?scanned=co-le`),
    q('search-too-long', 'long-string', `${records}?q=${'a'.repeat(201)}`),
    q('search-nul', 'sql-looking', `${records}?q=an%00%27`),
    q('search-bad-percent', 'encoding', `${records}?q=%E0%A4%A`),
    q('search-bad-escape', 'encoding', `${records}?q=%ZZ%`),
    q('search-latin1-byte', 'encoding', `${records}?q=Nguy%EAn`),
    q('search-array', 'query', `${records}?q[]=a&q[]=b`),
    q('search-object', 'query', `${records}?q[a]=b`),
    q('proto-key', 'query', `${records}?__proto__[x]=1&constructor[prototype][x]=1`),
    q('many-params', 'oversized', `${records}?${Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join('&')}`),
    q('runs-limit-words', 'query', '/api/provinces/01/runs?limit=abc', 'coordinator'),
    q('runs-limit-past-max', 'query', '/api/provinces/01/runs?limit=201', 'coordinator'),
    q('per-day-negative', 'query', '/api/runs/{run}/per-day?days=-1', 'coordinator'),
    q('per-day-offset-impossible', 'impossible-date', '/api/runs/{run}/per-day?utcOffsetMinutes=99999', 'coordinator'),
    q('notifications-kind-unknown', 'query', '/api/provinces/01/notifications?kind=tat-ca', 'coordinator'),
    q('notifications-agency-letters', 'impossible-id', '/api/provinces/01/notifications?agency=abcde', 'coordinator'),
    q('transfers-limit-words', 'query', '/api/agencies/{agency}/transfers?limit=abc'),
    q('mine-since-not-a-date', 'impossible-date', '/api/agencies/{agency}/decisions/mine?since=hom-qua'),
    q('mine-since-february-30', 'impossible-date', `/api/agencies/{agency}/decisions/mine?since=${encodeURIComponent('2025-02-30T00:00:00+07:00')}`),
    q('mine-since-missing', 'query', '/api/agencies/{agency}/decisions/mine'),
    // Path parameters.
    q('run-traversal', 'query', '/api/runs/..%2F..%2F..%2Fetc%2Fpasswd', 'coordinator'),
    q('run-malformed', 'impossible-id', '/api/runs/01-XYZ', 'coordinator'),
    q('run-other-province', 'impossible-id', '/api/runs/79-0123456789abcdef', 'coordinator'),
    q('record-words', 'impossible-id', '/api/records/abc'),
    q('record-zero', 'impossible-id', '/api/records/0'),
    q('record-negative', 'impossible-id', '/api/records/-1'),
    q('record-beyond-bigint', 'impossible-id', '/api/records/99999999999999999999'),
    q('file-not-hex', 'impossible-id', '/api/files/..%2F..%2Fetc%2Fpasswd'),
    q('file-unknown', 'impossible-id', `/api/files/${'0'.repeat(64)}`),
    q('agency-letters', 'impossible-id', '/api/agencies/ABCDE/records'),
    q('agency-nul', 'impossible-id', '/api/agencies/%00/records'),
    q('import-words', 'impossible-id', '/api/imports/abc/errors'),
    q('workflow-traversal', 'query', '/api/workflows/..%2F..%2Fadmin'),
    q('path-very-long', 'long-string', `/api/records/${'9'.repeat(10_000)}`),
    q('province-letters', 'impossible-id', '/api/provinces/HN/runs', 'coordinator'),
  ];
}

interface MultipartRoute {
  id: string;
  url: string;
  as: Caller;
  fields: Record<string, string>;
  fileName: string;
}

const sha = 'a'.repeat(64);

const MULTIPART_ROUTES: MultipartRoute[] = [
  { id: 'upload', url: '/api/runs/upload', as: 'coordinator', fields: { provinceCode: '01', sha256: sha, deliveredBy: 'C06', channel: 'Mạng chuyên dùng' }, fileName: '01-c06.xlsx' },
  { id: 'excel', url: '/api/agencies/{agency}/imports/excel', as: 'official', fields: { registerType: 'KS' }, fileName: 'KS.xlsx' },
  { id: 'scans', url: '/api/agencies/{agency}/imports/scans', as: 'official', fields: {}, fileName: 'KS.2009.01.zip' },
  { id: 'custodian-table', url: '/api/runs/{run}/custodians/table', as: 'coordinator', fields: {}, fileName: 'quyết định.csv' },
  { id: 'placements', url: '/api/runs/{run}/exceptions/placements', as: 'coordinator', fields: {}, fileName: 'Ngoại lệ.xlsx' },
];

const BOUNDARY = 'hotich-bad-input-boundary';

function part(name: string, value: string | Buffer, fileName?: string, boundary = BOUNDARY): Buffer {
  const disposition = fileName === undefined ? `form-data; name="${name}"` : `form-data; name="${name}"; filename="${fileName}"`;
  const type = fileName === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
  return Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n')]);
}

const multipartType = (boundary = BOUNDARY) => ({ 'content-type': `multipart/form-data; boundary=${boundary}` });
const end = (boundary = BOUNDARY) => Buffer.from(`--${boundary}--\r\n`);

function multipartRequests(base: BaseFiles): BadRequest[] {
  // Whatever reaches a route's reader is refused there too: half a workbook.
  const content = base.packageXlsx.subarray(0, base.packageXlsx.length >> 1);
  const out: BadRequest[] = [];
  for (const route of MULTIPART_ROUTES) {
    const r = (id: string, category: Category, body: Buffer | string, headers: Record<string, string> = multipartType()) =>
      out.push({ kind: 'request', id: `multipart/${route.id}/${id}`, category, method: 'POST', url: route.url, as: route.as, headers, body });
    const fields = Object.entries(route.fields).map(([k, v]) => part(k, v));
    const withFile = (fileName: string, ...extra: Buffer[]) => Buffer.concat([...fields, ...extra, part('file', content, fileName), end()]);
    r('no-boundary', 'multipart', withFile(route.fileName), { 'content-type': 'multipart/form-data' });
    r('wrong-boundary', 'multipart', withFile(route.fileName), multipartType('khac-ranh-gioi'));
    r('cut-in-file', 'multipart', withFile(route.fileName).subarray(0, Buffer.concat(fields).length + 200));
    r('no-closing-boundary', 'multipart', Buffer.concat([...fields, part('file', content, route.fileName)]));
    r('no-file', 'multipart', Buffer.concat([...fields, end()]));
    r('empty', 'multipart', '');
    r('two-files', 'multipart', Buffer.concat([...fields, part('file', content, route.fileName), part('file', content, route.fileName), end()]));
    r('too-many-fields', 'multipart', withFile(route.fileName, ...Array.from({ length: 12 }, (_, i) => part(`thua${i}`, 'x'))));
    r('field-too-long', 'oversized', withFile(route.fileName, part('ghiChu', 'x'.repeat(5000))));
    r('file-name-traversal', 'zip-path', withFile(`../../../../../../tmp/hotich-bad-input-${route.id}.xlsx`));
    r('file-name-nul', 'multipart', withFile(`KS\u0000.xlsx`));
    r('file-name-very-long', 'long-string', withFile(`${'ạ'.repeat(3000)}.xlsx`));
    r('file-name-header-injection', 'multipart', withFile('KS.xlsx"\r\nContent-Type: text/html\r\n\r\n<script>'));
    r('file-name-formula', 'formula-looking', withFile('=HYPERLINK("http://example.invalid").xlsx'));
    r('part-without-name', 'multipart', Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; filename="${route.fileName}"\r\n\r\n`), content, Buffer.from('\r\n'), end()]));
    r('json-instead', 'multipart', JSON.stringify(route.fields), JSON_TYPE);
    r('urlencoded-instead', 'multipart', new URLSearchParams(route.fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    r('boundary-too-long', 'multipart', Buffer.concat([part('file', content, route.fileName, 'b'.repeat(300)), end('b'.repeat(300))]), multipartType('b'.repeat(300)));
    if (fields.length) r('file-before-fields', 'multipart', Buffer.concat([part('file', content, route.fileName), ...fields, end()]));
    // Said, not dropped: a field the route does not take, and one sent twice.
    r('unknown-field', 'multipart', withFile(route.fileName, part('ghiChu', 'x')));
    r('field-twice', 'multipart', withFile(route.fileName, ...(fields.length ? [fields[0]!] : [part('ghiChu', 'x'), part('ghiChu', 'y')])));
  }
  const upload = (id: string, category: Category, fields: Record<string, string>) =>
    out.push({
      kind: 'request',
      id: `multipart/upload/${id}`,
      category,
      method: 'POST',
      url: '/api/runs/upload',
      as: 'coordinator',
      headers: multipartType(),
      body: Buffer.concat([...Object.entries(fields).map(([k, v]) => part(k, v)), part('file', base.packageXlsx, '01-c06.xlsx'), end()]),
    });
  const handover = MULTIPART_ROUTES[0]!.fields;
  upload('province-other', 'impossible-id', { ...handover, provinceCode: '79' });
  upload('province-unknown', 'impossible-id', { ...handover, provinceCode: '99' });
  upload('province-letters', 'impossible-id', { ...handover, provinceCode: 'HN' });
  upload('sha256-short', 'impossible-id', { ...handover, sha256: 'abc' });
  upload('sha256-not-hex', 'impossible-id', { ...handover, sha256: 'z'.repeat(64) });
  upload('register-type-unknown', 'impossible-id', { ...handover, registerType: 'XX' });
  upload('register-type-sql', 'sql-looking', { ...handover, registerType: "KS'; --" });
  upload('delivered-by-missing', 'multipart', { ...handover, deliveredBy: '' });
  upload('register-type-misspelt', 'multipart', { ...handover, registertype: 'KS' });
  const excel = (id: string, category: Category, registerType: string) =>
    out.push({
      kind: 'request',
      id: `multipart/excel/${id}`,
      category,
      method: 'POST',
      url: '/api/agencies/{agency}/imports/excel',
      as: 'official',
      headers: multipartType(),
      body: Buffer.concat([part('registerType', registerType), part('file', content, 'KS.xlsx'), end()]),
    });
  excel('register-type-unknown', 'impossible-id', 'XX');
  excel('register-type-formula', 'formula-looking', '=KS');
  excel('register-type-sql', 'sql-looking', "KS' OR 1=1 --");
  out.push({
    kind: 'request',
    id: 'multipart/scans/unit-sql',
    category: 'sql-looking',
    method: 'POST',
    url: '/api/agencies/{agency}/imports/scans',
    as: 'official',
    headers: multipartType(),
    body: Buffer.concat([part('unitCode', "00376'; DROP TABLE attachments; --"), part('file', Buffer.alloc(22), 'KS.2009.01.zip'), end()]),
  });
  // Past each multipart route's limit as main's table sets it: by a little, sent whole (the file
  // stream reaches the limit), and by more than the fields' allowance (refused from Content-Length).
  for (const route of MULTIPART_ROUTES) {
    const key = Object.keys(MULTIPART_LIMITS).find((k) => k === `POST ${route.url.replace('{run}', ':runId').replace('{agency}', ':agencyCode')}`)!;
    const max = MULTIPART_LIMITS[key]!.bytes(limitsConfig);
    for (const [id, size] of [['past-limit', max + (64 << 10)], ['declared-past-limit', max + (3 << 20)]] as const) {
      out.push({
        kind: 'request',
        id: `multipart/${route.id}/${id}`,
        category: 'oversized',
        method: 'POST',
        url: route.url,
        as: route.as,
        headers: multipartType(),
        body: Buffer.concat([...Object.entries(route.fields).map(([k, v]) => part(k, v)), part('file', Buffer.alloc(size, 0x25), route.fileName), end()]),
      });
    }
  }
  return out;
}

export function requestInputs(base: BaseFiles): BadRequest[] {
  return [...jsonRequests(), ...queryRequests(), ...multipartRequests(base)];
}
