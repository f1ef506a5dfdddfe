import fc from 'fast-check';
import { ImportSourceInvalid } from './import-errors';
import { storedSourceProblem } from './stored-source';

const SHA = 'ab'.repeat(32);

test('a stored file as the upload and the CLI name it is well formed', () => {
  expect(storedSourceProblem({ sha256: SHA, name: 'KS - Sổ đăng ký khai sinh (2).xls' })).toBeUndefined();
  expect(storedSourceProblem({ sha256: SHA, name: 'KS.2009.01.zip' })).toBeUndefined();
});

test.each([
  ['no source', undefined, 'file'],
  ['a source that is no object', 'KS.xls', 'file'],
  ['no hash', { name: 'KS.xls' }, 'sha256'],
  ['a hash in capitals (the store names files in lower case)', { sha256: SHA.toUpperCase(), name: 'KS.xls' }, 'sha256'],
  ['a hash that climbs out of the store', { sha256: `../../${SHA.slice(6)}`, name: 'KS.xls' }, 'sha256'],
  ['a hash one digit short', { sha256: SHA.slice(1), name: 'KS.xls' }, 'sha256'],
  ['no name', { sha256: SHA }, 'name'],
  ['a blank name', { sha256: SHA, name: '  ' }, 'name'],
  ['a name with a folder', { sha256: SHA, name: 'data/KS.xls' }, 'name'],
  ['a name with a Windows folder', { sha256: SHA, name: 'C:\\data\\KS.xls' }, 'name'],
  ['a name with a control character', { sha256: SHA, name: 'KS\n.xls' }, 'name'],
  ['a name past 255 characters', { sha256: SHA, name: `${'a'.repeat(252)}.xls` }, 'name'],
])('%s is IMPORT_SOURCE_INVALID, saying what is wrong in Vietnamese', (_, source, part) => {
  const e = storedSourceProblem(source);
  expect(e).toMatchObject({ code: 'IMPORT_SOURCE_INVALID', kind: 'validation', params: { part } });
  expect(e!.messageVi).toMatch(/^Lần nhập không hợp lệ: .+\. Hãy tải tệp lên lại\.$/u);
});


test('any value is a well-formed source or refused as one, naming the part that is wrong', () => {
  fc.assert(
    fc.property(fc.oneof(fc.anything(), fc.record({ sha256: fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{64}$/)), name: fc.oneof(fc.string(), fc.anything()) })), (source) => {
      const problem = storedSourceProblem(source);
      if (problem) expect(problem.code).toBe(ImportSourceInvalid.code);
    }),
  );
  // A base name of any text (no folder, no control character) with a hash is taken as it is.
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), (sha256, name) => {
      fc.pre(name.trim() !== '' && !/[/\\\u0000-\u001f\u007f]/.test(name) && [...name].length <= 255);
      expect(storedSourceProblem({ sha256, name })).toBeUndefined();
    }),
  );
});
