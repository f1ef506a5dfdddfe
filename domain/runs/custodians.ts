/**
 * Who keeps the books of a unit that no longer exists. A commune divided on 1 July 2025, an
 * abolished district, or a former unit whose taker the catalog does not know: the province
 * decides once per former unit which current agency keeps its registers (no national rule says;
 * see shared/spec/admin-units.md), and the split then places every row of that unit there,
 * under the former unit's own books. Pure: the workflow's validator, the services, the offline
 * split and the API all check decisions here.
 */
import { defineError } from '../errors';
import type { RegisterTypeCode } from '../registers/register-types';
import { restoreUnitCode, unitCatalog, type Unit } from '../units/catalog';
import { agencyOf, currentProvinceCode, type Agency } from '../units/routing';

/** A former unit with registers in the package whose custodian the coordinator decides. */
export interface DecisionNeeded {
  unitCode: string;
  unitName: string;
  level: 'commune' | 'district';
  /** The routing reason its rows carry until decided. */
  reason: 'UNIT_SPLIT_NEEDS_DECISION' | 'UNIT_DISTRICT_NEEDS_DECISION';
  rows: number;
  /** Rows and distinct books (year and book number) per register type. */
  registers: Partial<Record<RegisterTypeCode, { rows: number; books: number }>>;
  /** Current agencies that could keep its books, most likely first. */
  candidates: Array<{ code: string; name: string }>;
  /**
   * For a district: whether the first candidate is the commune at its former seat. The catalog
   * records no district seat, so this is always false: the coordinator names it.
   */
  seatKnown?: false;
}

/** A decision as the coordinator gives it: one line of the table, or one command. */
export interface CustodianDecisionInput {
  unitCode: string;
  agencyCode: string;
  /** Why this agency; required when it is not one of the unit's candidates. */
  basis?: string;
  /** The People's Committee's decision the choice rests on. */
  committeeDecision?: { number: string; date: string };
}

/** A decision as checked and recorded. */
export interface CustodianDecision extends CustodianDecisionInput {
  unitName: string;
  agencyName: string;
  /** Whether the agency is one of the unit's candidates. */
  candidate: boolean;
  decidedBy: string;
  decidedAt: string;
}

/** Former unit code → the codes of its candidate agencies: what a decision is checked against. */
export type NeededUnits = Readonly<Record<string, readonly string[]>>;

export const CustodianAgencyUnknown = defineError<{ code: string }>(
  'CUSTODIAN_AGENCY_UNKNOWN',
  'validation',
  (p) => `agency code ${p.code} is not a commune of the catalog`,
  (p) => `Mã cơ quan "${p.code}" không có trong danh mục xã/phường hiện hành (từ 01/7/2025).`,
);

export const CustodianAgencyRetired = defineError<{ code: string; name: string }>(
  'CUSTODIAN_AGENCY_RETIRED',
  'validation',
  (p) => `agency code ${p.code} names a unit that no longer exists`,
  (p) => `Mã ${p.code} là của ${p.name}, đơn vị không còn từ 01/7/2025; cơ quan lưu giữ phải là UBND một xã/phường hiện hành.`,
);

export const CustodianAgencyOtherProvince = defineError<{ code: string; name: string; province: string }>(
  'CUSTODIAN_AGENCY_OTHER_PROVINCE',
  'validation',
  (p) => `agency ${p.code} is not in province ${p.province}`,
  (p) => `${p.name} (mã ${p.code}) không thuộc tỉnh/thành phố của lượt chạy (mã ${p.province}); cơ quan lưu giữ phải là một cơ quan của tỉnh.`,
);

export const CustodianUnitNotNeeded = defineError<{ code: string }>(
  'CUSTODIAN_UNIT_NOT_NEEDED',
  'validation',
  (p) => `unit ${p.code} needs no custodian decision in this split`,
  (p) => `Đơn vị mã "${p.code}" không cần quyết định cơ quan lưu giữ trong kết quả tách này (không phải xã bị chia, huyện không còn, hoặc không có sổ trong gói dữ liệu).`,
);

export const CustodianUnitTwice = defineError<{ code: string; first: string; second: string }>(
  'CUSTODIAN_UNIT_TWICE',
  'validation',
  (p) => `unit ${p.code} is given two custodians: ${p.first} and ${p.second}`,
  (p) => `Đơn vị mã ${p.code} được ghi hai lần với hai cơ quan lưu giữ khác nhau (${p.first} và ${p.second}); mỗi đơn vị cũ chỉ một cơ quan lưu giữ.`,
);

export const CustodianBasisMissing = defineError<{ unit: string; agency: string }>(
  'CUSTODIAN_BASIS_MISSING',
  'validation',
  (p) => `agency ${p.agency} is not a candidate for unit ${p.unit} and no basis is given`,
  (p) => `Cơ quan ${p.agency} không nằm trong các đơn vị kế thừa của đơn vị mã ${p.unit}; cần ghi căn cứ (lý do) cho lựa chọn này.`,
);

