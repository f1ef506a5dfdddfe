/**
 * A file named on the command line, checked before anything reads it: a path typed wrong, or a
 * folder given for a file, is said as such with its code, not as an unexpected error.
 */
import fs from 'node:fs';
import { defineError } from '../domain/errors';

export const CliInputMissing = defineError<{ file: string }>(
  'CLI_INPUT_MISSING',
  'validation',
  (p) => `no input file ${p.file}`,
  (p) => `Không tìm thấy tệp "${p.file}" (đường dẫn sai, hoặc đó là một thư mục).`,
);

export function inputFile(file: string): string {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw CliInputMissing({ file });
  return file;
}
