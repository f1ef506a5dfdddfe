import { Readable } from 'node:stream';
import fc from 'fast-check';
import Papa from 'papaparse';
import { CsvRowScanner } from './csv-rows';
import { RowPacker, unpackRows } from './packed-rows';
import type { SheetCell, SheetRow } from './read-rows';

/**
 * The rows as read before: papaparse on the decoded stream, a piece at a time, with the same
 * cell rules, but the BOM taken off the bytes first (papaparse read a quoted first header after
 * a BOM as unquoted).
 */
async function reference(cutPieces: Buffer[]): Promise<SheetRow[]> {
  const pieces: Buffer[] = [];
  let bom = Buffer.concat(cutPieces).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  for (const p of cutPieces) {
    const skip = Math.min(bom, p.length);
    bom -= skip;
    if (p.length > skip) pieces.push(p.subarray(skip));
  }
  const input = Readable.from(pieces, { objectMode: false });
  input.setEncoding('utf8');
  const data = await new Promise<string[][]>((resolve, reject) => {
    const all: string[][] = [];
    Papa.parse<string[]>(input as unknown as File, { skipEmptyLines: false, chunk: (r) => void all.push(...r.data), complete: () => resolve(all), error: reject });
  });
  return data.map((fields, i) => {
    const cells: SheetCell[] = fields.map((f) => (f === '' ? null : f));
    if (cells.length === 1 && cells[0] === null) cells.length = 0;
    return { sheet: 'KS', row: i + 1, cells };
  });
}

function scanned(pieces: Buffer[]): SheetRow[] {
  const packer = new RowPacker();
  const scanner = new CsvRowScanner(packer, 'KS');
  const rows: SheetRow[] = [];
  for (const p of pieces) {
    scanner.push(p);
    if (packer.pendingRows) rows.push(...unpackRows(packer.take()));
  }
  scanner.end();
  if (packer.pendingRows) rows.push(...unpackRows(packer.take()));
  return rows;
}

/** The bytes cut at the given places (any byte, inside a character or a line break too). */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) pieces.push(bytes.subarray(from, p));
    from = p;
  }
  return pieces;
}

const cuts = fc.array(fc.nat(), { maxLength: 6 });

test('any text, cut anywhere, gives the rows papaparse gives: malformed quotes, spaces after quotes, every line break, NULs, BOMs', async () => {
  // Names' text too: Vietnamese precomposed (NFC) and decomposed (NFD), astral characters, XML's specials.
  const unit = fc.constantFrom('a', 'ệ', 'Đ', 'e\u0323\u0302', 'Hoa\u0300ng', ',', ';', '\t', '|', '"', '""', '\n', '\r', '\r\n', ' ', '\u00a0', '\u0000', '\uFEFF', '👩', '𡨸', '<', '&', "'", 'x');
  await fc.assert(
    fc.asyncProperty(fc.string({ unit, maxLength: 60 }), cuts, async (text, at) => {
      const pieces = cut(Buffer.from(text, 'utf8'), at);
      expect(scanned(pieces)).toEqual(await reference(pieces));
    }),
    { numRuns: 3000 },
  );
});

test('any bytes, invalid UTF-8 included, give the rows papaparse gives', async () => {
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x20));
  await fc.assert(
    fc.asyncProperty(fc.array(byte, { maxLength: 60 }), cuts, async (bytes, at) => {
      const pieces = cut(Buffer.from(bytes), at);
      expect(scanned(pieces)).toEqual(await reference(pieces));
    }),
    { numRuns: 2000 },
  );
});

test('well-formed CSV of any cells comes back cell for cell, and as papaparse reads it with any delimiter and line break', async () => {
  const cell = fc.string({ unit: fc.constantFrom('a', 'ễ', 'Hoa\u0300ng', 'Thi\u0323', ',', ';', '\t', '"', '\n', '\r', '\r\n', ' ', '  ', '\u00a0', 'Ư', '𡨸', '😀', '<', '&', "'"), maxLength: 12 });
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 15 }),
      fc.constantFrom(',', ';', '\t', '|'),
      fc.constantFrom('\r\n', '\n', '\r'),
      fc.boolean(),
      cuts,
      async (rows, delimiter, newline, bom, at) => {
        const text = `${bom ? '\uFEFF' : ''}${Papa.unparse(rows, { delimiter, newline, quotes: true })}${newline}`;
        const pieces = cut(Buffer.from(text, 'utf8'), at);
        expect(scanned(pieces)).toEqual(await reference(pieces));
        // Whole, under a header (one row alone is too little for papaparse to guess from), cell for cell.
        const header = ['Họ và tên', 'Ngày sinh', 'Ghi chú'];
        const withHeader = `${bom ? '\uFEFF' : ''}${Papa.unparse([header, ...rows], { delimiter, newline, quotes: true })}${newline}`;
        expect(scanned([Buffer.from(withHeader, 'utf8')]).map((r) => r.cells.map((c) => c ?? ''))).toEqual([header, ...rows]);
      },
    ),
    { numRuns: 500 },
  );
});

test('a quoted first header after the BOM is read as quoted (papaparse kept its quotes), and blank lines stay rows with no cells', () => {
  const text = '\uFEFF"Họ và tên","Nơi cư trú"\r\n"Trần Thị Ánh","Số 5, phố Hàng Bạc"\r\n\r\nLê Văn Ư,"Thôn 2, xã ""Mới"""\r\n';
  const rows = scanned(cut(Buffer.from(text, 'utf8'), [1, 2, 40]));
  expect(rows.map((r) => [r.row, r.cells])).toEqual([
    [1, ['Họ và tên', 'Nơi cư trú']],
    [2, ['Trần Thị Ánh', 'Số 5, phố Hàng Bạc']],
    [3, []],
    [4, ['Lê Văn Ư', 'Thôn 2, xã "Mới"']],
  ]);
});

describe('long rows', () => {
  const pieces = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    return Array.from({ length: Math.ceil(bytes.length / (64 << 10)) }, (_, i) => bytes.subarray(i * (64 << 10), (i + 1) * (64 << 10)));
  };

  test('a quoted field of megabytes over a hundred pieces is read whole', () => {
    const long = `dòng một\n"trích", ${'Nguyễn Thị Ánh, '.repeat(400_000)}`;
    const rows = scanned(pieces(`Họ và tên,Ghi chú\r\nA,"${long.replaceAll('"', '""')}"\r\nB,ngắn\r\n`));
    expect(rows.map((r) => r.cells)).toEqual([['Họ và tên', 'Ghi chú'], ['A', long], ['B', 'ngắn']]);
  });

  test('a quote left open is refused at its row once the row passes 32 MB, not read to the end of the file', () => {
    const text = `Họ và tên,Ghi chú\r\nA,"mở mà không đóng\r\n${'B,Nguyễn Văn An\r\n'.repeat(2_200_000)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(40 << 20);
    expect(() => scanned(pieces(text))).toThrow(expect.objectContaining({ code: 'CSV_ROW_TOO_LONG', messageVi: expect.stringContaining('Tệp KS: dòng 2 dài hơn 32 MB') }));
  });
});