export const CustodianDecisionDateInvalid = defineError<{ value: string }>(
  'CUSTODIAN_DECISION_DATE_INVALID',
  'validation',
  (p) => `${p.value} is not a date`,
  (p) => `Ngày quyết định "${p.value}" không hợp lệ (ghi dạng dd/mm/yyyy hoặc yyyy-mm-dd).`,
);

export const CustodianDecisionsEmpty = defineError(
  'CUSTODIAN_DECISIONS_EMPTY',
  'validation',
  () => 'no custodian decision given',
  () => 'Chưa có quyết định nào: ghi ít nhất một đơn vị cũ với mã cơ quan lưu giữ.',
);

export const CustodianAlreadyReleased = defineError<{ code: string }>(
  'CUSTODIAN_ALREADY_RELEASED',
  'conflict',
  (p) => `the custodian of unit ${p.code} was decided and released; it cannot change`,
  (p) => `Cơ quan lưu giữ sổ của đơn vị mã ${p.code} đã được quyết định và dữ liệu đã giao; không thay đổi được nữa.`,
);

/** A current agency of the province by its code: the People's Committee of a commune of the 2025 list. */
export function resolveCustodianAgency(written: string, provinceCode: string): Agency {
  const code = restoreUnitCode(written, 'commune');
  const catalog = unitCatalog();
  const unit = /^\d{5}$/.test(code) ? catalog.commune('2025', code) : undefined;
  if (!unit) {
    const old: Unit | undefined =
      catalog.commune('legacy', code) ?? catalog.former('commune', code) ?? catalog.district(restoreUnitCode(written, 'district')) ?? catalog.former('district', restoreUnitCode(written, 'district'));
    if (old) throw CustodianAgencyRetired({ code: written.trim(), name: old.name });
    throw CustodianAgencyUnknown({ code: written.trim() });
  }
  if (unit.provinceCode !== currentProvinceCode(provinceCode)) throw CustodianAgencyOtherProvince({ code, name: unit.name, province: provinceCode });
  return agencyOf(unit);
}

/** The former unit a written code means among those needing a decision (a spreadsheet may have dropped its zeros). */
function neededUnitCode(written: string, needed: NeededUnits): string {
  const w = written.trim();
  // A code written whole is that unit ("007" a district, not commune 00007 with zeros lost).
  if (needed[w]) return w;
  for (const level of ['commune', 'district'] as const) {
    const code = restoreUnitCode(w, level);
    if (needed[code]) return code;
  }
  throw CustodianUnitNotNeeded({ code: w });
}

/** yyyy-mm-dd of a date written dd/mm/yyyy or yyyy-mm-dd, or a refusal. */
export function decisionDate(value: string): string {
  const v = value.trim();
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) throw CustodianDecisionDateInvalid({ value: v });
  const [y, mo, d] = v.includes('/') ? [m[3]!, m[2]!, m[1]!] : [m[1]!, m[2]!, m[3]!];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) throw CustodianDecisionDateInvalid({ value: v });
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

const text = (v: string | undefined) => (v === undefined ? undefined : v.normalize('NFC').trim() || undefined);

/**
 * Checks a batch of decisions against the units that need one, and returns them with codes
 * restored and names filled in. Nothing of a batch is taken when any line is wrong: the first
 * wrong line's error is thrown. The same unit twice with the same answer is one decision.
 */
