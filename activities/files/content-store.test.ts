import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalContentStore } from './content-store';
import { isAppError } from '../../domain/errors';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('local content store', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('stores bytes once under their SHA-256, read-only', async () => {
    const store = createLocalContentStore(root);
    const bytes = Buffer.from('Nguyễn Văn A — sổ khai sinh', 'utf8');
    const first = await store.put(Readable.from([bytes]));
    const second = await store.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
    expect(first).toEqual({ sha256: sha(bytes), size: bytes.length, created: true });
    expect(second).toEqual({ sha256: sha(bytes), size: bytes.length, created: false });
    const file = store.localPath(first.sha256);
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(fs.statSync(file).mode & 0o222).toBe(0);
    expect(fs.readdirSync(path.join(root, 'incoming'))).toEqual([]);
    await expect(store.verify(first.sha256)).resolves.toBeUndefined();
  });

  test('a failing source leaves nothing behind', async () => {
    const store = createLocalContentStore(root);
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put(failing)).rejects.toThrow('connection reset');
    expect(fs.readdirSync(path.join(root, 'incoming'))).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'sha256'))).toEqual([]);
  });

  test('bytes held in memory are stored the same way, once', async () => {
    const store = createLocalContentStore(root);
    const bytes = Buffer.from('%PDF-1.4 trang 1 sổ khai sinh', 'utf8');
    const first = await store.putBytes(bytes);
    const second = await store.putBytes(Buffer.from(bytes));
    expect(first).toEqual({ sha256: sha(bytes), size: bytes.length, created: true });
    expect(second).toEqual({ sha256: sha(bytes), size: bytes.length, created: false });
    expect(await store.put(Readable.from([bytes]))).toEqual({ sha256: sha(bytes), size: bytes.length, created: false });
    const file = store.localPath(first.sha256);
    expect(path.relative(root, file)).toBe(path.join('sha256', first.sha256.slice(0, 2), first.sha256));
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(fs.statSync(file).mode & 0o222).toBe(0);
    expect(fs.readdirSync(path.join(root, 'incoming'))).toEqual([]);
  });

  test('a store of the earlier two-level layout is moved to one level when opened', async () => {
    const files = ['trang một', 'trang hai', 'trang ba'].map((t) => Buffer.from(t, 'utf8'));
    for (const bytes of files) {
      const h = sha(bytes);
      fs.mkdirSync(path.join(root, 'sha256', h.slice(0, 2), h.slice(2, 4)), { recursive: true });
      fs.writeFileSync(path.join(root, 'sha256', h.slice(0, 2), h.slice(2, 4), h), bytes, { mode: 0o444 });
    }
    fs.writeFileSync(path.join(root, 'sha256', '.DS_Store'), 'left by a file browser');
    const store = createLocalContentStore(root);
    for (const bytes of files) {
      const h = sha(bytes);
      expect(fs.readFileSync(store.localPath(h))).toEqual(bytes);
      expect(fs.readdirSync(path.join(root, 'sha256', h.slice(0, 2)))).toEqual([h]);
    }
    expect(fs.readFileSync(path.join(root, 'LAYOUT'), 'utf8')).toBe('sha256/<first two hex digits>/<sha256>\n');
    // Opened again, nothing moves and the files are where they were.
    const again = createLocalContentStore(root);
    for (const bytes of files) expect(fs.readFileSync(again.localPath(sha(bytes)))).toEqual(bytes);
  });

  test('unknown and malformed hashes are a coded error', async () => {
    const store = createLocalContentStore(root);
    expect(await store.has('../../etc/passwd')).toBe(false);
    try {
      store.open('0'.repeat(64));
      throw new Error('expected an error');
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('STORED_FILE_MISSING');
    }
  });
});
