import { Writable } from 'node:stream';
import { createLogger } from './logger';

test('personal data never reaches a log line, wherever it sits in the object', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ env: 'production', logLevel: 'info' }, {}, sink);
  log.info({ recordId: 42, fullName: 'Nguyễn Văn An', record: { personalId: '001085012345' }, row: { dateOfBirth: '05/03/1985' }, req: { headers: { authorization: 'Bearer abc' } } }, 'imported');
  log.info({ nested: { person: { idNumber: '012345678', name: 'Trần Thị Bình' } } }, 'x');
  const out = lines.join('');
  expect(out).toContain('"recordId":42');
  for (const secret of ['Nguyễn Văn An', '001085012345', '05/03/1985', 'Bearer abc', '012345678', 'Trần Thị Bình']) expect(out).not.toContain(secret);
});

test('a request is logged without the values of its query, an error without the fields that quote a row', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger({ env: 'production', logLevel: 'info' }, {}, sink);
  log.info({ req: { method: 'GET', url: '/api/agencies/00097/records?q=Nguy%E1%BB%85n%20V%C4%83n%20An&limit=50', ip: '10.0.0.7' } }, 'incoming request');
  const failed = Object.assign(new Error('new row for relation "records" violates check constraint "records_key"'), {
    code: '23514',
    detail: 'Failing row contains (7, 00097, Nguyễn Văn An, 001085012345).',
  });
  log.error({ err: failed }, 'unhandled error');
  const [request, error] = lines.map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
  expect(request!.req).toEqual({ method: 'GET', url: '/api/agencies/00097/records?q=…&limit=…', remoteAddress: '10.0.0.7' });
  expect(error!.err).toMatchObject({ type: 'Error', code: '23514', message: 'new row for relation "records" violates check constraint "records_key"' });
  expect(lines.join('')).not.toMatch(/Nguy|001085012345/);
});
