import fc from 'fast-check';
import { entriesOverlap, fileKind, identityOf, isUnsafePath } from './member-rules';

const segment = fc.string({ unit: fc.constantFrom('a', 'Ệ', 'đ', '.', ' ', '-', '_', '1', '\\', ':'), minLength: 1, maxLength: 6 });
const climbing = fc.constantFrom('..', '.. ', '...', '.. .', '..  ');

test('a name with a part that climbs, however it is spelled and wherever it is, is unsafe; so are absolute names, drive letters and NUL', () => {
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 4 }), climbing, fc.array(segment, { maxLength: 4 }), (before, up, after) => {
      expect(isUnsafePath([...before, up, ...after].join('/'))).toBe(true);
    }),
  );
  fc.assert(fc.property(fc.array(segment, { maxLength: 4 }), (parts) => expect(isUnsafePath(`/${parts.join('/')}`)).toBe(true)));
  fc.assert(fc.property(fc.constantFrom(...'cCdZ'), fc.array(segment, { maxLength: 3 }), (drive, parts) => expect(isUnsafePath(`${drive}:${parts.join('/')}`)).toBe(true)));
  fc.assert(fc.property(fc.string(), fc.string(), (a, b) => expect(isUnsafePath(`${a}\u0000${b}`)).toBe(true)));
});

test('a relative name of parts that do not climb is safe', () => {
  const safe = segment.filter((s) => !/^\.\.[. ]*$/.test(s));
  fc.assert(fc.property(fc.array(safe, { minLength: 1, maxLength: 5 }), (parts) => {
    fc.pre(!/^[a-zA-Z]:/.test(parts[0]!));
    expect(isUnsafePath(parts.join('/'))).toBe(false);
  }));
});

test('identity: case, "./" and doubled or trailing separators make no new name; it is idempotent', () => {
  const safe = segment.filter((s) => s !== '.');
  fc.assert(
    fc.property(fc.array(safe, { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom('', './', '/'), { maxLength: 5 }), fc.boolean(), (parts, noise, upper) => {
      const plain = parts.join('/');
      const noisy = parts.map((p, i) => `${noise[i] ?? ''}${upper ? p.toUpperCase() : p}`).join('/') + (noise.length > parts.length ? '/' : '');
      expect(identityOf(noisy)).toBe(identityOf(plain));
      expect(identityOf(identityOf(noisy))).toBe(identityOf(noisy));
    }),
  );
});

test('kind: any Unix mode that is not a regular file or a folder is a link or a special file; without a Unix mode, or with a regular file\'s, the name decides', () => {
  fc.assert(
    fc.property(fc.constantFrom(0, 3, 11, 19), fc.integer({ min: 0, max: 0xffff }), fc.string({ maxLength: 8 }), (host, mode, name) => {
      const kind = fileKind({ versionMadeBy: (host << 8) | 20, externalFileAttributes: mode * 0x10000 }, name);
      const type = mode & 0o170000;
      // A regular file's mode leaves it to the name, as unzip and Python's zipfile do: "x/" is a folder.
      if ((host === 3 || host === 19) && type !== 0 && type !== 0o100000) expect(kind).toBe({ 0o040000: 'directory', 0o120000: 'symlink' }[type] ?? 'special');
      else expect(kind).toBe(name.endsWith('/') ? 'directory' : 'file');
    }),
  );
});

test('entries laid one after another never overlap; one pointing into another does', () => {
  const entry = fc.record({ fileNameLength: fc.nat(40), compressedSize: fc.nat(1000) });
  fc.assert(
    fc.property(fc.array(entry, { minLength: 2, maxLength: 8 }), fc.nat(), (sizes, pick) => {
      let at = 0;
      const laid = sizes.map((s) => {
        const e = { ...s, relativeOffsetOfLocalHeader: at };
        at += 30 + s.fileNameLength + s.compressedSize;
        return e;
      });
      expect(entriesOverlap([...laid].reverse())).toBe(false);
      const into = laid[pick % laid.length]!;
      expect(entriesOverlap([...laid, { ...into, relativeOffsetOfLocalHeader: into.relativeOffsetOfLocalHeader + 1 }])).toBe(true);
    }),
  );
});
