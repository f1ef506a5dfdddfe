import fc from 'fast-check';
import { fieldsOf, REGISTER_TYPE_CODES } from '../registers/register-types';
import { cellValue, displayValue, type CellNotes } from './cell-values';
import { yearOfDate } from './book-year';
import type { Cell } from './sheet-mapping';

const fields = [...new Map(REGISTER_TYPE_CODES.flatMap((t) => fieldsOf(t)).map((f) => [f.key, f])).values()];
const notes = (): CellNotes => ({ problems: [], repaired: [], restoredZeros: [] });
const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.stringMatching(/^[0-9 ./-]{0,14}$/),
  fc.constantFrom('Nam', 'Nữ', 'x', 'Có', 'không', 'KS', '31/02/2020', '00/00/0000', '=1+1', '+84', '-0', '@SUM(A1)', "' OR 1=1 --", 'Âm lịch'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.date({ noInvalidDate: true }),
  fc.constant(null),
);

test('any cell of any field is a value or a problem named for that field, never an error and never lost without a word', () => {
  fc.assert(
    fc.property(fc.constantFrom(...fields), cell, (field, c) => {
      const out = notes();
      const value = cellValue(field, c, out);
      const blank = c === null || (typeof c === 'string' && c.trim() === '');
      if (blank) expect({ value, out }).toEqual({ value: undefined, out: notes() });
      else if (value === undefined) expect(out.problems.map((p) => p.field)).toContain(field.key);
      // What a message quotes is the cell's own text, kept as it was.
      for (const p of out.problems) expect(p.messageVi.replace(/"[^"]*"/g, '')).toBe(p.messageVi.replace(/"[^"]*"/g, '').normalize('NFC'));
    }),
  );
});

test('a value read from a cell, written back as the split writes it, reads as the same value', () => {
  fc.assert(
    fc.property(fc.constantFrom(...fields), cell, (field, c) => {
      const value = cellValue(field, c, notes());
      fc.pre(value !== undefined);
      const again = cellValue(field, displayValue(field, value), notes());
      // A flag is written as registers mark it, "x" or nothing: a "no" reads back as no mark.
      expect(again).toEqual(field.type === 'flag' && value === false ? undefined : value);
      if (field.type === 'date') expect(yearOfDate(again)).toBe(typeof value === 'object' && value !== null && 'year' in value ? value.year : undefined);
    }),
  );
});

test('a number past 2^53 in a code or integer cell is refused, not read as "1e+21" (it no longer holds the digits typed)', () => {
  const code = fields.find((f) => f.type === 'code')!;
  const integer = fields.find((f) => f.type === 'integer')!;
  for (const [field, problemCode] of [[code, 'CODE_INVALID'], [integer, 'INTEGER_INVALID']] as const) {
    const out = notes();
    expect(cellValue(field, 1e21, out)).toBeUndefined();
    expect(out.problems.map((p) => p.code)).toEqual([problemCode]);
  }
  expect(cellValue(integer, Number.MAX_SAFE_INTEGER, notes())).toBe(Number.MAX_SAFE_INTEGER);
  expect(cellValue(code, 376, notes())).toBe('00376');
});
