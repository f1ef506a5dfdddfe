/**
 * A C06-style export as a new user would bring one that no one here wrote (issue 20): a
 * birth register sheet written by SheetJS's default writer, title rows above the header, the
 * data dictionary's columns, and every person's name with leading, trailing or doubled spaces.
 * SheetJS writes such text as <c t="str"><v xml:space="preserve">  Hoàng  Thị Hương </v></c>.
 */
import fs from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { displayValue } from '../../domain/profiles/cell-values';
import { fieldsOf, registerType } from '../../domain/registers/register-types';
import { titleRows } from '../../domain/synthetic/defects';
import { generateProvinceExport, type GeneratedRow } from '../../domain/synthetic/province-export';
import { unitCatalog } from '../../domain/units/catalog';

/** The fields that hold a person's name: their text is what must never be lost. */
export const NAME_FIELDS = fieldsOf('KS').filter((f) => f.type === 'text' && /Name$/.test(f.key) && !['agencyName', 'districtName', 'provinceName'].includes(f.key));

/** A name's words with spaces added around and between them, as typed by hand: at least one space too many. */
function spaced(name: string, k: number): string {
  const words = name.split(' ');
  const between = (i: number) => ' '.repeat(1 + ((k + i) % 3 === 0 ? 1 : 0));
  const inner = words.map((w, i) => (i === 0 ? w : between(i) + w)).join('');
  return ['  ' + inner + ' ', ' ' + inner, inner + '  ', '   ' + inner + '   '][k % 4]!;
}

export interface SpacedNamesExport {
  /** The rows as generated: each one's names are written spaced. */
  rows: GeneratedRow[];
  /** Per row (by its row in the sheet, as "KS!7") and name field, the name as written and as it must be read (spaces collapsed). */
  names: Map<string, Array<{ field: string; written: string; expected: string }>>;
  /** Rows above the first data row: the title rows and the header. */
  rowsAbove: number;
}

/** Writes the export to `file` (one sheet, KS) and says what its names are. */
export function writeSpacedNamesExport(file: string, options: { provinceCode: string; records: number; seed: number }): SpacedNamesExport {
  const fields = fieldsOf('KS');
  const rows = [...generateProvinceExport(options)].filter((r) => r.type === 'KS');
  const names: SpacedNamesExport['names'] = new Map();
  const title = titleRows(registerType('KS').nameVi, unitCatalog().province('legacy', options.provinceCode)!.name);
  const rowsAbove = title.length + 1;
  let k = 0;
  const data = rows.map((row, i) => {
    const written: Array<{ field: string; written: string; expected: string }> = [];
    const cells = fields.map((f) => {
      const text = displayValue(f, row.values[f.key]);
      if (!NAME_FIELDS.includes(f) || text === '') return text === '' ? null : text;
      const name = spaced(text, k++);
      written.push({ field: f.key, written: name, expected: text });
      return name;
    });
    names.set(`KS!${rowsAbove + i + 1}`, written);
    return cells;
  });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([...title, fields.map((f) => f.labelVi), ...data]), 'KS');
  fs.writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return { rows, names, rowsAbove };
}

/** The XML of the export's sheet, to show the form its names are written in. */
export function sheetXmlOf(file: string): string {
  const zip = XLSX.CFB.read(fs.readFileSync(file), { type: 'buffer' });
  return Buffer.from(XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml')!.content as Uint8Array).toString('utf8');
}

/** Writes the spaced name in `cell` (as "R40") as a reference past the shared string table, as a damaged file might hold it. */
export function damageName(file: string, cell: string): void {
  const zip = XLSX.CFB.read(fs.readFileSync(file), { type: 'buffer' });
  const sheet = XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml')!;
  const xml = Buffer.from(sheet.content as Uint8Array).toString('utf8');
  const damaged = xml.replace(new RegExp(`<c r="${cell}" t="str"><v xml:space="preserve">[^<]*</v></c>`), `<c r="${cell}" t="s"><v>7</v></c>`);
  if (damaged === xml) throw new Error(`${cell} holds no spaced name`);
  sheet.content = Buffer.from(damaged, 'utf8');
  fs.writeFileSync(file, XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Buffer);
}
