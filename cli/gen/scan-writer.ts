/**
 * Scan zips of a synthetic export: for every book of a unit that scanned its registers, one
 * .zip named by the naming rule holding one PDF page per entry, and, when asked, the scan
 * defects, each labelled in expected-scans.ndjson. Or, zips per unit: one zip for all of a
 * unit's books, each book a folder named as its zip would be, as a commune's scanning
 * contractor hands them over (the province bench imports them so). Rows arrive book after
 * book, so one book's pages are held at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { fieldsOf, registerType } from '../../domain/registers/register-types';
import { displayValue } from '../../domain/profiles/cell-values';
import { DEFAULT_NAMING_RULE, formatBookName, formatScanName } from '../../domain/naming/scan-name';
import type { ScanDefect } from '../../domain/synthetic/defects';
import type { GeneratedRow } from '../../domain/synthetic/province-export';
import type { Random } from '../../domain/synthetic/random';
import { agencyFolderName, agencyOf } from '../../domain/units/routing';
import { createAppendingZips } from '../../formats/zip/appending-zips';
import { writeZip, type ZipEntryInput } from '../../formats/zip/zip-writer';
import { registerPagePdf } from './register-page-pdf';

/** Share of scanned books that get one scan defect when scan defects are on. */
const BOOK_DEFECT_RATE = 0.25;
/** The start of a JPEG file: a scanner's image saved under a .pdf name. */
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

export interface ScanDefectLabel {
  kind: ScanDefect;
  /** The registration number concerned (for an orphan page: the number no record has). */
  number?: string;
  /** The entry's name in the zip, as a reader should decode it. */
  entry?: string;
}

/** One zip per book, or one per registering unit with a folder per book. */
export type ScanZips = 'book' | 'unit';

export interface ScanBook {
  /** The zip holding the book's pages (per unit: the unit's zip, the pages in a folder named as the book's zip). */
  zip: string;
  unit: string;
  type: string;
  year: number;
  book: string;
  /** Registration numbers of the book's records. */
  numbers: string[];
  defects: ScanDefectLabel[];
}

export interface UnitScanZip {
  unitCode: string;
  zip: string;
  pages: number;
  bytes: number;
}

export interface ScanWriter {
  add(row: GeneratedRow): Promise<void>;
  /** Per unit: every unit's zip, in the order of their first book. */
  close(): Promise<{ books: number; pages: number; units?: UnitScanZip[] }>;
}

export function createScanWriter(outDir: string, defects: readonly ScanDefect[], random: Random, zips: ScanZips = 'book'): ScanWriter {
  // Defects are labelled by the entry names of a book's own zip; per unit those names change.
  if (zips === 'unit' && defects.length > 0) throw new Error('scan defects are made in zips per book, not per unit');
  const rule = DEFAULT_NAMING_RULE;
  const unitZips = createAppendingZips();
  const unitCodeOf = new Map<string, string>();
  const index = fs.createWriteStream(path.join(outDir, 'expected-scans.ndjson'));
  let rows: GeneratedRow[] = [];
  let currentKey = '';
  let books = 0;
  let pages = 0;

  async function flush(): Promise<void> {
    if (rows.length === 0) return;
    const first = rows[0]!;
    const { unit, year, number: book } = first.book;
    const type = first.type;
    const folder = path.join('scans', agencyFolderName(agencyOf(unit)));
    const zipName = formatBookName({ type, year, book }, rule);
    const entries: ZipEntryInput[] = [];
    const numbers: string[] = [];
    for (const row of rows) {
      const number = row.values.registrationNumber as string;
      numbers.push(number);
      entries.push({ name: formatScanName({ type, year, book, number, page: 1 }, rule), data: await pageOf(row) });
    }
    const labels: ScanDefectLabel[] = [];
    if (defects.length > 0 && random.chance(BOOK_DEFECT_RATE)) {
      const kinds = entries.length > 1 ? defects : defects.filter((d) => d !== 'scan-missing' && d !== 'scan-misnamed');
      if (kinds.length > 0) labels.push(await applyScanDefect(random.pick(kinds), entries, numbers, { type, year, book }, random));
    }
    let zip: string;
    if (zips === 'unit') {
      zip = path.join('scans', `scans-${unit.code}.zip`);
      if (!unitCodeOf.has(zip)) fs.mkdirSync(path.join(outDir, 'scans'), { recursive: true });
      unitCodeOf.set(zip, unit.code);
      const bookFolder = path.basename(zipName, '.zip');
      unitZips.append(path.join(outDir, zip), entries.map((e) => ({ ...e, name: `${bookFolder}/${e.name as string}` })));
    } else {
      zip = path.join(folder, zipName);
      fs.mkdirSync(path.join(outDir, folder), { recursive: true });
      await fs.promises.writeFile(path.join(outDir, zip), writeZip(entries));
    }
    const summary: ScanBook = { zip, unit: `${unit.level}:${unit.code}`, type, year, book, numbers, defects: labels };
    if (!index.write(`${JSON.stringify(summary)}\n`)) await new Promise<void>((resolve) => index.once('drain', () => resolve()));
    books++;
    pages += entries.length;
    rows = [];
  }

  return {
    async add(row) {
      if (!row.scanned) return;
      const key = `${row.type}|${row.book.unit.level}:${row.book.unit.code}|${row.book.year}|${row.book.number}`;
      if (key !== currentKey) {
        await flush();
        currentKey = key;
      }
      rows.push(row);
    },
    async close() {
      await flush();
      await new Promise<void>((resolve, reject) => index.end((e?: Error | null) => (e ? reject(e) : resolve())));
      if (zips === 'book') return { books, pages };
      const units = unitZips.close().map((z) => {
        const zip = path.relative(outDir, z.file);
        return { unitCode: unitCodeOf.get(zip)!, zip, pages: z.entries, bytes: z.bytes };
      });
      return { books, pages, units };
    },
  };
}

