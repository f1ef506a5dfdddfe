/**
 * A synthetic C06-style export of a real province: pre-2025 registering units from the
 * catalog (so the 1 July 2025 succession is exercised), every register type in a realistic
 * share, books of realistic size numbered per unit, type and year, consistent people and
 * dates, personal IDs consistent with sex and birth year, and the defects asked for. Rows are
 * produced one at a time, so any number of them streams in flat memory.
 *
 * Working assumptions (stated, not sourced): the type shares below; 200 entries per book;
 * registration years 1995–2024; 4 % of births, deaths and marriages registered at district
 * level (foreign element); personal IDs on births registered from 2016.
 */
import { daysInMonth, type PartialDate } from '../dates/civil-date';
import { encodePersonalId, type Sex } from '../identity/personal-id';
import type { RecordValues } from '../registers/validate-record';
import { type RegisterTypeCode } from '../registers/register-types';
import { unitCatalog, type Unit } from '../units/catalog';
import { agencyOf, type Agency, type RoutingFailure } from '../units/routing';
import type { Cell } from '../profiles/sheet-mapping';
import { foldKey } from '../text/normalize';
import { applyRowDefect, ROW_DEFECT_RATE, ROW_DEFECTS, type Defect, type RowDefect, type RowDefectLabel } from './defects';
import { familyName, fullName } from './names';
import { createRandom, type Random } from './random';

export const TYPE_SHARES: ReadonlyArray<readonly [RegisterTypeCode, number]> = [
  ['KS', 0.58], ['KT', 0.2], ['KH', 0.14], ['CMC', 0.02], ['GH', 0.01], ['TDCC', 0.03], ['GCNN', 0.01], ['LH', 0.01],
];
export const ENTRIES_PER_BOOK = 200;
const YEARS = { from: 1995, to: 2024 } as const;
const DISTRICT_SHARE = 0.04;

export interface GeneratedRow {
  /** 1-based, in output order. */
  rowId: number;
  type: RegisterTypeCode;
  /** The unit the row names (a former unit for a retired-code defect). */
  registeringUnit: Unit;
  /** The true typed values, keyed by the field dictionary. */
  values: RecordValues;
  /** Cells written instead of the values' display form: a row defect. */
  cells?: Record<string, Cell>;
  defect?: RowDefectLabel;
  /** The book the entry is in: its unit (the one that really registered it), type, year and number. */
  book: { unit: Unit; year: number; number: string };
  /** Whether the registering unit scanned its books (then the row's page is in its book's zip). */
  scanned: boolean;
  /** Where a correct split puts the row: an agency, or the exceptions with a reason. */
  expected: { agency: Agency } | { exception: RoutingFailure };
}

export interface ProvinceExportOptions {
  provinceCode: string;
  records: number;
  seed: number | string;
  /** Share of registering units that scanned their books, 0–1. */
  scannedRatio?: number;
  defects?: readonly Defect[];
}

/** How many rows of each type: the shares, the remainder to births. */
export function rowsPerType(total: number): Array<[RegisterTypeCode, number]> {
  const counts = TYPE_SHARES.map(([t, share]) => [t, Math.floor(total * share)] as [RegisterTypeCode, number]);
  counts[0]![1] += total - counts.reduce((s, [, n]) => s + n, 0);
  return counts;
}

