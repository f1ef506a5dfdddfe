/**
 * Whether an import names a stored file as the upload and the CLI do: the import activities
 * take the reference on trust (the hash locates the bytes in the store, the name's extension
 * chooses the reader), so the agency run's update validators check it before the import
 * enters the history. Whether the bytes are there is the activity's to find out.
 */
import type { AppError } from '../errors';
import { ImportSourceInvalid } from './import-errors';

const SHA256 = /^[0-9a-f]{64}$/;
/** A file's own name: no folder and no control character (uploads and the CLI keep only the base name). */
const FILE_NAME = /^[^/\\\u0000-\u001f\u007f]{1,255}$/u;

export function storedSourceProblem(source: unknown): AppError | undefined {
  if (typeof source !== 'object' || source === null) return ImportSourceInvalid({ part: 'file' });
  const { sha256, name } = source as Record<string, unknown>;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return ImportSourceInvalid({ part: 'sha256' });
  if (typeof name !== 'string' || name.trim() === '' || !FILE_NAME.test(name)) return ImportSourceInvalid({ part: 'name' });
  return undefined;
}
