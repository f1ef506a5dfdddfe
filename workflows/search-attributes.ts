/**
 * What each run tells Temporal's visibility store about itself, so auditors and coordinators can
 * list runs by province, agency, kind and phase (domain/audit/run-search.ts): the run states who
 * it is when it starts, and its phase each time the phase changes.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES, type WorkflowKind, type WorkflowPhase } from '../domain/audit/run-search';

export const PROVINCE_ATTRIBUTE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.province, SearchAttributeType.KEYWORD);
export const AGENCY_ATTRIBUTE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.agency, SearchAttributeType.KEYWORD);
export const KIND_ATTRIBUTE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.kind, SearchAttributeType.KEYWORD);
export const PHASE_ATTRIBUTE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.phase, SearchAttributeType.KEYWORD);

/**
 * Runs begun by code that kept no search attributes (a persistent embedded server may still hold
 * some) replay their history without these commands; from this patch on they are kept.
 */
const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

export interface RunIdentity {
  kind: WorkflowKind;
  provinceCode?: string;
  agencyCode?: string;
}

/** At the run's start (and again after each continue-as-new): who it is, and its phase. */
export function describeRun(run: RunIdentity, phase: WorkflowPhase): void {
  if (!patched(SEARCH_ATTRIBUTES_PATCH)) return;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: KIND_ATTRIBUTE, value: run.kind },
    { key: PHASE_ATTRIBUTE, value: phase },
  ];
  if (run.provinceCode) pairs.push({ key: PROVINCE_ATTRIBUTE, value: run.provinceCode });
  if (run.agencyCode) pairs.push({ key: AGENCY_ATTRIBUTE, value: run.agencyCode });
  upsertSearchAttributes(pairs);
}

export function markPhase(phase: WorkflowPhase): void {
  if (!patched(SEARCH_ATTRIBUTES_PATCH)) return;
  upsertSearchAttributes([{ key: PHASE_ATTRIBUTE, value: phase }]);
}
