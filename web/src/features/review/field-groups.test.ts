import { fieldsOf, REGISTER_TYPE_CODES } from '../../../../domain/registers/register-types';
import { earlierValues, groupFields } from './field-groups';

const asFields = (code: (typeof REGISTER_TYPE_CODES)[number]) => fieldsOf(code).map((f) => ({ key: f.key, labelVi: f.labelVi, value: '' }));

test('a birth record: the child first, then mother, father and declarant, then the register columns; every field once', () => {
  const groups = groupFields(asFields('KS'), []);
  expect(groups.map((g) => (g.group.kind === 'person' ? g.group.title : g.group.kind))).toEqual(['event', 'Mẹ', 'Cha', 'Người đi khai', 'register']);
  expect(groups.flatMap((g) => g.rows.map((r) => r.key)).sort()).toEqual(fieldsOf('KS').map((f) => f.key).sort());
  expect(groups[1]!.rows.map((r) => r.key)).toContain('motherPersonalId');
  expect(groups[0]!.rows.map((r) => r.key)).toEqual(expect.arrayContaining(['fullName', 'personalId', 'placeOfBirth']));
});

test('every register type: each field in exactly one group, persons named from their name field', () => {
  for (const code of REGISTER_TYPE_CODES) {
    const groups = groupFields(asFields(code), []);
    expect(groups.flatMap((g) => g.rows.map((r) => r.key)).sort()).toEqual(fieldsOf(code).map((f) => f.key).sort());
    for (const g of groups) if (g.group.kind === 'person') expect(g.group.title).not.toMatch(/^Họ và tên/);
  }
  // A person whose prefix starts another's ("person", "otherPerson") keeps its own fields.
  const gcnn = groupFields(asFields('GCNN'), []).filter((g) => g.group.kind === 'person');
  expect(gcnn.map((g) => g.rows.length)).toEqual([fieldsOf('GCNN').filter((f) => /^person[A-Z]/.test(f.key)).length, fieldsOf('GCNN').filter((f) => /^otherPerson[A-Z]/.test(f.key)).length]);
});

test('earlier values: oldest first, a value repeated by the next version shown once, the current left out', () => {
  const v = (value: string) => [{ key: 'fullName', value }];
  expect(earlierValues('fullName', 'Nguyễn Văn An', [])).toEqual([]);
  expect(earlierValues('fullName', 'Nguyễn Văn An', [v('Nguyen Van An')])).toEqual(['Nguyen Van An']);
  expect(earlierValues('fullName', 'Nguyễn Văn An', [v('Nguyễn Văn An'), v('Nguyễn Văn Ân'), v('Nguyễn Văn Ân')])).toEqual(['Nguyễn Văn An', 'Nguyễn Văn Ân']);
  expect(earlierValues('fullName', 'Nguyễn Văn An', [v('Nguyễn Văn An')])).toEqual([]);
  expect(earlierValues('sex', 'Nữ', [v('x')])).toEqual(['']);
});
