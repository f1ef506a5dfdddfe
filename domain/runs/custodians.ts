/**
 * Who keeps the books of a unit that no longer exists. A commune divided on 1 July 2025, an
 * abolished district, or a former unit whose taker the catalog does not know: the province
 * decides once per former unit which current agency keeps its registers (no national rule says;
 * see shared/spec/admin-units.md), and the split then places every row of that unit there,
 * under the former unit's own books. Pure: the workflow's validator, the services, the offline
 * split and the API all check decisions here.
 */
import { defineError, isAppError } from '../errors';
import type { RegisterTypeCode } from '../registers/register-types';
import { restoreUnitCode, unitCatalog, type Unit } from '../units/catalog';
import { agencyOf, currentProvinceCode, type Agency } from '../units/routing';
import { CUSTODIAN_TABLE } from './custodian-table-columns';

export { CUSTODIAN_TABLE };

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

/** The units a split lists as needing a decision, as decisions are checked against them. */
export function neededUnitsOf(list: readonly DecisionNeeded[]): NeededUnits {
  return Object.fromEntries(list.map((d) => [d.unitCode, d.candidates.map((c) => c.code)]));
}

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

const REQUIRED_COLUMNS = [CUSTODIAN_TABLE.unit, CUSTODIAN_TABLE.agency, CUSTODIAN_TABLE.basis];

export const CustodianTableColumns = defineError<{ file: string; missing: string[]; extra: string[] }>(
  'CUSTODIAN_TABLE_COLUMNS',
  'validation',
  (p) => `decisions table ${p.file}: missing columns [${p.missing.join(', ')}], unknown columns [${p.extra.join(', ')}]`,
  (p) =>
    `Bảng quyết định "${p.file}" không đúng mẫu${p.missing.length ? `: thiếu cột ${p.missing.map((c) => `"${c}"`).join(', ')}` : ''}${p.extra.length ? `${p.missing.length ? ';' : ':'} có cột không dùng ${p.extra.map((c) => `"${c}"`).join(', ')}` : ''}. Dùng các cột ${Object.values(CUSTODIAN_TABLE).map((c) => `"${c}"`).join(', ')} (ba cột đầu bắt buộc).`,
);

export const CustodianTableUnitMissing = defineError<{ line: number }>(
  'CUSTODIAN_TABLE_UNIT_MISSING',
  'validation',
  (p) => `line ${p.line} of the decisions table names no former unit`,
  (p) => `Dòng ${p.line} có dữ liệu nhưng không ghi "${CUSTODIAN_TABLE.unit}"; ghi mã xã/huyện cũ hoặc xoá dòng.`,
);

/** A refused line of a decisions table: where it is, and why, as the check of one decision words it. */
export interface CustodianLineRefusal {
  line: number;
  unitCode: string;
  agencyCode: string;
  code: string;
  messageVi: string;
}

export const CustodianTableRefused = defineError<{ file: string; lines: CustodianLineRefusal[] }>(
  'CUSTODIAN_TABLE_REFUSED',
  'validation',
  (p) => `decisions table ${p.file}: ${p.lines.length} lines refused (${[...new Set(p.lines.map((l) => l.code))].join(', ')})`,
  (p) =>
    `Bảng quyết định "${p.file}" có ${p.lines.length} dòng không nhận được nên không quyết định nào trong bảng được ghi: ${p.lines
      .slice(0, 3)
      .map((l) => `dòng ${l.line}: ${l.messageVi}`)
      .join(' ')}${p.lines.length > 3 ? ` (và ${p.lines.length - 3} dòng khác)` : ''}`,
);

const cell = (c: unknown) => (c === null || c === undefined ? '' : String(c).normalize('NFC').trim());
const headerKey = (h: string) => h.normalize('NFC').trim().toLocaleLowerCase('vi');

/** One line of a decisions table as written, numbered as the spreadsheet numbers it. */
export interface CustodianTableLine {
  line: number;
  unitCode: string;
  agencyCode: string;
  /** Absent on a line without an agency code: the unit is left undecided. */
  decision?: CustodianDecisionInput;
}

