/**
 * Many zips filled at once, entries appended to any of them in any order: a generator's pages come
 * book after book, type after type, and every unit's books go into the unit's one zip. Each zip's
 * entries go to its file as they come, its central directory records to a file beside it, so
 * memory holds one batch and a count per zip, whatever the number of entries; `close` appends
 * each directory and its end record. Entries are laid out as zip-writer.ts lays them out.
 */
import fs from 'node:fs';
import { zipEndRecord, zipEntryRecords, type ZipEntryInput } from './zip-writer';

interface OpenZip {
  size: number;
  count: number;
  centralSize: number;
}

/** Zips kept open at once: appends mostly go to the zip of the last few (a unit's books come together). */
const OPEN_ZIPS = 8;

export interface AppendingZips {
  /** Adds `entries` at the end of the zip at `file`; the first append to a file replaces what it held. */
  append(file: string, entries: readonly ZipEntryInput[]): void;
  /** Finishes every zip; answers each file with its entries and size. */
  close(): Array<{ file: string; entries: number; bytes: number }>;
}

/**
 * Writes are synchronous: a batch is in memory already and goes to the page cache in one call,
 * where an asynchronous append's round trip through the thread pool left the generator waiting.
 */
export function createAppendingZips(): AppendingZips {
  const zips = new Map<string, OpenZip>();
  /** Open descriptors of zips and their central records, by path, least recently used first. */
  const open = new Map<string, number>();
  const centralFile = (file: string) => `${file}.central`;
  const fdOf = (file: string, created: boolean): number => {
    let fd = open.get(file);
    if (fd !== undefined) open.delete(file);
    else {
      fd = fs.openSync(file, created ? 'w' : 'a');
      if (open.size >= OPEN_ZIPS * 2) {
        const [oldest, oldFd] = open.entries().next().value!;
        fs.closeSync(oldFd);
        open.delete(oldest);
      }
    }
    open.set(file, fd);
    return fd;
  };
  return {
    append(file, entries) {
      const created = !zips.has(file);
      const zip = zips.get(file) ?? { size: 0, count: 0, centralSize: 0 };
      const local: Buffer[] = [];
      const central: Buffer[] = [];
      let size = zip.size;
      for (const entry of entries) {
        const records = zipEntryRecords(entry, size);
        local.push(...records.local);
        central.push(...records.central);
        size += records.localSize;
      }
      const centralBytes = Buffer.concat(central);
      // Checked before writing, so a zip too large for the format fails here, not when it is closed.
      zipEndRecord(zip.count + entries.length, zip.centralSize + centralBytes.length, size);
      fs.writevSync(fdOf(file, created), local);
      fs.writeSync(fdOf(centralFile(file), created), centralBytes);
      zip.size = size;
      zip.count += entries.length;
      zip.centralSize += centralBytes.length;
      zips.set(file, zip);
    },
    close() {
      for (const fd of open.values()) fs.closeSync(fd);
      open.clear();
      const done: Array<{ file: string; entries: number; bytes: number }> = [];
      for (const [file, zip] of zips) {
        const central = fs.readFileSync(centralFile(file));
        fs.appendFileSync(file, Buffer.concat([central, zipEndRecord(zip.count, zip.centralSize, zip.size)]));
        fs.rmSync(centralFile(file));
        done.push({ file, entries: zip.count, bytes: zip.size + zip.centralSize + 22 });
      }
      zips.clear();
      return done;
    },
  };
}