/** `total` split in proportion to `weights`, whole numbers that add up (largest remainders). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const counts = quotas.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

type FullDate = PartialDate & { month: number; day: number };

function dateIn(random: Random, year: number): FullDate {
  const month = random.int(1, 12);
  return { year, month, day: random.int(1, daysInMonth(year, month)) };
}

const dayNumber = (d: FullDate) => Date.UTC(d.year, d.month - 1, d.day);

function daysBefore(d: FullDate, days: number): FullDate {
  const t = new Date(dayNumber(d) - days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [['Kinh', 85], ['Tày', 2], ['Thái', 2], ['Mường', 1.5], ['Khmer', 1.5], ['Hoa', 1], ['Nùng', 1], ['H\'Mông', 1], ['Dao', 1]];

export function expectedPlacement(unit: Unit): GeneratedRow['expected'] {
  const catalog = unitCatalog();
  if (unit.former) {
    const absorption = catalog.absorptionOf(unit);
    return absorption?.kind === 'absorbed' ? expectedPlacement(absorption.into) : { exception: 'UNIT_SPLIT_NEEDS_DECISION' };
  }
  const s = catalog.successorOf(unit);
  // A district's registers wait for the coordinator to name their custodian, but an island district's, which became one commune.
  if (unit.level === 'district') return s?.kind === 'same-or-merged' ? { agency: agencyOf(s.to) } : { exception: 'UNIT_DISTRICT_NEEDS_DECISION' };
  if (!s) throw new Error(`catalog unit ${unit.code} has no successor`);
  return s.kind === 'divided' ? { exception: 'UNIT_SPLIT_NEEDS_DECISION' } : { agency: agencyOf(s.to) };
}

/** Registering units of one type with how many of its rows each holds. */
function unitsOfType(type: RegisterTypeCode, count: number, districts: readonly Unit[], communes: readonly Unit[], random: Random): Array<[Unit, number]> {
  const districtShare = type === 'GCNN' || type === 'LH' || communes.length === 0 ? 1 : ['KS', 'KT', 'KH', 'CMC'].includes(type) ? DISTRICT_SHARE : 0;
  const units = [...(districtShare > 0 ? districts : []), ...(districtShare < 1 ? communes : [])];
  // Units differ in size: a weight per unit, the district level holding its share in total.
  const weights = units.map((u) => (0.4 + random.next() * 1.2) * (u.level === 'district' ? districtShare / districts.length : (1 - districtShare) / communes.length));
  return apportion(count, weights).map((n, i) => [units[i]!, n] as [Unit, number]).filter(([, n]) => n > 0);
}

/** Rows per registering unit below which a smaller export concentrates on fewer units, so its books are not all single entries. */
const ROWS_PER_UNIT = 600;

