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

export interface AppendingZips {
  /** Adds `entries` at the end of the zip at `file`; the first append to a file replaces what it held. */
  append(file: string, entries: readonly ZipEntryInput[]): Promise<void>;
  /** Finishes every zip; answers each file with its entries and size. */
  close(): Promise<Array<{ file: string; entries: number; bytes: number }>>;
}

export function createAppendingZips(): AppendingZips {
  const zips = new Map<string, OpenZip>();
  const centralFile = (file: string) => `${file}.central`;
  return {
    async append(file, entries) {
      let zip = zips.get(file);
      if (!zip) {
        zip = { size: 0, count: 0, centralSize: 0 };
        zips.set(file, zip);
        await fs.promises.writeFile(file, '');
        await fs.promises.writeFile(centralFile(file), '');
      }
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
      await fs.promises.appendFile(file, Buffer.concat(local, size - zip.size));
      await fs.promises.appendFile(centralFile(file), centralBytes);
      zip.size = size;
      zip.count += entries.length;
      zip.centralSize += centralBytes.length;
    },
    async close() {
      const done: Array<{ file: string; entries: number; bytes: number }> = [];
      for (const [file, zip] of zips) {
        const central = await fs.promises.readFile(centralFile(file));
        await fs.promises.appendFile(file, Buffer.concat([central, zipEndRecord(zip.count, zip.centralSize, zip.size)]));
        await fs.promises.rm(centralFile(file));
        done.push({ file, entries: zip.count, bytes: zip.size + zip.centralSize + 22 });
      }
      zips.clear();
      return done;
    },
  };
}
