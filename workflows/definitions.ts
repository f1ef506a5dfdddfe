/**
 * The messages of the province and agency runs. Clients (API, CLI), activities and workflows
 * all import them from here, so a name is written once.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ExcelImportResult, ImportActor, StoredSource } from '../domain/imports/import-types';
import type { RegisterTypeCode } from '../domain/registers/register-types';
import type { SplitFilesProgress } from '../domain/review/agency-end';
import type { BookClaim, BookRef, DecisionRequest, DecisionResult, PageDecisionRequest, ReviewActor, TransferProgress } from '../domain/review/review-types';
import type { ScanImportReport } from '../domain/scans/scan-import';
import type { AgencyPhase, AgencyRunState, AgencySchedule, DecisionBatchResult, ProvinceRunProgress } from '../domain/runs/province-run';
import type { CustodianDecisionInput } from '../domain/runs/custodians';

export const provinceRunProgress = defineQuery<ProvinceRunProgress>('provinceRunProgress');
export const confirmHandover = defineUpdate<ProvinceRunProgress, [{ by: string }]>('confirmHandover');
/**
 * `autoImport`: each agency's run imports its split files itself when its slot opens.
 * `withoutUndecided`: the coordinator confirms releasing while former units still have no custodian.
 */
export const releaseSplit = defineUpdate<ProvinceRunProgress, [{ by: string; schedules?: Record<string, AgencySchedule>; autoImport?: boolean; withoutUndecided?: boolean }]>('releaseSplit');
/** Step 2: the coordinator names the custodian of former units (a batch: one unit, or a table), changeable until release. */
export const decideCustodians = defineUpdate<DecisionBatchResult, [{ by: string; decisions: CustodianDecisionInput[] }]>('decideCustodians');
/** Step 2: exception rows placed by hand, from one returned exceptions workbook (its SHA-256) already checked against the split. */
export const placeExceptions = defineUpdate<DecisionBatchResult, [{ by: string; workbookSha256: string; placements: Array<{ sheet: string; row: number; agencyCode: string }> }]>('placeExceptions');
export const cancelRun = defineUpdate<ProvinceRunProgress, [{ by: string; reason: string }]>('cancelRun');
/** From the split activity: rows read so far. */
export const splitProgressSignal = defineSignal<[number]>('splitProgress');
/** From an agency's run: its phase, and how many of its books are overdue (escalated to the coordinator). */
export const agencyPhaseSignal = defineSignal<[{ code: string; phase: AgencyPhase; overdueBooks?: number }]>('agencyPhase');

export const agencyRunProgress = defineQuery<AgencyRunState>('agencyRunProgress');
/** Step 3: an official imports one Excel file of a register type, already in the content store. */
export const importExcel = defineUpdate<ExcelImportResult, [{ by: ImportActor; registerType: RegisterTypeCode; source: StoredSource }]>('importExcel');
/** Step 3: an official imports one .zip of scanned pages, already in the content store. */
export const importScans = defineUpdate<ScanImportReport, [{ by: ImportActor; zip: StoredSource; unitCode?: string }]>('importScans');
/** Step 4: an official's decisions on records of one book (a page of them at most), each decided on its own. */
export const decideRecords = defineUpdate<DecisionResult, [DecisionRequest]>('decideRecords');
/** Decisions on a page over several books: one update, one transaction; the results book by book, in the request's order. */
export const decidePage = defineUpdate<DecisionResult[], [PageDecisionRequest]>('decidePage');
/** Step 4: an official takes a book to review; nobody else decides on it until released or idle too long. */
export const claimBook = defineUpdate<BookClaim, [{ by: ReviewActor; book: BookRef }]>('claimBook');
/** The holder gives the book back, or a coordinator frees it. */
export const releaseBook = defineUpdate<void, [{ by: ReviewActor; book: BookRef }]>('releaseBook');
/** Send the approved records now rather than after the batching delay. */
export const transferNow = defineUpdate<TransferProgress, [{ by: ReviewActor }]>('transferNow');
/**
 * From the province run after release: the split changed the agency's files (a custodian decision, rows placed by
 * hand). The run reads them again and waits for the new ones too; with `autoImport` (chosen at release) it imports
 * them itself. Refused once the run has ended: the province run then starts the agency's run again for them.
 */
export const splitFilesChanged = defineUpdate<SplitFilesProgress, [{ autoImport?: { by: string } }]>('splitFilesChanged');
/** A coordinator ends the agency's part early, with a reason; what is not transferred stays recorded as such. */
export const closeAgency = defineUpdate<AgencyRunState, [{ by: ReviewActor; reason: string }]>('closeAgency');
