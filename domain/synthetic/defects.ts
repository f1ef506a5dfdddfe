/**
 * Defects a synthetic export carries on request, each labelled with what a correct reader must
 * detect. Row defects change the cells one row is written with (the typed truth is kept beside
 * them); sheet defects change every sheet's layout; scan defects change a book's zip.
 */
import type { Cell } from '../profiles/sheet-mapping';
import { formatCivilDate, type PartialDate } from '../dates/civil-date';
import { fieldsOf, type RegisterTypeCode } from '../registers/register-types';
import type { RecordValues } from '../registers/validate-record';
import { detectLegacyEncoding, encodeTcvn3, encodeVni } from '../text/legacy-encoding';
import { unitCatalog, type Unit } from '../units/catalog';
import type { Random } from './random';

export const ROW_DEFECTS = [
  'unit-code-unknown',
  'unit-code-retired',
  'unit-name-only',
  'required-missing',
  'date-invalid',
  'date-partial',
  'registration-number-duplicate',
  'text-decomposed',
  'text-tcvn3',
  'text-vni',
  'code-zeros-lost',
  'formula-text',
] as const;
export const SHEET_DEFECTS = ['header-offset', 'extra-columns'] as const;
export const SCAN_DEFECTS = ['scan-missing', 'scan-orphan', 'scan-misnamed', 'scan-not-pdf', 'scan-corrupt-pdf', 'scan-cp437-name'] as const;
export const ALL_DEFECTS = [...ROW_DEFECTS, ...SHEET_DEFECTS, ...SCAN_DEFECTS] as const;

export type RowDefect = (typeof ROW_DEFECTS)[number];
export type SheetDefect = (typeof SHEET_DEFECTS)[number];
export type ScanDefect = (typeof SCAN_DEFECTS)[number];
export type Defect = (typeof ALL_DEFECTS)[number];

/** The defects of a list that are made in scan zips. */
export const scanDefectsIn = (defects: readonly string[]): ScanDefect[] => defects.filter((d): d is ScanDefect => (SCAN_DEFECTS as readonly string[]).includes(d));

/** What one defect did to a row and what a reader must find. */
export interface RowDefectLabel {
  kind: RowDefect;
  field: string;
  /** The problem code the domain parsers or validators must report, when the defect is an error. */
  expectCode?: string;
  /** The value a reader must recover despite the defect (repaired text, restored code, a partial date). */
  expectValue?: string | number | PartialDate;
}

/** Rows that carry a row defect when row defects are on: a few in a hundred, like real exports. */
export const ROW_DEFECT_RATE = 0.03;

/** Columns C06 exports add that the profile does not know; kept verbatim by a correct reader. */
export const EXTRA_COLUMNS = ['Mã hồ sơ C06', 'Ghi chú nội bộ'] as const;
/** Title rows above the header, as exports print them. */
export function titleRows(typeNameVi: string, provinceName: string): string[][] {
  return [[`DANH SÁCH ${typeNameVi.toLocaleUpperCase('vi')}`], [provinceName], []];
}

export function parseDefectList(list: string): Defect[] {
  if (list.trim() === 'all') return [...ALL_DEFECTS];
  return list.split(',').map((s) => s.trim()).filter(Boolean) as Defect[];
}

export function unknownDefects(list: readonly string[]): string[] {
  return list.filter((d) => !(ALL_DEFECTS as readonly string[]).includes(d));
}

/** The text field of a type that carries a person's name: the field text defects damage. */
function nameField(type: RegisterTypeCode): string {
  return fieldsOf(type).find((f) => f.type === 'text' && f.required && f.key.endsWith('Name'))?.key ?? 'signer';
}

function dateField(type: RegisterTypeCode, values: RecordValues): string | undefined {
  return fieldsOf(type).find((f) => f.type === 'date' && f.key !== 'registrationDate' && typeof values[f.key] === 'object' && values[f.key] !== null && (values[f.key] as PartialDate).day !== undefined)?.key;
}