/**
 * The lines of a table (its first row the header) with their row numbers. Blank lines are left
 * out; a line without an agency code leaves its unit undecided; a line with data but no unit is
 * refused, as are columns other than those of the template.
 */
export function custodianTableLines(rows: ReadonlyArray<{ row: number; cells: readonly unknown[] }>, file: string): CustodianTableLine[] {
  const [header, ...data] = rows;
  const columns = (header?.cells ?? []).map((h) => cell(h));
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
  const lines: CustodianTableLine[] = [];
  for (const { row, cells } of data) {
    if (cells.every((c) => cell(c) === '')) continue;
    const unitCode = get(cells, CUSTODIAN_TABLE.unit);
    const agencyCode = get(cells, CUSTODIAN_TABLE.agency);
    if (!agencyCode) {
      lines.push({ line: row, unitCode, agencyCode });
      continue;
    }
    const number = get(cells, CUSTODIAN_TABLE.decisionNumber);
    const date = get(cells, CUSTODIAN_TABLE.decisionDate);
    const basis = get(cells, CUSTODIAN_TABLE.basis);
    lines.push({ line: row, unitCode, agencyCode, decision: { unitCode, agencyCode, ...(basis ? { basis } : {}), ...(number || date ? { committeeDecision: { number, date } } : {}) } });
  }
  return lines;
}

/** What each line of a table comes to: a decision, a unit left undecided, or a refusal with its reason. */
export type CustodianLineOutcome =
  | { line: number; status: 'decided'; unitCode: string; unitName: string; agencyCode: string; agencyName: string; candidate: boolean }
  | { line: number; status: 'undecided'; unitCode: string }
  | ({ status: 'refused' } & CustodianLineRefusal);

/**
 * Checks each line of a table on its own, as `checkCustodianDecisions` checks a batch, so that
 * every wrong line is named at once rather than the first one. A line naming a unit that an
 * earlier line gave another agency is refused as the batch would be.
 */
export function checkCustodianTable(provinceCode: string, needed: NeededUnits, lines: readonly CustodianTableLine[]): CustodianLineOutcome[] {
  const given = new Map<string, string>();
  return lines.map((l): CustodianLineOutcome => {
    const refused = (e: unknown): CustodianLineOutcome => {
      if (!isAppError(e)) throw e;
      return { line: l.line, status: 'refused', unitCode: l.unitCode, agencyCode: l.agencyCode, code: e.code, messageVi: e.messageVi };
    };
    if (!l.unitCode) return refused(CustodianTableUnitMissing({ line: l.line }));
    if (!l.decision) {
      try {
        return { line: l.line, status: 'undecided', unitCode: neededUnitCode(l.unitCode, needed) };
      } catch (e) {
        return refused(e);
      }
    }
    try {
      const [d] = checkCustodianDecisions(provinceCode, needed, [l.decision], { by: '', at: '' });
      const earlier = given.get(d!.unitCode);
      if (earlier && earlier !== d!.agencyCode) throw CustodianUnitTwice({ code: d!.unitCode, first: earlier, second: d!.agencyCode });
      given.set(d!.unitCode, d!.agencyCode);
      return { line: l.line, status: 'decided', unitCode: d!.unitCode, unitName: d!.unitName, agencyCode: d!.agencyCode, agencyName: d!.agencyName, candidate: d!.candidate };
    } catch (e) {
      return refused(e);
    }
  });
}

/**
 * A table's decisions once each line is checked: all of them with what each line came to, or a
 * refusal naming every wrong line (nothing of a table is taken when one line is wrong).
 */
export function custodianTableDecisions(
  provinceCode: string,
  needed: NeededUnits,
  lines: readonly CustodianTableLine[],
  file: string,
): { decisions: CustodianDecisionInput[]; outcomes: CustodianLineOutcome[] } {
  const outcomes = checkCustodianTable(provinceCode, needed, lines);
  const refused = outcomes.filter((o) => o.status === 'refused');
  if (refused.length) throw CustodianTableRefused({ file, lines: refused.map(({ status: _status, ...r }) => r) });
  const decisions = lines.flatMap((l) => (l.decision ? [l.decision] : []));
  if (decisions.length === 0) throw CustodianDecisionsEmpty({});
  return { decisions, outcomes };
}
