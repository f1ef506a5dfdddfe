/**
 * The messages of the province and agency runs. Clients (API, CLI), activities and workflows
 * all import them from here, so a name is written once.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgencyPhase, AgencyProgress, AgencySchedule, ProvinceRunProgress } from '../domain/runs/province-run';

export const provinceRunProgress = defineQuery<ProvinceRunProgress>('provinceRunProgress');
export const confirmHandover = defineUpdate<ProvinceRunProgress, [{ by: string }]>('confirmHandover');
export const releaseSplit = defineUpdate<ProvinceRunProgress, [{ by: string; schedules?: Record<string, AgencySchedule> }]>('releaseSplit');
export const cancelRun = defineUpdate<ProvinceRunProgress, [{ by: string; reason: string }]>('cancelRun');
/** From the split activity: rows read so far. */
export const splitProgressSignal = defineSignal<[number]>('splitProgress');
/** From an agency's run: its new phase. */
export const agencyPhaseSignal = defineSignal<[{ code: string; phase: AgencyPhase }]>('agencyPhase');

export const agencyRunProgress = defineQuery<AgencyProgress>('agencyRunProgress');
