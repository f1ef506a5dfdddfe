/**
 * The readable exports an auditor files with the working papers: a run's timeline and a
 * record's trail as CSV, one row per entry or step, every value whole (full SHA-256 hashes, ids,
 * exact instants beside Việt Nam's dd/mm/yyyy hh:mm). Chosen over a printed page because an
 * auditor samples, sorts and filters these in a spreadsheet and cites cells, and a long timeline
 * prints to dozens of pages. UTF-8 with a byte order mark so that Excel reads the Vietnamese
 * right, CRLF lines (RFC 4180). Pure.
 */
import Papa from 'papaparse';
import { vietnamTime } from '../../../../domain/text/vietnam-time';
import type { ChainVerification, Reconciliation, Timeline, Trail } from '../../lib/api-types';
import type { Translate } from '../../lib/i18n/translate';

/**
 * A spreadsheet runs a cell that begins with one of these as a formula; such a cell is written
 * with an apostrophe in front (OWASP's advice), which spreadsheets show and no one can miss.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return FORMULA_START.test(s) ? `'${s}` : s;
};

export function csvOf(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return `\uFEFF${Papa.unparse({ fields: [...header], data: rows.map((r) => r.map(cell)) }, { newline: '\r\n' })}\r\n`;
}

export function timelineCsv(t: Translate, timeline: Timeline): string {
  const header = [
    t('audit.csv.workflow'),
    t('audit.csv.run'),
    t('audit.csv.event'),
    t('audit.csv.atVietnam'),
    t('audit.csv.atUtc'),
    t('audit.csv.action'),
    t('audit.csv.actor'),
    t('audit.csv.text'),
    t('audit.csv.outcome'),
    t('audit.csv.failure'),
    t('audit.csv.records'),
    t('audit.csv.sha256'),
    t('audit.csv.key'),
    t('audit.csv.childWorkflow'),
  ];
  const rows = timeline.entries.map((e) => [
    e.workflowId,
    e.runId,
    e.eventId,
    vietnamTime(e.at),
    e.at,
    e.action,
    e.actor,
    e.textVi,
    t(`audit.outcome.${e.outcome}`),
    e.failure ? `${e.failure.code ? `${e.failure.code}: ` : ''}${e.failure.messageVi ?? e.failure.message}` : '',
    e.refs?.recordIds?.join(' '),
    e.refs?.sha256,
    e.refs?.batchKey ?? e.refs?.importKey,
    e.refs?.workflowId,
  ]);
  return csvOf(header, rows);
}

export function trailCsv(t: Translate, trail: Trail): string {
  const header = [
    t('audit.csv.record'),
    t('audit.csv.atVietnam'),
    t('audit.csv.atUtc'),
    t('audit.csv.step'),
    t('audit.csv.actor'),
    t('audit.csv.version'),
    t('audit.csv.text'),
    t('audit.csv.pages'),
    t('audit.csv.logSeq'),
    t('audit.csv.logPosition'),
    t('audit.csv.logHash'),
    t('audit.csv.workflow'),
    t('audit.csv.run'),
    t('audit.csv.event'),
    t('audit.csv.source'),
  ];
  // A step recorded by several log entries lists them one per line of its cells, in the same order in each.
  const lines = (values: Array<string | number>) => values.join('\n');
  const rows = trail.steps.map((s) => [
    trail.record.id,
    vietnamTime(s.at),
    s.at,
    s.kindVi,
    s.actor,
    s.version,
    s.textVi,
    lines((s.pages ?? []).map((p) => `${p.page ?? '?'}: ${p.sha256}${p.current ? '' : ` (${t('audit.trail.replacedSince')})`}`)),
    lines(s.log.map((l) => l.seq)),
    lines(s.log.map((l) => l.chainPos)),
    lines(s.log.map((l) => l.hash)),
    s.history?.workflowId,
    s.history?.runId,
    s.history?.eventId,
    `${s.source.table}/${s.source.id}`,
  ]);
  return csvOf(header, rows);
}

/** A reconciliation's findings, one a row. */
export function findingsCsv(t: Translate, r: Reconciliation): string {
  const header = [t('audit.csv.code'), t('audit.csv.text'), t('audit.csv.agency'), t('audit.csv.record'), t('audit.csv.logSeq'), t('audit.csv.workflow'), t('audit.csv.event')];
  return csvOf(
    header,
    r.findings.map((f) => [f.code, f.messageVi, f.agencyCode, f.recordId, f.seq, f.workflowId, f.eventId]),
  );
}

/** The breaks a chain verification found (the first hundred), one a row. */
export function chainBreaksCsv(t: Translate, v: ChainVerification): string {
  const header = [t('audit.csv.logPosition'), t('audit.csv.logSeq'), t('audit.csv.action'), t('audit.csv.atVietnam'), t('audit.csv.atUtc'), t('audit.csv.actor'), t('audit.csv.text')];
  return csvOf(
    header,
    v.breaks.map((b) => [b.position, b.seq, b.action, vietnamTime(b.at), b.at, b.actor, b.messageVi]),
  );
}
