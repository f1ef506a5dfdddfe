import type { HistoryFact } from './history-facts';
import { tellHistory } from './timeline';

const run = { workflowId: 'province/01/01-abcdef0123456789', runId: 'r1' };
const at = (eventId: number) => ({ eventId, at: `2026-01-05T08:00:${String(eventId).padStart(2, '0')}.000Z` });
const ok = (eventId: number, result: unknown) => ({ ...at(eventId), ok: true as const, result });

test('updates are told with who asked and what came of it; refused and unfinished ones say so', () => {
  const facts: HistoryFact[] = [
    { ...at(1), kind: 'started', workflowType: 'provinceRun', args: [{ startedBy: 'dieuphoi01', originalName: 'goi.xlsx', provinceCode: '01', declaredSha256: 'a'.repeat(64), deliveredBy: 'C06', channel: 'Mạng chuyên dùng' }] },
    {
      ...at(10),
      kind: 'update',
      name: 'decideCustodians',
      updateId: 'u1',
      args: [{ by: 'dieuphoi01', decisions: [{ unitCode: '00001', agencyCode: '00004' }] }],
      outcome: ok(12, { batch: 1, decided: 1, undecided: 2, exceptionRows: 5 }),
    },
    {
      ...at(20),
      kind: 'update',
      name: 'placeExceptions',
      updateId: 'u2',
      args: [{ by: 'dieuphoi01', workbookSha256: 'b'.repeat(64), placements: [{ sheet: 'KS', row: 3, agencyCode: '00004' }] }],
      outcome: { ...at(22), ok: false, failure: { code: 'RUN_DECISIONS_NOT_OPEN', message: 'not open', messageVi: 'Chưa thể quyết định.' } },
    },
    { ...at(30), kind: 'update', name: 'releaseSplit', updateId: 'u3', args: [{ by: 'dieuphoi01', withoutUndecided: true }] },
    { ...at(40), kind: 'ended', how: 'continued-as-new', newRunId: 'r2' },
  ];
  expect(tellHistory(run, facts).map((e) => [e.eventId, e.action, e.actor, e.outcome, e.textVi])).toEqual([
    [1, 'run.started', 'dieuphoi01', 'ok', `dieuphoi01 đăng ký gói dữ liệu «goi.xlsx» của tỉnh 01 (SHA-256 theo biên bản ${'a'.repeat(64)}); bên giao: C06, kênh: Mạng chuyên dùng`],
    [10, 'update.decideCustodians', 'dieuphoi01', 'ok', 'dieuphoi01 chọn cơ quan giữ sổ cho 1 đơn vị cũ (00001 → 00004); còn 2 đơn vị chưa chọn'],
    [20, 'update.placeExceptions', 'dieuphoi01', 'failed', `dieuphoi01 xếp 1 dòng ngoại lệ cho cơ quan từ tệp SHA-256 ${'b'.repeat(12)}…`],
    [30, 'update.releaseSplit', 'dieuphoi01', 'pending', 'dieuphoi01 duyệt kết quả tách và giao dữ liệu cho các cơ quan; giao cả khi còn đơn vị cũ chưa chọn cơ quan giữ sổ'],
    [40, 'run.continued-as-new', undefined, 'ok', 'Lịch sử đã dài: tiếp tục trong lượt thực thi mới r2'],
  ]);
  expect(tellHistory(run, facts)[2]!.failure).toEqual({ code: 'RUN_DECISIONS_NOT_OPEN', message: 'not open', messageVi: 'Chưa thể quyết định.' });
});

