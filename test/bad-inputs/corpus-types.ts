/** What the corpus is made of: files, requests and cell values, each named and of one category. */

export const CATEGORIES = {
  damaged: 'damaged workbooks, CSVs and zips (bytes flipped, parts missing or malformed)',
  truncated: 'files cut short',
  encrypted: 'password-protected workbooks and zip entries',
  mislabelled: 'a file whose name says another format than its bytes',
  encoding: 'text in another encoding than UTF-8 (Latin-1, CP1258, UTF-16 without BOM, TCVN3, VNI…)',
  'zip-bomb': 'zips that expand far beyond their size',
  'zip-path': 'zip entries whose names climb out (../, absolute, drive letters)',
  'zip-link': 'zip entries that are links or special files',
  'zip-duplicate': 'zips with the same name twice',
  oversized: 'uploads and bodies past the route limits',
  json: 'malformed or hostile JSON bodies',
  query: 'malformed query strings and path parameters',
  multipart: 'malformed multipart bodies',
  'sql-looking': 'values that look like SQL',
  'formula-looking': 'values starting with = + - @ (never a formula in a file we write)',
  'long-string': 'very long strings',
  'impossible-date': 'dates that cannot be',
  'impossible-id': 'personal IDs and codes that cannot be',
} as const;
export type Category = keyof typeof CATEGORIES;

/**
 * Where a file is sent: `package` a C06 export (offline `hotich split`, POST /api/runs/upload),
 * `excel` an agency's Excel import, `scans` a zip of scanned pages, `custodian-table` a
 * decisions table, `placements` a returned exceptions workbook.
 */
export type FileTarget = 'package' | 'excel' | 'scans' | 'custodian-table' | 'placements';

export interface BadFile {
  kind: 'file';
  /** `<generator>/<variant>`, unique in the corpus. */
  id: string;
  category: Category;
  targets: readonly FileTarget[];
  fileName: string;
  bytes: Buffer;
}

/** Who sends a request: a coordinator of province 01, an official of the run's agency, or nobody logged in. */
export type Caller = 'coordinator' | 'official' | 'anonymous';

/**
 * A request as sent on the wire. `url` may hold `{run}`, `{agency}`, `{record}`, `{file}` and
 * `{import}`, filled by the test with what its run holds.
 */
export interface BadRequest {
  kind: 'request';
  id: string;
  category: Category;
  method: 'GET' | 'POST';
  url: string;
  as: Caller;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * A value typed into one cell of an otherwise valid birth-register row (`column` is its header):
 * it travels through the split and the Excel import, which keep it verbatim as text or refuse
 * the row with a coded reason; it never becomes a formula.
 */
export interface BadCellValue {
  kind: 'cell';
  id: string;
  category: Category;
  column: string;
  value: string;
}

export type BadInput = BadFile | BadRequest | BadCellValue;
