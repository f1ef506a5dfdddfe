/**
 * Step 2 finished by the coordinator, end to end on the real Temporal dev server and
 * PostgreSQL: a generated Hà Nội province of 50,000 rows is received and split; the coordinator
 * reads decisionsNeeded, names the custodian of every divided commune and abolished district
 * from a table, places exception rows by hand in the exceptions workbook (edited with SheetJS,
 * as Excel would), and releases. Every row is then in exactly one agency folder or still an
 * exception with its reason, the decisions are on the rows, in PostgreSQL and in the run's
 * history; and `hotich split --custodians` with the same table leaves no row waiting.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Workers } from '../../worker/create-worker';
import { EXCEPTION_HEADERS, EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHEET, MANIFEST_FILE, PLACEMENT_COLUMN, type SplitManifest } from '../../activities/split/split-export';
import { runFolders } from '../../activities/split/split-package';
import { generateExport } from '../../cli/gen/generate';
import { routeRegisteringUnit } from '../../domain/units/routing';
import { cliEnv, runCli } from '../support/cli-process';
import { createProvinceRunHarness, scratchDir, type ProvinceRunHarness } from '../support/province-runs';
import { rowsOfXls } from '../support/split-verification';

const RECORDS = 50_000;
const COORDINATOR = 'Nguyễn Thị Hoà';

describe('a 50,000-row Hà Nội province, its custodians decided and exceptions placed by hand', () => {
  let h: ProvinceRunHarness;
  let worker: Workers;
  let running: Promise<void>;
  let scratch: string;
  let exportFile: string;

  beforeAll(async () => {
    h = await createProvinceRunHarness('e2e-custodians');
    worker = await h.createWorker();
    running = worker.run();
    scratch = scratchDir('e2e-custodians');
    // Unknown codes and units written by name only: exception rows a coordinator can place by hand.
    const summary = await generateExport({ provinceCode: '01', records: RECORDS, seed: 22, out: scratch, format: 'xlsx', defects: ['unit-code-unknown', 'unit-name-only'] });
    exportFile = path.join(h.paths.inbox, '01-c06-22.xlsx');
    fs.copyFileSync(path.join(scratch, summary.files[0]!), exportFile);
  }, 300_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await h?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('every row ends in exactly one agency folder or stays an exception with its reason; the decisions are on the rows and in the history', async () => {
    const sha256 = createHash('sha256').update(fs.readFileSync(exportFile)).digest('hex');
    const { runId } = await h.runs.start({ provinceCode: '01', source: { kind: 'inbox', path: '01-c06-22.xlsx' }, originalName: '01-c06-22.xlsx', sha256, deliveredBy: 'C06', channel: 'Mạng chuyên dùng', startedBy: 'dieuphoi01' });
    await h.runs.waitWhile(runId, ['receiving'], undefined, 250);
    await h.runs.confirmHandover(runId, COORDINATOR);
    const split = await h.runs.waitWhile(runId, ['splitting'], undefined, 500);
    expect(split.progress.phase).toBe('awaiting_release');
    const splitDir = runFolders(h.paths, runId).split;
    const base = JSON.parse(fs.readFileSync(path.join(splitDir, MANIFEST_FILE), 'utf8')) as SplitManifest;
    expect(base.input.rows).toBe(RECORDS);

    // decisionsNeeded: every former unit waiting, with its rows; together, all the rows waiting.
    const needed = base.decisionsNeeded;
    expect(needed.some((d) => d.level === 'district') && needed.some((d) => d.level === 'commune')).toBe(true);
    const waiting = (base.exceptions.byReason.UNIT_SPLIT_NEEDS_DECISION ?? 0) + (base.exceptions.byReason.UNIT_DISTRICT_NEEDS_DECISION ?? 0);
    expect(needed.reduce((n, d) => n + d.rows, 0)).toBe(waiting);
    expect((await h.runs.custodians(runId)).units.map((u) => u.unitCode)).toEqual(needed.map((d) => d.unitCode));

    // Bad tables change nothing.
    const badTable = path.join(scratch, 'thieu-cot.csv');
    fs.writeFileSync(badTable, `Mã đơn vị cũ,Mã cơ quan\n${needed[0]!.unitCode},${needed[0]!.candidates[0]!.code}\n`);
    await expect(h.runs.decideCustodiansFromTable(runId, COORDINATOR, badTable, 'thieu-cot.csv')).rejects.toMatchObject({ code: 'CUSTODIAN_TABLE_COLUMNS' });
    await expect(h.runs.decideCustodians(runId, COORDINATOR, [{ unitCode: needed[0]!.unitCode, agencyCode: '99999' }])).rejects.toMatchObject({ code: 'CUSTODIAN_AGENCY_UNKNOWN' });
    expect((await h.runs.status(runId)).progress.custodians).toMatchObject({ batches: 0, decided: {} });

    // The table: each unit's first candidate, a district with the People's Committee's decision,
    // and one commune given to an agency outside its candidates, with the reason.
    const district = needed.find((d) => d.level === 'district')!;
    const elsewhere = needed.find((d) => d.level === 'commune')!;
    const outside = needed.flatMap((d) => d.candidates).find((c) => !elsewhere.candidates.some((x) => x.code === c.code))!;
    const agencyOf = (unit: string) => (unit === elsewhere.unitCode ? outside.code : needed.find((d) => d.unitCode === unit)!.candidates[0]!.code);
    const table = [
      ['Mã đơn vị cũ', 'Tên đơn vị cũ', 'Mã cơ quan lưu giữ', 'Căn cứ', 'Số quyết định', 'Ngày quyết định'],
      ...needed.map((d) => [
        d.unitCode,
        d.unitName,
        agencyOf(d.unitCode),
        d === elsewhere ? 'Trụ sở UBND xã cũ nay thuộc địa bàn cơ quan này' : '',
        d === district ? '1234/QĐ-UBND' : '',
        d === district ? '20/06/2025' : '',
      ]),
    ];
    const tableFile = path.join(scratch, 'co-quan-luu-giu.xlsx');
    const wbTable = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wbTable, XLSX.utils.aoa_to_sheet(table), 'Quyết định');
    XLSX.writeFile(wbTable, tableFile);
    const decided = await h.runs.decideCustodiansFromTable(runId, COORDINATOR, tableFile, 'co-quan-luu-giu.xlsx');
    expect(decided).toMatchObject({ batch: 1, decided: needed.length, undecided: 0 });

    // Hand placements: unknown-code rows whose true unit the coordinator recognises.
    const exceptionsFile = h.runs.exceptionsFile(runId);
    const wb = XLSX.readFile(exceptionsFile);
    // The generator's truth by "sheet!row": each type's sheet, its header on row 1.
    const expectedRows = fs.readFileSync(path.join(scratch, 'expected-rows.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; unit: string });
    const truthByOrigin = new Map<string, { unit: string }>();
    const seen: Record<string, number> = {};
    for (const r of expectedRows) truthByOrigin.set(`${r.type}!${(seen[r.type] = (seen[r.type] ?? 0) + 1) + 1}`, r);
    const placed = new Map<string, string>();
    for (const name of wb.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
      const sheet = wb.Sheets[name]!;
      const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
      rows.forEach((r, i) => {
        if (i === 0 || r[0] !== 'UNIT_UNKNOWN_CODE' || placed.size >= 40) return;
        const origin = `${String(r[2])}!${String(r[3])}`;
        const routed = routeRegisteringUnit({ unitCode: truthByOrigin.get(origin)!.unit, registeredOn: '2010-01-01', provinceCode: '01' });
        if (!routed.ok) return;
        placed.set(origin, routed.agency.code);
        XLSX.utils.sheet_add_aoa(sheet, [[routed.agency.code]], { origin: { r: i, c: PLACEMENT_COLUMN } });
      });
    }
    expect(placed.size).toBe(40);
    const filled = path.join(scratch, 'ngoai-le-da-dien.xlsx');
    XLSX.writeFile(wb, filled);
    const placement = await h.runs.placeExceptions(runId, COORDINATOR, filled, 'ngoai-le-da-dien.xlsx');
    expect(placement).toMatchObject({ batch: 2, placed: 40, refused: 0, refusedRows: [] });
    // The same workbook again changes nothing.
    expect(await h.runs.placeExceptions(runId, COORDINATOR, filled, 'ngoai-le-da-dien.xlsx')).toMatchObject({ duplicate: true });

    const released = await h.runs.release(runId, COORDINATOR);
    expect(released.release?.withoutUndecided).toBeUndefined();
    const after = await h.runs.waitWhile(runId, ['releasing'], undefined, 250);
    expect(after.progress.phase).toBe('in_progress');
    expect(after.progress.agencies.every((a) => a.phase === 'awaiting_import')).toBe(true);

    // Every row exactly once: in one agency's files (SheetJS reads them) or in the exceptions with its reason.
    const manifest = JSON.parse(fs.readFileSync(path.join(splitDir, MANIFEST_FILE), 'utf8')) as SplitManifest;
    expect(manifest.exceptions.byReason.UNIT_SPLIT_NEEDS_DECISION).toBeUndefined();
    expect(manifest.exceptions.byReason.UNIT_DISTRICT_NEEDS_DECISION).toBeUndefined();
    expect(manifest.cells.written + manifest.cells.exceptions).toBe(manifest.cells.in);
    const byCode = (x: { code: string }, y: { code: string }) => x.code.localeCompare(y.code);
    expect([...after.progress.agencies].sort(byCode).map((a) => [a.code, a.rows])).toEqual([...manifest.agencies].sort(byCode).map((a) => [a.code, a.rows]));
    const where = new Map<string, string>();
    const once = (origin: string, place: string) => {
      if (where.has(origin)) throw new Error(`${origin} is in ${where.get(origin)} and in ${place}`);
      where.set(origin, place);
    };
    const byUnit = new Map(manifest.custodians!.map((c) => [c.unitCode, c]));
    for (const agency of manifest.agencies) {
      expect(JSON.parse(fs.readFileSync(path.join(splitDir, agency.folder, MANIFEST_FILE), 'utf8'))).toEqual(agency);
      for (const file of agency.files) {
        const [header, ...rows] = rowsOfXls(path.join(splitDir, file.path));
        expect(rows).toHaveLength(file.rows);
        const note = header!.indexOf('Ghi chú khi tách');
        const origin = header!.indexOf('Dòng gốc');
        for (const r of rows) {
          once(String(r[origin]), agency.code);
          const text = String(r[note] ?? '');
          const custodianOf = file.placedBy && 'custodianOf' in file.placedBy ? file.placedBy.custodianOf : undefined;
          if (custodianOf) {
            const d = byUnit.get(custodianOf)!;
            expect(d.agencyCode).toBe(agency.code);
            if (!text.startsWith(`Cơ quan lưu giữ theo quyết định của ${COORDINATOR}`)) expect([String(r[origin]), text]).toEqual([String(r[origin]), 'a custodian note']);
          } else if (file.placedBy) {
            expect(placed.get(String(r[origin]))).toBe(agency.code);
            expect(text).toContain(`Xếp tay bởi ${COORDINATOR}`);
          } else if (text.startsWith('Cơ quan lưu giữ') || text.startsWith('Xếp tay')) throw new Error(`${String(r[origin])} is noted as decided in an agency's own file`);
        }
      }
    }
    expect(byUnit.get(district.unitCode)).toMatchObject({ committeeDecision: { number: '1234/QĐ-UBND', date: '2025-06-20' }, decidedBy: COORDINATOR, candidate: true });
    expect(byUnit.get(elsewhere.unitCode)).toMatchObject({ agencyCode: outside.code, candidate: false, basis: 'Trụ sở UBND xã cũ nay thuộc địa bàn cơ quan này' });
    expect(manifest.custodians!.reduce((n, c) => n + c.rows, 0)).toBe(waiting);
    const exceptions = XLSX.readFile(path.join(splitDir, EXCEPTIONS_FILE));
    for (const name of exceptions.SheetNames.filter((n) => n !== EXCEPTIONS_INFO_SHEET)) {
      for (const r of XLSX.utils.sheet_to_json<unknown[]>(exceptions.Sheets[name]!, { header: 1, raw: true, defval: null }).slice(1)) {
        expect(String(r[0] ?? '')).toMatch(/^[A-Z_]+$/);
        expect(String(r[1] ?? '')).not.toBe('');
        once(`${String(r[2])}!${String(r[3])}`, 'exceptions');
      }
    }
    expect(where.size).toBe(RECORDS);
    // What was checked, in one line for whoever reads the run's output.
    const inAgencies = [...where.values()].filter((w) => w !== 'exceptions').length;
    console.log(
      `[custodians e2e] ${RECORDS} rows: ${inAgencies} in ${manifest.agencies.length} agency folders + ${where.size - inAgencies} exceptions ${JSON.stringify(manifest.exceptions.byReason)}; ` +
        `${needed.length} former units decided (${needed.filter((d) => d.level === 'district').length} districts) for ${waiting} rows, ${placed.size} placed by hand; cells in ${manifest.cells.in} = written ${manifest.cells.written} + exceptions ${manifest.cells.exceptions}`,
    );
    expect([...placed.keys()].every((o) => where.get(o) === placed.get(o))).toBe(true);

    // On record: PostgreSQL with who and on what basis, and the run's history, the audit an auditor replays.
    const rows = await h.db.pool.query<{ unit_code: string; agency_code: string; decided_by: string; committee_decision_number: string | null }>('SELECT unit_code, agency_code, decided_by, committee_decision_number FROM custodian_decisions WHERE run_id = $1', [runId]);
    expect(rows.rows).toHaveLength(needed.length);
    expect(rows.rows.every((r) => r.decided_by === COORDINATOR && r.agency_code === agencyOf(r.unit_code))).toBe(true);
    const history = await h.env.client.workflow.getHandle(after.workflowId).fetchHistory();
    const updates = history.events!.flatMap((e) => {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      return req ? [{ name: req.name, arg: JSON.parse(Buffer.from(req.args!.payloads![0]!.data!).toString('utf8')) as { by: string; decisions?: unknown[]; placements?: unknown[] } }] : [];
    });
    const decisions = updates.filter((u) => u.name === 'decideCustodians');
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.arg).toMatchObject({ by: COORDINATOR });
    expect(decisions[0]!.arg.decisions).toHaveLength(needed.length);
    expect(updates.filter((u) => u.name === 'placeExceptions').map((u) => u.arg.placements!.length)).toEqual([40, 40]);
    await h.runs.cancel(runId, COORDINATOR, 'kết thúc kiểm thử');

    // The offline split with the same table leaves no row waiting for a decision.
    const out = path.join(scratch, 'offline');
    const offline = await runCli(['split', '--province', '01', '--input', exportFile, '--out', out, '--custodians', tableFile, '--decided-by', COORDINATOR], cliEnv({ LOG_LEVEL: 'silent' }));
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain(`Đã giao sổ của ${needed.length} đơn vị cũ cho cơ quan lưu giữ theo quyết định: ${waiting} dòng.`);
    const offlineManifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8')) as SplitManifest;
    expect(offlineManifest.decisionsNeeded.map((d) => d.unitCode)).toEqual(needed.map((d) => d.unitCode));
    expect(offlineManifest.exceptions.byReason.UNIT_SPLIT_NEEDS_DECISION).toBeUndefined();
    expect(offlineManifest.exceptions.byReason.UNIT_DISTRICT_NEEDS_DECISION).toBeUndefined();
    expect(offlineManifest.rowsWritten + offlineManifest.exceptionRows).toBe(RECORDS);
    expect(EXCEPTION_HEADERS[PLACEMENT_COLUMN]).toBe('Mã cơ quan nhận');
  }, 900_000);
});
