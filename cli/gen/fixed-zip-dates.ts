/**
 * Zip writers stamp each entry with the time it was written, so the same workbook written twice
 * differs in bytes. This sets every entry's DOS date and time (central directory and local
 * header) to one fixed value, in place: it reads the central directory, not the whole file.
 */
import fs from 'node:fs';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** 1 January 2025, 00:00, in DOS date/time form (time 0). */
const FIXED = Buffer.from([0, 0, 0, 0]);
FIXED.writeUInt16LE(((2025 - 1980) << 9) | (1 << 5) | 1, 2);

export function fixZipDates(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    fs.readSync(fd, tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${file} is not a zip`);
    const entries = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    fs.readSync(fd, cd, 0, cdSize, cdOffset);
    const local = Buffer.alloc(4);
    let p = 0;
    for (let n = 0; n < entries; n++) {
      if (cd.readUInt32LE(p) !== CENTRAL) throw new Error(`${file}: bad central directory`);
      FIXED.copy(cd, p + 12);
      const localOffset = cd.readUInt32LE(p + 42);
      fs.readSync(fd, local, 0, 4, localOffset);
      if (local.readUInt32LE(0) !== LOCAL) throw new Error(`${file}: bad local header`);
      fs.writeSync(fd, FIXED, 0, 4, localOffset + 10);
      p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    }
    fs.writeSync(fd, cd, 0, cdSize, cdOffset);
  } finally {
    fs.closeSync(fd);
  }
}
