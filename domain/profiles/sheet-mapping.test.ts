import fc from 'fast-check';
import { isAppError } from '../errors';
import { fieldsOf, REGISTER_TYPE_CODES } from '../registers/register-types';
import { SHIPPED_PROFILES } from './shipped';
import { ColumnsMissing, compileSheetMapping, findHeaderRow, HeaderNotFound, mapRow, registerTypeFromText, type Cell } from './sheet-mapping';

const c06 = SHIPPED_PROFILES['c06-default']!;
const anyCell: fc.Arbitrary<Cell> = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));

/** The code of what `fn` throws, or its result: anything thrown but a coded error fails the property. */
function outcome<T>(fn: () => T): { value: T } | { code: string } {
  try {
    return { value: fn() };
  } catch (e) {
    if (isAppError(e)) return { code: e.code };
    throw e;
  }
}

test('any text gives a register type or none, never throws; a code first, in any case and before anything not a letter, is that type', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => expect([undefined, ...REGISTER_TYPE_CODES]).toContain(registerTypeFromText(s))));
  fc.assert(
    fc.property(fc.constantFrom(...REGISTER_TYPE_CODES), fc.boolean(), fc.stringMatching(/^(?:[ .\-_(/0-9][^A-Za-z]*)?$/), (code, lower, rest) => {
      expect(registerTypeFromText(`${lower ? code.toLowerCase() : code}${rest}`)).toBe(code);
    }),
  );
});

test('the header row is found among any rows above it, or the sheet is refused with HEADER_NOT_FOUND', () => {
  fc.assert(fc.property(fc.array(fc.array(anyCell, { maxLength: 8 }), { maxLength: 40 }), (rows) => {
    const r = outcome(() => findHeaderRow(rows, c06, 'KS', 'KS'));
    if ('code' in r) expect(r.code).toBe(HeaderNotFound.code);
    else expect(r.value).toBeLessThan(Math.min(rows.length, 30));
  }));
  const labels = fieldsOf('KS').map((f) => f.labelVi);
  fc.assert(
    fc.property(fc.array(fc.array(fc.integer(), { maxLength: 6 }), { maxLength: 29 }), fc.shuffledSubarray(labels, { minLength: 3 }), (above, header) => {
      expect(findHeaderRow([...above, header, ...above], c06, 'KS', 'KS')).toBe(above.length);
    }),
  );
});

test('a header of the fields in any order, with columns of its own, maps each field; every cell of a row is kept once, in a field or verbatim', () => {
  const fields = fieldsOf('KS');
  fc.assert(
    fc.property(
      fc.shuffledSubarray(fields.filter((f) => !f.required), { minLength: 0 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }),
      fc.array(anyCell, { minLength: 60, maxLength: 60 }),
      fc.nat(),
      (optional, extras, cells, seed) => {
        const headers = [...fields.filter((f) => f.required).map((f) => f.labelVi), ...optional.map((f) => f.labelVi), ...extras.map((n) => `Cột thêm ${n}`)];
        const order = headers.map((h, i) => ({ h, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((x) => x.h);
        const mapping = compileSheetMapping(order, c06, 'KS', 'KS');
        expect(mapping.fields.map((f) => f.key).sort()).toEqual([...fields.filter((f) => f.required), ...optional].map((f) => f.key).sort());
        const row = mapRow(mapping, cells);
        const kept = [...Object.values(row.values), ...row.extra.map(([, v]) => v)];
        expect(kept.length).toBe(order.length);
        const byValue = (a: Cell, b: Cell) => `${typeof a}${String(a)}`.localeCompare(`${typeof b}${String(b)}`);
        expect(kept.sort(byValue)).toEqual(cells.slice(0, order.length).sort(byValue));
        expect(row.extra.map(([h]) => h)).toEqual(order.filter((h) => h.startsWith('Cột thêm ')));
      },
    ),
  );
});

test('any header row is mapped or refused with a coded error naming what is missing', () => {
  fc.assert(fc.property(fc.array(anyCell, { maxLength: 30 }), fc.option(fc.constantFrom(...REGISTER_TYPE_CODES), { nil: undefined }), (header, type) => {
    const r = outcome(() => compileSheetMapping(header, c06, 'Trang tính', type));
    if ('code' in r) expect(r.code).toBe(ColumnsMissing.code);
  }));
});
