/**
 * Bad decisions tables, returned exceptions workbooks and scanned pages. Each table is refused
 * whole (one wrong row refuses it all), so none of them may change what the run decided; each
 * page is refused by name or content, so none is stored.
 */
import * as XLSX from '@e965/xlsx';
import { rawZip } from '../support/raw-zip';
import { CUSTODIAN_TABLE } from '../../domain/runs/custodians';
import { EXCEPTIONS_INFO_SHA_LABEL, EXCEPTIONS_INFO_SHEET, PLACEMENT_COLUMN } from '../../activities/split/split-export';
import type { BaseFiles } from './base-files';
import type { BadFile, Category } from './corpus-types';
import { PAGE_NAME } from './zips';

const HEADER = [CUSTODIAN_TABLE.unit, CUSTODIAN_TABLE.unitName, CUSTODIAN_TABLE.agency, CUSTODIAN_TABLE.basis, CUSTODIAN_TABLE.decisionNumber, CUSTODIAN_TABLE.decisionDate];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (rows: readonly (readonly string[])[]) => Buffer.from(`\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
const xlsx = (rows: readonly (readonly string[])[]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows.map((r) => [...r])), 'Quyết định');
  return Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
};

function custodianTables(base: BaseFiles): BadFile[] {
  const need = base.decisionsNeeded[0]!;
  const [first, second = base.otherProvinceCommune] = need.candidates;
  const t = (id: string, category: Category, rows: string[][], format: 'csv' | 'xlsx' = 'csv'): BadFile => ({
    kind: 'file',
    id: `custodian-table/${id}`,
    category,
    targets: ['custodian-table'],
    fileName: `quyết định.${format}`,
    bytes: format === 'csv' ? csv(rows) : xlsx(rows),
  });
  const row = (unit: string, agency: string, basis = '', number = '', date = '') => [unit, '', agency, basis, number, date];
  const decided = (agency: string, number: string, date: string) => [HEADER, row(need.unitCode, first!, 'Theo biên bản họp', number, date)];
  return [
    t('missing-basis-column', 'damaged', [HEADER.filter((h) => h !== CUSTODIAN_TABLE.basis), [need.unitCode, '', first!, '', '']]),
    t('unknown-column', 'damaged', [[...HEADER, 'Ghi chú thêm'], [...row(need.unitCode, first!), 'x']]),
    t('header-only', 'truncated', [HEADER]),
    t('no-header', 'damaged', [row(need.unitCode, first!)]),
    t('agency-unknown', 'impossible-id', [HEADER, row(need.unitCode, '99999')]),
    t('agency-retired', 'impossible-id', [HEADER, row(need.unitCode, base.retiredCommune)]),
    t('agency-other-province', 'impossible-id', [HEADER, row(need.unitCode, base.otherProvinceCommune)]),
    t('agency-full-width-digits', 'impossible-id', [HEADER, row(need.unitCode, first!.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))]),
    t('unit-not-needed', 'impossible-id', [HEADER, row('00004', first!)]),
    t('unit-twice', 'damaged', [HEADER, row(need.unitCode, first!, 'Theo biên bản họp'), row(need.unitCode, second, 'Theo biên bản họp khác')]),
    t('basis-missing-for-other-agency', 'damaged', [HEADER, row(need.unitCode, base.decisionsNeeded.flatMap((d) => d.candidates).find((c) => !need.candidates.includes(c)) ?? '00004')]),
    t('date-31-february', 'impossible-date', decided(first!, '12/QĐ-UBND', '31/02/2025')),
    t('date-zero', 'impossible-date', decided(first!, '12/QĐ-UBND', '00/00/0000')),
    t('date-month-13', 'impossible-date', decided(first!, '12/QĐ-UBND', '2025-13-45')),
    t('date-words', 'impossible-date', decided(first!, '12/QĐ-UBND', 'ngày ba mươi tháng hai')),
    t('date-29-february-2025', 'impossible-date', decided(first!, '12/QĐ-UBND', '29/02/2025'), 'xlsx'),
    t('unit-formula', 'formula-looking', [HEADER, row('=1+1', first!)]),
    t('agency-formula', 'formula-looking', [HEADER, row(need.unitCode, '=HYPERLINK("http://example.invalid","00376")')], 'xlsx'),
    t('unit-sql', 'sql-looking', [HEADER, row("00001'; DROP TABLE custodian_decisions; --", first!)]),
    t('agency-sql', 'sql-looking', [HEADER, row(need.unitCode, "' OR '1'='1")]),
    t('unit-very-long', 'long-string', [HEADER, row('1'.repeat(100_000), first!)]),
    t('many-unknown-units', 'long-string', [HEADER, ...Array.from({ length: 10_000 }, (_, i) => row(String(90000 + i), first!))]),
    t('agency-unknown-xlsx', 'impossible-id', [HEADER, row(need.unitCode, '99999')], 'xlsx'),
  ];
}

/** The split's exceptions workbook as SheetJS reads it, edited, and written again. */
function editedExceptions(base: BaseFiles, edit: (wb: XLSX.WorkBook, rows: unknown[][]) => void): Buffer {
  const wb = XLSX.read(base.exceptionsXlsx, { type: 'buffer' });
  const first = wb.Sheets[wb.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<unknown[]>(first, { header: 1, raw: true, defval: null });
  edit(wb, rows);
  wb.Sheets[wb.SheetNames[0]!] = XLSX.utils.aoa_to_sheet(rows);
  return Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

function placementWorkbooks(base: BaseFiles): BadFile[] {
  const agency = base.decisionsNeeded[0]!.candidates[0]!;
  const p = (id: string, category: Category, bytes: Buffer): BadFile => ({ kind: 'file', id: `placements/${id}`, category, targets: ['placements'], fileName: 'Ngoại lệ - dòng chưa xếp được.xlsx', bytes });
  const place = (code: string) => (_wb: XLSX.WorkBook, rows: unknown[][]) => {
    rows[1]![PLACEMENT_COLUMN] = code;
  };
  const info = (sha: string | null) => (wb: XLSX.WorkBook, rows: unknown[][]) => {
    place(agency)(wb, rows);
    if (sha === null) {
      delete wb.Sheets[EXCEPTIONS_INFO_SHEET];
      wb.SheetNames = wb.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET);
    } else wb.Sheets[EXCEPTIONS_INFO_SHEET] = XLSX.utils.aoa_to_sheet([[EXCEPTIONS_INFO_SHA_LABEL, sha]]);
  };
  return [
    p('other-package', 'damaged', editedExceptions(base, info('0'.repeat(64)))),
    p('no-information-sheet', 'damaged', editedExceptions(base, info(null))),
    p('sha-formula', 'formula-looking', editedExceptions(base, info('=SHA256(A1)'))),
    p(
      'row-edited',
      'damaged',
      editedExceptions(base, (wb, rows) => {
        place(agency)(wb, rows);
        const cells = rows[1]!;
        const last = cells.findLastIndex((c) => typeof c === 'string' && c !== '');
        cells[last] = `${String(cells[last])} (đã sửa)`;
      }),
    ),
    p(
      'row-added',
      'damaged',
      editedExceptions(base, (wb, rows) => {
        place(agency)(wb, rows);
        rows.push(rows[1]!.map((c, i) => (i === rows[0]!.indexOf('Dòng gốc') ? 99999 : c)));
      }),
    ),
    p('none-filled', 'truncated', base.exceptionsXlsx),
  ];
}

/** Zips of one page each, the page refused for its name or its content. */
function scanPages(base: BaseFiles): BadFile[] {
  const page = (id: string, category: Category, name: string | Buffer, data: Buffer = base.pdf, flags?: number): BadFile => ({
    kind: 'file',
    id: `scan-page/${id}`,
    category,
    targets: ['scans'],
    fileName: 'KS.2009.01.zip',
    bytes: rawZip([{ name, data, ...(flags === undefined ? {} : { flags }) }]),
  });
  const pdf = base.pdf;
  const text = pdf.toString('latin1');
  const startxref = text.lastIndexOf('startxref');
  return [
    page('png-named-pdf', 'mislabelled', PAGE_NAME, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(256, 1)])),
    page('word-named-pdf', 'mislabelled', PAGE_NAME, Buffer.from('d0cf11e0a1b11ae1', 'hex')),
    page('pdf-cut-short', 'truncated', PAGE_NAME, pdf.subarray(0, pdf.length >> 1)),
    page('pdf-empty', 'truncated', PAGE_NAME, Buffer.alloc(0)),
    page('pdf-no-eof', 'truncated', PAGE_NAME, pdf.subarray(0, pdf.length - 6)),
    page('pdf-startxref-past-end', 'damaged', PAGE_NAME, Buffer.from(`${text.slice(0, startxref)}startxref\n99999999\n%%EOF\n`, 'latin1')),
    page('pdf-startxref-not-table', 'damaged', PAGE_NAME, Buffer.from(`${text.slice(0, startxref)}startxref\n3\n%%EOF\n`, 'latin1')),
    page('name-unparseable', 'damaged', 'trang 1.pdf'),
    page('name-no-number', 'damaged', 'KS.2009.pdf'),
    page('name-year-impossible', 'impossible-date', 'KS.99999.01.1.pdf'),
    page('name-year-zero', 'impossible-date', 'KS.0000.01.1.pdf'),
    page('name-year-future', 'impossible-date', 'KS.2999.01.1.pdf'),
    page('name-type-unknown', 'impossible-id', 'XX.2009.01.1.pdf'),
    page('name-number-negative', 'impossible-id', 'KS.2009.01.-1.pdf'),
    page('name-double-extension', 'mislabelled', `${PAGE_NAME}.exe`),
    page('name-other-extension', 'mislabelled', 'KS.2009.01.1.docx'),
    page('name-very-long', 'long-string', `KS.2009.01.${'1'.repeat(2000)}.pdf`),
    page('name-sql', 'sql-looking', "KS.2009.01.1'; DROP TABLE attachments; --.pdf"),
    page('name-formula', 'formula-looking', "=cmd|' /C calc'!A0.pdf"),
    page('name-at-formula', 'formula-looking', '@SUM(1+1)*cmd.pdf'),
    page('name-invalid-utf8', 'encoding', Buffer.concat([Buffer.from('KS.2009.01.'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('.pdf')]), pdf, 0x800),
    page('name-right-to-left-override', 'encoding', 'KS.2009.01.1\u202Efdp.exe'),
    page('name-folders-too-deep', 'zip-path', `a/b/c/d/${PAGE_NAME}`),
    page('name-system-file', 'damaged', `__MACOSX/._${PAGE_NAME}`),
  ];
}

export function tableInputs(base: BaseFiles): BadFile[] {
  return [...custodianTables(base), ...placementWorkbooks(base), ...scanPages(base)];
}
