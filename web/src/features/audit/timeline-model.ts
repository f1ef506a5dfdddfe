/** Which of a timeline's entries the auditor looks at: by the kind of thing that happened, who did it, and words in it (accents optional). Pure. */
import { compareVietnamese } from '../../../../domain/text/collation';
import { searchKey } from '../../../../domain/text/search-key';
import type { TimelineEntry } from '../../lib/api-types';

export const TIMELINE_KINDS = ['all', 'people', 'imports', 'decisions', 'transfers', 'phases', 'problems'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineFilter {
  kind: TimelineKind;
  /** '' for anyone. */
  actor: string;
  query: string;
}

const IMPORTS = new Set(['update.importExcel', 'update.importScans', 'activity.importExcel', 'activity.importScans', 'update.placeExceptions', 'update.splitFilesChanged']);
const TRANSFERS = new Set(['update.transferNow', 'activity.transferApproved']);

const KIND_TEST: Record<TimelineKind, (e: TimelineEntry) => boolean> = {
  all: () => true,
  people: (e) => !!e.actor,
  imports: (e) => IMPORTS.has(e.action),
  decisions: (e) => e.action === 'update.decideRecords' || e.action === 'update.decidePage' || e.action === 'update.decideCustodians',
  transfers: (e) => TRANSFERS.has(e.action),
  phases: (e) => e.action === 'phase' || e.action.startsWith('run.') || e.action.startsWith('signal.') || e.action === 'child.started',
  problems: (e) => e.outcome !== 'ok',
};

export function filterTimeline(entries: readonly TimelineEntry[], f: TimelineFilter): TimelineEntry[] {
  const key = searchKey(f.query);
  return entries.filter((e) => KIND_TEST[f.kind](e) && (!f.actor || e.actor === f.actor) && (!key || searchKey(e.textVi).includes(key) || String(e.eventId) === key));
}

/** Everyone who acted in the timeline, in Vietnamese order. */
export function actorsOf(entries: readonly TimelineEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.actor ? [e.actor] : [])))].sort(compareVietnamese);
}
