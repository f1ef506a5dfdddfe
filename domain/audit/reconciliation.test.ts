import { bookCountFindings, logApprovalFindings, transferredRecordFindings, type TransferredRecordEvidence } from './reconciliation';

const agreed: TransferredRecordEvidence = {
  recordId: 7,
  agencyCode: '00004',
  transferBatchKey: 'agency/00004/01-x/transfer/1',
  approval: { decisionId: 3, actor: 'canbo01', actorIsAgencyOfficial: true, pages: 1, batchKey: 'agency/00004/01-x/u1' },
  logApproval: { seq: 40, actor: 'canbo01', actorRole: 'official', agencyCode: '00004', pages: 1 },
  logTransfer: true,
  history: { approval: { workflowId: 'agency/00004/01-x', eventId: 120, actor: 'canbo01', role: 'official', agencyCode: '00004', approved: true }, transferred: true },
};

const codes = (e: TransferredRecordEvidence) => transferredRecordFindings(e).map((f) => f.code);

test('a transferred record whose database, log and history agree has no finding', () => {
  expect(transferredRecordFindings(agreed)).toEqual([]);
});

test('each disagreement has its code, and its Vietnamese message names the record', () => {
  expect(codes({ ...agreed, approval: undefined, logApproval: undefined, history: { transferred: true } })).toEqual(['TRANSFERRED_WITHOUT_APPROVAL']);
  expect(codes({ ...agreed, approval: { ...agreed.approval!, actorIsAgencyOfficial: false, pages: 0 }, logApproval: { ...agreed.logApproval!, pages: 0 } })).toEqual([
    'APPROVAL_NOT_BY_AGENCY_OFFICIAL',
    'APPROVAL_WITHOUT_PAGE',
  ]);
  expect(codes({ ...agreed, logApproval: undefined })).toEqual(['LOG_APPROVAL_MISSING']);
  expect(codes({ ...agreed, logTransfer: false })).toEqual(['LOG_TRANSFER_MISSING']);
  expect(codes({ ...agreed, history: { transferred: false } })).toEqual(['HISTORY_APPROVAL_MISSING', 'HISTORY_TRANSFER_MISSING']);
  const differs = transferredRecordFindings({ ...agreed, logApproval: { ...agreed.logApproval!, actor: 'canbo09' }, history: { ...agreed.history!, approval: { ...agreed.history!.approval!, agencyCode: '00005' } } });
  expect(differs.map((f) => [f.code, f.seq ?? f.eventId])).toEqual([
    ['LOG_APPROVAL_DIFFERS', 40],
    ['HISTORY_APPROVAL_DIFFERS', 120],
  ]);
  expect(differs[0]!.messageVi).toBe('Mục nhật ký số 40 về việc phê duyệt hồ sơ số 7 khác với quyết định trong cơ sở dữ liệu: nhật ký ghi người phê duyệt canbo09, cơ sở dữ liệu ghi canbo01.');
  // A history that could not be read is no finding (the run is listed apart).
  expect(codes({ ...agreed, history: undefined })).toEqual([]);
});

test('a log approval is an official of the record agency, by their account', () => {
  const entry = { seq: 9, recordId: 7, recordAgency: '00004', actor: 'canbo02' };
  expect(logApprovalFindings({ ...entry, user: { role: 'official', agencyCode: '00004' } })).toEqual([]);
  expect(logApprovalFindings({ ...entry, user: { role: 'official', agencyCode: '00005' } }).map((f) => f.code)).toEqual(['LOG_APPROVAL_OTHER_AGENCY']);
  expect(logApprovalFindings({ ...entry, user: { role: 'coordinator', agencyCode: null } }).map((f) => f.code)).toEqual(['LOG_APPROVAL_OTHER_AGENCY']);
  expect(logApprovalFindings(entry).map((f) => f.code)).toEqual(['LOG_APPROVAL_OTHER_AGENCY']);
});

test("a run's counts per book against the database's, state by state", () => {
  const book = { registerType: 'KS' as const, unitCode: '00004', bookYear: 2010, bookKey: '1' };
  const run = { workflowId: 'agency/00004/01-x', agencyCode: '00004', books: [{ ...book, counts: { records: 3, imported: 1, approved: 0, rejected: 0, transferred: 2, awaitingScan: 0 } }] };
  expect(bookCountFindings(run, new Map([['KS/00004/2010/1', { imported: 1, transferred: 2 }]]))).toEqual([]);
  const found = bookCountFindings(run, new Map([['KS/00004/2010/1', { transferred: 3 }]]));
  expect(found.map((f) => f.messageVi)).toEqual([
    'Quy trình agency/00004/01-x: sổ KS/00004/2010/1 có 1 hồ sơ "Chờ kiểm tra" theo trạng thái của quy trình, nhưng 0 theo cơ sở dữ liệu.',
    'Quy trình agency/00004/01-x: sổ KS/00004/2010/1 có 2 hồ sơ "Đã chuyển vào CSDLHTĐT" theo trạng thái của quy trình, nhưng 3 theo cơ sở dữ liệu.',
  ]);
});