test('an import an update asked for is told once, by the update; a batch that sent nothing is no news', () => {
  const agency = { workflowId: 'agency/00004/01-abcdef0123456789', runId: 'r1' };
  const source = { sha256: 'c'.repeat(64), name: 'KS.xls' };
  const counts = { read: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 };
  const facts: HistoryFact[] = [
    { ...at(5), kind: 'activity', activityType: 'importExcel', args: [{ importKey: `${agency.workflowId}/auto/${source.sha256}`, actor: 'dieuphoi01', registerType: 'KS', source }], outcome: ok(7, { counts, importKey: 'k' }) },
    { ...at(10), kind: 'update', name: 'importExcel', updateId: 'u9', args: [{ by: { username: 'canbo01' }, registerType: 'KS', source }], outcome: ok(14, { counts, importKey: `${agency.workflowId}/u9` }) },
    { ...at(11), kind: 'activity', activityType: 'importExcel', args: [{ importKey: `${agency.workflowId}/u9`, actor: 'canbo01', registerType: 'KS', source }], outcome: ok(13, { counts }) },
    { ...at(20), kind: 'activity', activityType: 'transferApproved', args: [{ batchKey: `${agency.workflowId}/transfer/1` }], outcome: ok(22, undefined) },
    { ...at(25), kind: 'update', name: 'splitFilesChanged', updateId: 'u10', args: [{ autoImport: { by: 'dieuphoi01' } }], outcome: ok(27, { expected: { KS: ['x', 'y'] }, imported: { KS: ['x'] }, earlier: {} }) },
    { ...at(30), kind: 'signal', name: 'agencyPhase', args: [{ code: '00004', phase: 'in_review', overdueBooks: 2 }] },
    { ...at(40), kind: 'attributes', values: { HotichPhase: 'in_review' } },
  ];
  expect(tellHistory(agency, facts).map((e) => [e.eventId, e.action, e.textVi])).toEqual([
    [5, 'activity.importExcel', `Tự nhập tệp đã tách sổ KS «KS.xls» (SHA-256 ${'c'.repeat(12)}…) (do dieuphoi01 chọn khi giao dữ liệu): đọc 3 dòng: thêm 3, cập nhật 0, không đổi 0, bị loại 0`],
    [10, 'update.importExcel', `canbo01 nhập tệp Excel sổ KS «KS.xls» (SHA-256 ${'c'.repeat(12)}…): đọc 3 dòng: thêm 3, cập nhật 0, không đổi 0, bị loại 0`],
    [25, 'update.splitFilesChanged', 'Tệp đã tách của cơ quan thay đổi sau khi giao (quyết định cơ quan giữ sổ hoặc dòng ngoại lệ được xếp): chờ nhập 2 tệp, đã nhập 1; tự nhập các tệp mới (do dieuphoi01 chọn khi giao dữ liệu)'],
    [30, 'signal.agencyPhase', 'Cơ quan 00004: Đang nhập và kiểm tra, phê duyệt; 2 sổ quá hạn'],
    [40, 'phase', 'Giai đoạn: Đang nhập và kiểm tra, phê duyệt'],
  ]);
});

test('a page of decisions over several books is told as one update: each book named, the decisions asked and done in all', () => {
  const book = (bookKey: string) => ({ registerType: 'KS', unitCode: '00004', bookYear: 2020, bookKey });
  const result = (decided: number, refused: number) => ({ batchKey: 'agency/00004/u1', decided, refused, outcomes: [], counts: {} });
  const facts: HistoryFact[] = [
    {
      ...at(10),
      kind: 'update',
      name: 'decidePage',
      updateId: 'u1',
      args: [
        {
          by: { username: 'canbo01', role: 'official', agencyCode: '00004' },
          books: [
            { book: book('1'), items: [{ recordId: 1, kind: 'approve', pages: [] }, { recordId: 2, kind: 'approve', pages: [] }] },
            { book: book('2'), items: [{ recordId: 3, kind: 'reject', reasonCode: 'PAGE_UNREADABLE' }] },
          ],
        },
      ],
      outcome: ok(12, [result(2, 0), result(0, 1)]),
    },
  ];
  expect(tellHistory(run, facts).map((e) => [e.action, e.actor, e.textVi, e.refs])).toEqual([
    [
      'update.decidePage',
      'canbo01',
      'canbo01 quyết định trên Sổ đăng ký khai sinh, quyển 1 năm 2020 (đơn vị 00004); Sổ đăng ký khai sinh, quyển 2 năm 2020 (đơn vị 00004) (phê duyệt 2, từ chối 1 hồ sơ): thực hiện 2, không thực hiện được 1',
      { recordIds: [1, 2, 3], batchKey: 'agency/00004/u1', updateId: 'u1' },
    ],
  ]);
});