export function checkCustodianDecisions(
  provinceCode: string,
  needed: NeededUnits,
  decisions: readonly CustodianDecisionInput[],
  decided: { by: string; at: string },
): CustodianDecision[] {
  if (decisions.length === 0) throw CustodianDecisionsEmpty({});
  const catalog = unitCatalog();
  const byUnit = new Map<string, CustodianDecision>();
  for (const d of decisions) {
    const unitCode = neededUnitCode(d.unitCode, needed);
    const agency = resolveCustodianAgency(d.agencyCode, provinceCode);
    const basis = text(d.basis);
    const candidate = needed[unitCode]!.includes(agency.code);
    if (!candidate && !basis) throw CustodianBasisMissing({ unit: unitCode, agency: agency.code });
    const number = text(d.committeeDecision?.number);
    const date = text(d.committeeDecision?.date);
    const committeeDecision = number || date ? { number: number ?? '', date: date ? decisionDate(date) : '' } : undefined;
    const unit = unitCode.length === 3 ? (catalog.district(unitCode) ?? catalog.former('district', unitCode)) : (catalog.commune('legacy', unitCode) ?? catalog.former('commune', unitCode));
    const decision: CustodianDecision = {
      unitCode,
      unitName: unit?.name ?? '',
      agencyCode: agency.code,
      agencyName: agency.name,
      candidate,
      ...(basis ? { basis } : {}),
      ...(committeeDecision ? { committeeDecision } : {}),
      decidedBy: decided.by,
      decidedAt: decided.at,
    };
    const earlier = byUnit.get(unitCode);
    if (earlier && earlier.agencyCode !== decision.agencyCode) throw CustodianUnitTwice({ code: unitCode, first: earlier.agencyCode, second: decision.agencyCode });
    byUnit.set(unitCode, earlier ?? decision);
  }
  return [...byUnit.values()];
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** What each row of a decided unit carries in "Ghi chú khi tách". */
export function custodianNote(d: CustodianDecision): string {
  const committee = d.committeeDecision ? `, Quyết định số ${d.committeeDecision.number || '(không ghi số)'}${d.committeeDecision.date ? ` ngày ${dmy(d.committeeDecision.date)}` : ''}` : '';
  const basis = d.basis ? `; căn cứ: ${d.basis}` : '';
  return `Cơ quan lưu giữ theo quyết định của ${d.decidedBy} ngày ${dmy(d.decidedAt)}${committee}: sổ của ${d.unitCode} - ${d.unitName} do ${d.agencyName} lưu giữ${basis}`;
}

/** The routing rules' custodians for a set of decisions. */
export function custodianAgencies(decisions: readonly CustodianDecision[]): Map<string, Agency> {
  const catalog = unitCatalog();
  return new Map(decisions.map((d) => [d.unitCode, agencyOf(catalog.commune('2025', d.agencyCode)!)]));
}

/** The columns of a decisions table (CSV or Excel): the first three are required, the others may be there. */
export const CUSTODIAN_TABLE = {
  unit: 'Mã đơn vị cũ',
  agency: 'Mã cơ quan lưu giữ',
  basis: 'Căn cứ',
  unitName: 'Tên đơn vị cũ',
  decisionNumber: 'Số quyết định',
  decisionDate: 'Ngày quyết định',
} as const;
const REQUIRED_COLUMNS = [CUSTODIAN_TABLE.unit, CUSTODIAN_TABLE.agency, CUSTODIAN_TABLE.basis];

export const CustodianTableColumns = defineError<{ file: string; missing: string[]; extra: string[] }>(
  'CUSTODIAN_TABLE_COLUMNS',
  'validation',
  (p) => `decisions table ${p.file}: missing columns [${p.missing.join(', ')}], unknown columns [${p.extra.join(', ')}]`,
  (p) =>
    `Bảng quyết định "${p.file}" không đúng mẫu${p.missing.length ? `: thiếu cột ${p.missing.map((c) => `"${c}"`).join(', ')}` : ''}${p.extra.length ? `${p.missing.length ? ';' : ':'} có cột không dùng ${p.extra.map((c) => `"${c}"`).join(', ')}` : ''}. Dùng các cột ${Object.values(CUSTODIAN_TABLE).map((c) => `"${c}"`).join(', ')} (ba cột đầu bắt buộc).`,
);

const cell = (c: unknown) => (c === null || c === undefined ? '' : String(c).normalize('NFC').trim());
const headerKey = (h: string) => h.normalize('NFC').trim().toLocaleLowerCase('vi');

/**
 * The decisions of a table's rows (its first row the header). A row without an agency code is
 * a unit not decided yet and is left out; the columns must be those of the template.
 */
export function decisionsFromTable(rows: readonly (readonly unknown[])[], file: string): CustodianDecisionInput[] {
  const [header = [], ...data] = rows;
  const columns = header.map((h) => cell(h));
  const known = new Map(Object.values(CUSTODIAN_TABLE).map((c) => [headerKey(c), c]));
  const at = new Map<string, number>();
  const extra: string[] = [];
  columns.forEach((h, i) => {
    const name = known.get(headerKey(h));
    if (name && !at.has(name)) at.set(name, i);
    else if (h !== '') extra.push(h);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !at.has(c));
  if (missing.length || extra.length) throw CustodianTableColumns({ file, missing, extra });
  const get = (r: readonly unknown[], c: string) => (at.has(c) ? cell(r[at.get(c)!]) : '');
  const decisions: CustodianDecisionInput[] = [];
  for (const r of data) {
    const unitCode = get(r, CUSTODIAN_TABLE.unit);
    const agencyCode = get(r, CUSTODIAN_TABLE.agency);
    if (!unitCode || !agencyCode) continue;
    const number = get(r, CUSTODIAN_TABLE.decisionNumber);
    const date = get(r, CUSTODIAN_TABLE.decisionDate);
    decisions.push({
      unitCode,
      agencyCode,
      ...(get(r, CUSTODIAN_TABLE.basis) ? { basis: get(r, CUSTODIAN_TABLE.basis) } : {}),
      ...(number || date ? { committeeDecision: { number, date } } : {}),
    });
  }
  if (decisions.length === 0) throw CustodianDecisionsEmpty({});
  return decisions;
}