/** A five-digit code no generation of the catalog uses. */
function unknownCommuneCode(random: Random): string {
  const catalog = unitCatalog();
  for (;;) {
    const code = String(random.int(90_000, 99_999));
    if (!catalog.commune('legacy', code) && !catalog.commune('2025', code) && !catalog.former('commune', code)) return code;
  }
}

/** Open syllables whose tone mark sits on either vowel depending on the convention ("Hoà"/"Hòa"). */
const TONE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['oà', 'òa'], ['oá', 'óa'], ['oả', 'ỏa'], ['oã', 'õa'], ['oạ', 'ọa'],
  ['oè', 'òe'], ['oé', 'óe'], ['oẻ', 'ỏe'], ['oẽ', 'õe'], ['oẹ', 'ọe'],
  ['uỳ', 'ùy'], ['uý', 'úy'], ['uỷ', 'ủy'], ['uỹ', 'ũy'], ['uỵ', 'ụy'],
];
const SWAP = new Map(TONE_PAIRS.flatMap(([a, b]) => [[a, b], [b, a]] as const));
const SWAPPABLE = new RegExp(`(${[...SWAP.keys()].join('|')})(?!\\p{L})`, 'gu');

/** The other tone placement of every open syllable that has one: "Thanh Hoá" ↔ "Thanh Hóa". */
export function otherTonePlacement(text: string): string {
  return text.replace(SWAPPABLE, (m) => SWAP.get(m)!);
}

/** "Phường Phúc Xá" → "P. Phúc Xá", "phường phúc xá", the other tone placement, "UBND phường Phúc Xá". */
function respell(name: string, random: Random): string {
  switch (random.int(0, 3)) {
    case 0: {
      const abbreviated = name.replace(/^Phường /u, 'P. ').replace(/^Xã /u, 'X. ').replace(/^Thị trấn /u, 'TT. ');
      return abbreviated !== name ? abbreviated : `UBND ${name}`;
    }
    case 1:
      return name.toLocaleLowerCase('vi');
    case 2:
      return otherTonePlacement(name) === name ? `  ${name} ` : otherTonePlacement(name);
    default:
      return `UBND ${name.charAt(0).toLocaleLowerCase('vi')}${name.slice(1)}`;
  }
}

export interface DefectContext {
  type: RegisterTypeCode;
  values: RecordValues;
  registeringUnit: Unit;
  /** The registration number of an earlier entry of the same book, when there is one. */
  earlierNumberInBook?: string;
  /** Former communes of the province that one unit took over, for retired codes. */
  retiredCommunes: readonly Unit[];
  /** Whether a commune's name alone (with its district's) names it unambiguously. */
  nameIsUnique(unit: Unit): boolean;
}

export interface AppliedRowDefect {
  label: RowDefectLabel;
  /** Cells written instead of the typed values' display form. */
  cells: Record<string, Cell>;
  /** The unit the row now names, when the defect changed it. */
  registeringUnit?: Unit;
}

