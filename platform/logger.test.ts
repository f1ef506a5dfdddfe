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
