import fp from 'fastify-plugin';
import { RequestMalformed, ValidationFailed } from '../../errors';

/** What the JSON parser refuses, said for users; the cause stays the code's. */
const REFUSED_VI = {
  JSON_NOT_UTF8: 'thân yêu cầu JSON không phải văn bản UTF-8',
  JSON_TEXT_UNSTORABLE: 'có chuỗi chứa ký tự rỗng (U+0000) hoặc nửa cặp ký tự UTF-16, hoặc có số vượt quá phạm vi biểu diễn, không lưu được',
} as const;

/** A string the database cannot keep as it is: PostgreSQL text holds no NUL, and a lone surrogate would be written as U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/** Whether any key or string in a parsed body is unstorable, or any number out of range (1e400 parses as Infinity); iterative, as bodies may nest deeply. */
function hasUnstorableText(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (unstorable(v)) return true;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return true;
    } else if (Array.isArray(v)) pending.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (unstorable(k)) return true;
        pending.push(x);
      }
    }
  }
  return false;
}

/**
 * Bodies and parameters as handlers may take them. JSON must be UTF-8 (Fastify's parser reads
 * other bytes as U+FFFD and goes on) and hold only text the database keeps as sent; Fastify's
 * own parser still guards against prototype poisoning. A number in a query string or path that
 * Ajv coerced to Infinity ("1e309") passes its integer and maximum checks and reached
 * PostgreSQL as "Infinity": refused here.
 */
export default fp(async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      return done(RequestMalformed({ reason: REFUSED_VI.JSON_NOT_UTF8, cause: 'JSON_NOT_UTF8' }), undefined);
    }
    parseJson(request, text, (error, parsed) => {
      if (error) return done(error, undefined);
      if (hasUnstorableText(parsed)) return done(RequestMalformed({ reason: REFUSED_VI.JSON_TEXT_UNSTORABLE, cause: 'JSON_TEXT_UNSTORABLE' }), undefined);
      done(null, parsed);
    });
  });

  app.addHook('preHandler', async (request) => {
    for (const [context, values] of [['querystring', request.query], ['params', request.params]] as const) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          throw ValidationFailed({ detail: `${context}/${name} is not a finite number`, detailVi: `${context === 'querystring' ? 'tham số' : 'đường dẫn'} "${name}" phải là số hữu hạn` });
        }
      }
    }
  });
});