/** Applies one of `enabled` to the row, or none when none fits it. */
export function applyRowDefect(enabled: readonly RowDefect[], ctx: DefectContext, random: Random): AppliedRowDefect | undefined {
  const fits = enabled.filter((d) => fitsRow(d, ctx));
  if (fits.length === 0) return undefined;
  const kind = random.pick(fits);
  const { type, values, registeringUnit: unit } = ctx;
  switch (kind) {
    case 'unit-code-unknown':
      return { label: { kind, field: 'agencyCode', expectCode: 'UNIT_UNKNOWN_CODE' }, cells: { agencyCode: unknownCommuneCode(random) } };
    case 'unit-code-retired': {
      const former = random.pick(ctx.retiredCommunes);
      const district = unitCatalog().district(former.districtCode!) ?? unitCatalog().former('district', former.districtCode!);
      return { label: { kind, field: 'agencyCode', expectValue: former.code }, cells: { agencyCode: former.code, agencyName: former.name, districtCode: former.districtCode!, districtName: district?.name ?? null }, registeringUnit: former };
    }
    case 'unit-name-only':
      return { label: { kind, field: 'agencyName', expectValue: unit.code }, cells: { agencyCode: null, districtCode: null, agencyName: respell(unit.name, random) } };
    case 'required-missing': {
      const field = random.pick(['registrationNumber', nameField(type)]);
      return { label: { kind, field, expectCode: 'REQUIRED_FIELD_MISSING' }, cells: { [field]: null } };
    }
    case 'date-invalid': {
      const year = values.bookYear as number;
      return { label: { kind, field: 'registrationDate', expectCode: 'DATE_INVALID' }, cells: { registrationDate: random.pick([`31/02/${year}`, `00/13/${year}`, `32/01/${year}`]) } };
    }
    case 'date-partial': {
      const field = dateField(type, values)!;
      const d = values[field] as PartialDate;
      const partial: PartialDate = random.chance(0.5) ? { year: d.year, month: d.month! } : { year: d.year };
      return { label: { kind, field, expectValue: partial }, cells: { [field]: formatCivilDate(partial) } };
    }
    case 'registration-number-duplicate':
      return { label: { kind, field: 'registrationNumber', expectCode: 'DUPLICATE_REGISTRATION_NUMBER' }, cells: { registrationNumber: ctx.earlierNumberInBook! } };
    case 'text-decomposed': {
      const field = nameField(type);
      return { label: { kind, field, expectValue: values[field] as string }, cells: { [field]: (values[field] as string).normalize('NFD') } };
    }
    case 'text-tcvn3':
    case 'text-vni': {
      const field = nameField(type);
      const text = values[field] as string;
      return { label: { kind, field, expectValue: text }, cells: { [field]: kind === 'text-tcvn3' ? encodeTcvn3(text) : encodeVni(text) } };
    }
    case 'code-zeros-lost':
      return { label: { kind, field: 'agencyCode', expectValue: values.agencyCode as string }, cells: { agencyCode: Number(values.agencyCode) } };
    case 'formula-text': {
      const text = random.pick(['=HYPERLINK("http://127.0.0.1/")', '+84 912 345 678', '-Đã cải chính', '@SUM(1)', '=1+1']);
      return { label: { kind, field: 'notes', expectValue: text }, cells: { notes: text } };
    }
  }
}

function fitsRow(kind: RowDefect, ctx: DefectContext): boolean {
  const unit = ctx.registeringUnit;
  const commune = unit.level === 'commune';
  switch (kind) {
    case 'unit-code-unknown':
      return commune;
    case 'unit-code-retired':
      return commune && ctx.retiredCommunes.length > 0;
    case 'unit-name-only':
      return commune && ctx.nameIsUnique(unit);
    case 'date-partial':
      return dateField(ctx.type, ctx.values) !== undefined;
    case 'registration-number-duplicate':
      return ctx.earlierNumberInBook !== undefined;
    case 'text-decomposed':
      return (ctx.values[nameField(ctx.type)] as string).normalize('NFD') !== ctx.values[nameField(ctx.type)];
    case 'text-tcvn3':
    case 'text-vni': {
      // Only damage a reader can tell from Vietnamese: ASCII-only names look the same in every
      // encoding, and some VNI damage reads as other Vietnamese ("Hồ Thị" → "Hoà Thò").
      const text = ctx.values[nameField(ctx.type)] as string;
      const encoded = kind === 'text-tcvn3' ? encodeTcvn3(text) : encodeVni(text);
      return encoded !== text && detectLegacyEncoding(encoded) === (kind === 'text-tcvn3' ? 'tcvn3' : 'vni');
    }
    case 'code-zeros-lost':
      return commune && (ctx.values.agencyCode as string).startsWith('0');
    default:
      return true;
  }
}
