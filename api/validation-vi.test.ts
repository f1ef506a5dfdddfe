import Fastify from 'fastify';
import fc from 'fast-check';
import { Type } from '@sinclair/typebox';
import errorHandler from './plugins/app/error-handler';

const body = Type.Object(
  {
    items: Type.Array(Type.Object({ recordId: Type.Integer({ minimum: 1, maximum: 100 }), kind: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }), { minItems: 1, maxItems: 3 }),
    reason: Type.String({ minLength: 1, maxLength: 5, pattern: '^[a-zà-ỹ]+$' }),
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const querystring = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) });

let app: ReturnType<typeof Fastify>;
beforeAll(async () => {
  // The application's Ajv options (api/app.ts) and its error handler.
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } } });
  await app.register(errorHandler);
  app.post('/x', { schema: { body, querystring } }, async () => ({ ok: true }));
  await app.ready();
});
afterAll(() => app.close());

const refusal = async (payload: unknown, query = '') => {
  const r = await app.inject({ method: 'POST', url: `/x${query}`, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: r.statusCode, ...(r.json() as { code: string; message: string }) };
};

test('whatever a schema refuses is said in Vietnamese, naming the field, without Ajv\'s English', async () => {
  await fc.assert(
    fc.asyncProperty(fc.anything({ maxDepth: 3 }), async (payload) => {
      const r = await refusal(payload);
      fc.pre(r.status !== 200);
      expect(['VALIDATION_FAILED', 'REQUEST_MALFORMED']).toContain(r.code);
      expect(r.message.replace(/"[^"]*"/g, '')).not.toMatch(/\b(must|should|have|property|allowed|match|object|integer|characters|items)\b/);
      expect(r.message.normalize('NFC')).toBe(r.message);
    }),
    { numRuns: 60 },
  );
});

test('the field and the limit are named', async () => {
  expect((await refusal({ items: [{ recordId: 0, kind: 'approve' }], reason: 'x' })).message).toBe('Dữ liệu gửi lên không hợp lệ: trường "items[0].recordId" phải từ 1 trở lên.');
  expect((await refusal({ items: [{ recordId: 1, kind: 'approve' }] })).message).toBe('Dữ liệu gửi lên không hợp lệ: dữ liệu gửi lên thiếu trường "reason".');
  expect((await refusal({ items: [{ recordId: 1, kind: 'approve' }], reason: 'x' }, '?limit=501')).message).toBe('Dữ liệu gửi lên không hợp lệ: tham số "limit" phải không quá 500.');
});