/** The units an export of `records` rows covers: all of them at scale, a random few for a small sample (with their districts). */
function activeUnits(all: { districts: Unit[]; communes: Unit[] }, records: number, random: Random): { districts: Unit[]; communes: Unit[] } {
  const wanted = Math.max(3, Math.ceil(records / ROWS_PER_UNIT));
  const pick = (units: Unit[]) => {
    if (units.length <= wanted) return units;
    const shuffled = [...units];
    for (let i = 0; i < wanted; i++) {
      const j = random.int(i, shuffled.length - 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const chosen = new Set(shuffled.slice(0, wanted));
    return units.filter((u) => chosen.has(u));
  };
  if (all.communes.length === 0) return { districts: pick(all.districts), communes: [] };
  const communes = pick(all.communes);
  const districtCodes = new Set(communes.map((c) => c.districtCode));
  return { districts: all.districts.filter((d) => districtCodes.has(d.code)), communes };
}

const YEAR_LIST = Array.from({ length: YEARS.to - YEARS.from + 1 }, (_, i) => YEARS.from + i);
// Registrations grow over the years as more of them are recorded.
const YEAR_WEIGHTS = YEAR_LIST.map((_, i) => 1 + i / YEAR_LIST.length);

/**
 * Rows type after type (one sheet after another); within a type, unit after unit, year after
 * year, so each book's entries come together and in the order of their registration.
 */
export function* generateProvinceExport(opts: ProvinceExportOptions): Generator<GeneratedRow> {
  const catalog = unitCatalog();
  const province = catalog.province('legacy', opts.provinceCode);
  if (!province) throw new RangeError(`no pre-2025 province ${opts.provinceCode}`);
  const root = createRandom(opts.seed);
  const { districts, communes } = activeUnits(catalog.legacyUnitsOf(opts.provinceCode), opts.records, root.fork('units'));
  const districtOf = (code: string) => catalog.district(code) ?? catalog.former('district', code)!;
  const rowDefects = (opts.defects ?? []).filter((d): d is RowDefect => (ROW_DEFECTS as readonly string[]).includes(d));
  const retiredCommunes = catalog.formerUnitsOf(opts.provinceCode).communes.filter((u) => catalog.absorptionOf(u)?.kind === 'absorbed');
  const namesInDistrict = new Map<string, number>();
  const nameKey = (u: Unit) => `${u.districtCode}|${foldKey(u.name)}`;
  for (const u of [...communes, ...catalog.formerUnitsOf(opts.provinceCode).communes]) namesInDistrict.set(nameKey(u), (namesInDistrict.get(nameKey(u)) ?? 0) + 1);
  const scanChoice = root.fork('scanned');
  const scannedUnits = new Set([...districts, ...communes].filter(() => scanChoice.chance(opts.scannedRatio ?? 0)).map((u) => `${u.level}:${u.code}`));
  let rowId = 0;

  for (const [type, count] of rowsPerType(opts.records)) {
    const random = root.fork(type);
    const defectRandom = root.fork(`defects:${type}`);
    for (const [unit, unitRows] of unitsOfType(type, count, districts, communes, random)) {
      const district = unit.level === 'district' ? unit : districtOf(unit.districtCode!);
      const scanned = scannedUnits.has(`${unit.level}:${unit.code}`);
      const perYear = apportion(unitRows, YEAR_WEIGHTS.map((w) => w * (0.7 + random.next() * 0.6)));
      for (const [y, rows] of perYear.entries()) {
        if (rows === 0) continue;
        const year = YEAR_LIST[y]!;
        const dates = Array.from({ length: rows }, () => dateIn(random, year)).sort((a, b) => dayNumber(a) - dayNumber(b));
        for (const [seq, registrationDate] of dates.entries()) {
          const values: RecordValues = {
            agencyCode: unit.level === 'commune' ? unit.code : null,
            districtCode: district.code,
            agencyName: unit.name,
            districtName: district.name,
            provinceName: province.name,
            bookYear: year,
            bookNumber: String(Math.floor(seq / ENTRIES_PER_BOOK) + 1).padStart(2, '0'),
            registrationNumber: String(seq + 1),
            registrationDate,
            signer: fullName(random, random.chance(0.6) ? 'male' : 'female'),
            signerTitle: random.pick(['Chủ tịch', 'Phó Chủ tịch']),
            officer: fullName(random, random.chance(0.5) ? 'male' : 'female'),
            ...facts(type, random, registrationDate, province, unit, district),
          };
          rowId++;
          const row: GeneratedRow = { rowId, type, registeringUnit: unit, values, book: { unit, year, number: values.bookNumber as string }, scanned, expected: expectedPlacement(unit) };
          if (rowDefects.length > 0 && defectRandom.chance(ROW_DEFECT_RATE)) {
            const applied = applyRowDefect(
              rowDefects,
              {
                type, values, registeringUnit: unit, retiredCommunes,
                ...(seq % ENTRIES_PER_BOOK > 0 ? { earlierNumberInBook: String(seq) } : {}),
                nameIsUnique: (u) => namesInDistrict.get(nameKey(u)) === 1,
              },
              defectRandom,
            );
            if (applied) {
              row.cells = applied.cells;
              row.defect = applied.label;
              if (applied.registeringUnit) {
                row.registeringUnit = applied.registeringUnit;
                row.expected = expectedPlacement(applied.registeringUnit);
              }
              if (applied.label.expectCode === 'UNIT_UNKNOWN_CODE') row.expected = { exception: 'UNIT_UNKNOWN_CODE' };
            }
          }
          yield row;
        }
      }
    }
  }
}

function facts(type: RegisterTypeCode, random: Random, registered: FullDate, province: Unit, unit: Unit, district: Unit): RecordValues {
  const sexOf = (): Sex => (random.chance(0.51) ? 'male' : 'female');
  const place = `${unit.name}, ${district.name}, ${province.name}`;
  const ethnicity = random.weighted(ETHNICITIES);
  const idFor = (sex: Sex, birthYear: number) => encodePersonalId({ provinceCode: province.code, sex, birthYear, serial: random.int(0, 999_999) });
  // Born at least `age` full years before the registration (366 days a year never undercounts).
  const adult = (sex: Sex, age: number, family?: string) => {
    const dob = daysBefore(registered, age * 366 + random.int(0, 364));
    return { name: fullName(random, sex, family), dob, id: registered.year >= 2016 ? idFor(sex, dob.year) : null };
  };
  switch (type) {
    case 'KS': {
      const sex = sexOf();
      const late = random.chance(0.05);
      const dob = late ? daysBefore(registered, random.int(61, 3650)) : daysBefore(registered, random.int(0, 59));
      const fatherFamily = familyName(random);
      const mother = adult('female', registered.year - dob.year + random.int(18, 40));
      const father = adult('male', registered.year - dob.year + random.int(20, 45), fatherFamily);
      return {
        fullName: fullName(random, sex, fatherFamily), dateOfBirth: dob, sex, ethnicity, nationality: 'Việt Nam',
        placeOfBirth: random.chance(0.7) ? `Trạm y tế ${unit.name.replace(/^(Xã|Phường|Thị trấn) /u, '')}` : place, nativePlace: place,
        personalId: registered.year >= 2016 ? idFor(sex, dob.year) : null, lateRegistration: late,
        motherName: mother.name, motherDateOfBirth: { year: mother.dob.year }, motherEthnicity: ethnicity, motherNationality: 'Việt Nam', motherResidence: place,
        fatherName: father.name, fatherDateOfBirth: { year: father.dob.year }, fatherEthnicity: ethnicity, fatherNationality: 'Việt Nam', fatherResidence: place,
        declarantName: random.chance(0.6) ? father.name : mother.name, declarantRelationship: random.pick(['Cha', 'Mẹ']),
      };
    }
    case 'KT': {
      const sex = sexOf();
      const age = random.weighted([[random.int(0, 40), 1], [random.int(41, 70), 3], [random.int(71, 100), 6]] as const);
      const dob = dateIn(random, registered.year - age);
      const death = daysBefore(registered, random.int(0, 30));
      return {
        fullName: fullName(random, sex), dateOfBirth: dob.year < death.year ? dob : { year: dob.year }, sex, ethnicity, nationality: 'Việt Nam', lastResidence: place,
        dateOfDeath: death, placeOfDeath: random.pick(['Tại nhà', 'Bệnh viện đa khoa tỉnh', 'Trạm y tế xã']), causeOfDeath: random.pick(['Bệnh', 'Tuổi già', 'Tai nạn giao thông', 'Đột quỵ']),
        declarantName: fullName(random, sexOf()), declarantRelationship: random.pick(['Con', 'Vợ', 'Chồng', 'Cháu']),
      };
    }
    case 'KH': {
      const husband = adult('male', random.int(20, 40));
      const wife = adult('female', random.int(18, 35));
      return {
        husbandName: husband.name, husbandDateOfBirth: husband.dob, husbandEthnicity: ethnicity, husbandNationality: 'Việt Nam', husbandResidence: place, husbandPersonalId: husband.id,
        wifeName: wife.name, wifeDateOfBirth: wife.dob, wifeEthnicity: ethnicity, wifeNationality: 'Việt Nam', wifeResidence: place, wifePersonalId: wife.id,
        marriageOrdinal: 'Lần đầu',
      };
    }
    case 'CMC': {
      const parent = adult('male', random.int(22, 50));
      const child = adult(sexOf(), random.int(0, 15));
      return { recognizingName: parent.name, recognizingDateOfBirth: parent.dob, recognizedName: child.name, recognizedDateOfBirth: child.dob, relationship: 'fatherChild' };
    }
    case 'GH': {
      const guardian = adult(sexOf(), random.int(25, 60));
      const ward = adult(sexOf(), random.int(1, 14));
      return { guardianName: guardian.name, guardianDateOfBirth: guardian.dob, wardName: ward.name, wardDateOfBirth: ward.dob, guardianshipKind: random.pick(['appointed', 'legal']) };
    }
    case 'TDCC': {
      const sex = sexOf();
      const name = fullName(random, sex);
      return { fullName: name, dateOfBirth: dateIn(random, registered.year - random.int(1, 60)), sex, changeKind: 'correction', contentBefore: name.normalize('NFD').replace(/\p{M}/gu, ''), contentAfter: name, grounds: 'Giấy khai sinh bản chính' };
    }
    case 'GCNN': {
      const person = adult(sexOf(), random.int(0, 40));
      return { personName: person.name, personDateOfBirth: person.dob, foreignAuthority: random.pick(['Cơ quan đăng ký hộ tịch Nhật Bản', 'Văn phòng hộ tịch Hàn Quốc', 'Cơ quan hộ tịch Đài Loan']), decisionNumber: String(random.int(1, 9999)), content: 'Khai sinh' };
    }
    case 'LH': {
      const husband = adult('male', random.int(25, 60));
      const wife = adult('female', random.int(22, 55));
      return { husbandName: husband.name, husbandDateOfBirth: husband.dob, wifeName: wife.name, wifeDateOfBirth: wife.dob, court: `Tòa án nhân dân ${district.name}`, decisionNumber: `${random.int(1, 500)}/${registered.year}/QĐST-HNGĐ`, content: 'Ly hôn' };
    }
  }
}
