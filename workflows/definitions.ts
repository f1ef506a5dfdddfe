/**
 * The messages of the province and agency runs. Clients (API, CLI), activities and workflows
 * all import them from here, so a name is written once.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ExcelImportResult, ImportActor, StoredSource } from '../domain/imports/import-types';
import type { RegisterTypeCode } from '../domain/registers/register-types';
import type { ScanImportReport } from '../domain/scans/scan-import';
import type { AgencyPhase, AgencyRunState, AgencySchedule, ProvinceRunProgress } from '../domain/runs/province-run';

export const provinceRunProgress = defineQuery<ProvinceRunProgress>('provinceRunProgress');
export const confirmHandover = defineUpdate<ProvinceRunProgress, [{ by: string }]>('confirmHandover');
/** `autoImport`: each agency's run imports its split files itself when its slot opens. */
export const releaseSplit = defineUpdate<ProvinceRunProgress, [{ by: string; schedules?: Record<string, AgencySchedule>; autoImport?: boolean }]>('releaseSplit');
export const cancelRun = defineUpdate<ProvinceRunProgress, [{ by: string; reason: string }]>('cancelRun');
/** From the split activity: rows read so far. */
export const splitProgressSignal = defineSignal<[number]>('splitProgress');
/** From an agency's run: its new phase. */
export const agencyPhaseSignal = defineSignal<[{ code: string; phase: AgencyPhase }]>('agencyPhase');

export const agencyRunProgress = defineQuery<AgencyRunState>('agencyRunProgress');
/** Step 3: an official imports one Excel file of a register type, already in the content store. */
export const importExcel = defineUpdate<ExcelImportResult, [{ by: ImportActor; registerType: RegisterTypeCode; source: StoredSource }]>('importExcel');
/** Step 3: an official imports one .zip of scanned pages, already in the content store. */
export const importScans = defineUpdate<ScanImportReport, [{ by: ImportActor; zip: StoredSource; unitCode?: string }]>('importScans');
