/**
 * One file uploaded as multipart/form-data, with the text fields sent before it. The fields are
 * held to the route's schema by the same validator and the same Vietnamese messages as a JSON
 * body: a field the route does not take, or one sent twice, is refused before anything is stored
 * rather than dropped, so a misspelt `registerType` cannot start a run without it.
 */
import type { MultipartFile } from '@fastify/multipart';
import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { defineError } from '../domain/errors';
import { ValidationFailed } from './errors';
import { validationVi } from './validation-vi';

export const UploadIncomplete = defineError<{ missing: string; expected: readonly string[] }>(
  'RUN_UPLOAD_INCOMPLETE',
  'validation',
  (p) => `upload lacks ${p.missing} (send the fields before the file)`,
  (p) =>
    p.expected.length
      ? `Yêu cầu tải lên thiếu ${p.missing} (gửi các trường ${p.expected.join(', ')} trước tệp; trường gửi sau tệp không được đọc).`
      : `Yêu cầu tải lên thiếu ${p.missing}.`,
);

export const UploadFieldRepeated = defineError<{ field: string }>(
  'UPLOAD_FIELD_REPEATED',
  'validation',
  (p) => `upload sends field ${p.field} more than once`,
  (p) => `Yêu cầu tải lên gửi trường "${p.field}" nhiều lần; mỗi trường chỉ gửi một lần.`,
);

const FILE = 'tệp';

/** For routes that take the file alone. */
export const NoFields = Type.Object({});

/**
 * The upload's file part and its fields. A field left blank counts as not sent; a required one
 * missing is `RUN_UPLOAD_INCOMPLETE`, one sent twice `UPLOAD_FIELD_REPEATED`, any other mismatch
 * `VALIDATION_FAILED`. `fileSize` stops the file's stream at that many bytes (the caller tells
 * the user when it did).
 */
export async function fileWithFields<S extends TObject>(request: FastifyRequest, schema: S, fileSize?: number): Promise<{ part: MultipartFile; fields: Static<S> }> {
  const expected = Object.keys(schema.properties);
  const part = await request.file(fileSize === undefined ? undefined : { limits: { fileSize } });
  if (!part) throw UploadIncomplete({ missing: FILE, expected });
  const values: Record<string, string> = {};
  for (const [name, entry] of Object.entries(part.fields)) {
    if (Array.isArray(entry)) throw UploadFieldRepeated({ field: name });
    // The file itself is among the fields; a second file is refused by the parser's limit.
    if (!entry || entry.type !== 'field') continue;
    const value = String(entry.value).trim();
    if (value) values[name] = value;
  }
  const missing = (schema.required ?? []).find((name: string) => !(name in values));
  if (missing) throw UploadIncomplete({ missing, expected });
  const validate = request.compileValidationSchema({ ...schema, additionalProperties: false }, 'body');
  if (!validate(values)) {
    const errors = (validate.errors ?? []) as FastifySchemaValidationError[];
    throw ValidationFailed({ detail: errors.map((e) => `${e.instancePath || 'body'} ${e.message ?? e.keyword}`).join('; '), detailVi: validationVi(errors, 'body') });
  }
  return { part, fields: values as Static<S> };
}