/** The register page as scanned: the entry's true values, whatever the export did to them. */
function pageOf(row: GeneratedRow): Promise<Uint8Array> {
  const { unit, year, number } = row.book;
  const fields = fieldsOf(row.type)
    .filter((f) => !['agencyCode', 'districtCode', 'agencyName', 'districtName', 'provinceName', 'bookYear', 'bookNumber', 'registrationNumber'].includes(f.key))
    .map((f) => [f.labelVi, displayValue(f, row.values[f.key])] as const)
    .filter(([, v]) => v !== '');
  return registerPagePdf({
    title: registerType(row.type).nameVi.toLocaleUpperCase('vi'),
    agency: [agencyOf(unit).name, row.values.districtName, row.values.provinceName].filter(Boolean).join(' — '),
    reference: `Quyển số ${number}/${year} — Số ${row.values.registrationNumber as string}`,
    fields,
  });
}

async function applyScanDefect(kind: ScanDefect, entries: ZipEntryInput[], numbers: string[], book: { type: string; year: number; book: string }, random: Random): Promise<ScanDefectLabel> {
  const i = random.int(0, entries.length - 1);
  const number = numbers[i]!;
  const entry = entries[i]!;
  switch (kind) {
    case 'scan-missing':
      entries.splice(i, 1);
      return { kind, number };
    case 'scan-orphan': {
      const orphan = String(Math.max(...numbers.map(Number)) + 1);
      const name = formatScanName({ ...book, number: orphan, page: 1 }, DEFAULT_NAMING_RULE);
      entries.push({ name, data: entry.data });
      return { kind, number: orphan, entry: name };
    }
    case 'scan-misnamed': {
      const name = `Scan_${String(i + 1).padStart(4, '0')}.pdf`;
      entry.name = name;
      return { kind, number, entry: name };
    }
    case 'scan-not-pdf':
      entry.data = Buffer.concat([JPEG_START, Buffer.alloc(2048, 0x55)]);
      return { kind, number, entry: entry.name as string };
    case 'scan-corrupt-pdf':
      entry.data = entry.data.subarray(0, Math.floor(entry.data.length * 0.4));
      return { kind, number, entry: entry.name as string };
    case 'scan-cp437-name': {
      // Windows' "Send to compressed folder" without the UTF-8 flag: names in the OEM code page.
      const folder = `Quét ${book.year}`;
      for (const e of entries) e.name = iconv.encode(`${folder}/${e.name as string}`, 'cp437');
      return { kind, entry: `${folder}/` };
    }
  }
}
