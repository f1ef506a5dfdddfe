import fc from 'fast-check';
import { isAppError } from '../errors';
import { EXECUTION_STATUSES, phaseLabelVi, runQuery, WORKFLOW_KINDS, WORKFLOW_PHASES } from './run-search';

test('a filter becomes one visibility query of our attributes, Temporal status and start time', () => {
  expect(runQuery({})).toBe('');
  expect(runQuery({ provinceCode: '01', agencyCode: '00004', kind: 'agency', phase: 'in_review', status: 'Running', startedFrom: '2026-01-01', startedBefore: '2026-02-01T00:00:00+07:00' })).toBe(
    "HotichProvince = '01' AND HotichAgency = '00004' AND HotichKind = 'agency' AND HotichPhase = 'in_review' AND ExecutionStatus = 'Running' AND StartTime >= '2026-01-01T00:00:00.000Z' AND StartTime < '2026-01-31T17:00:00.000Z'",
  );
});

test('nothing but codes, listed names and instants reaches the query', () => {
  const codeOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (isAppError(e)) return e.code;
      throw e;
    }
    return 'accepted';
  };
  fc.assert(
    fc.property(fc.string(), fc.constantFrom('provinceCode', 'agencyCode', 'kind', 'phase', 'status', 'startedFrom', 'startedBefore'), (value, field) => {
      const accepted = codeOf(() => runQuery({ [field]: value }));
      if (accepted === 'accepted') expect(value).not.toMatch(/['"\\]/);
      else expect(accepted).toBe('AUDIT_RUN_FILTER_INVALID');
    }),
  );
  expect(codeOf(() => runQuery({ provinceCode: "01' OR '1'='1" }))).toBe('AUDIT_RUN_FILTER_INVALID');
  expect(codeOf(() => runQuery({ startedFrom: 'hôm qua' }))).toBe('AUDIT_RUN_FILTER_INVALID');
});

test('every kind, phase and status has a Vietnamese label', () => {
  for (const kind of WORKFLOW_KINDS) expect(phaseLabelVi(kind, 'completed')).toBeTruthy();
  for (const phase of WORKFLOW_PHASES) expect(phaseLabelVi(undefined, phase)).not.toBe(phase);
  expect(phaseLabelVi('platform-check', 'waiting')).toBe('Chờ xác nhận');
  expect(EXECUTION_STATUSES).toContain('Canceled');
});
