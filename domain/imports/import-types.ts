/** What an import is asked to do and what it reports: shared by the activity, the workflow, the API and the CLI. */
import type { RegisterTypeCode } from '../registers/register-types';

/** A file already in the content-addressed store, under the name it was delivered with. */
export interface StoredSource {
  sha256: string;
  name: string;
}

export interface ExcelImportInput {
  /** Chosen by the caller (the workflow's update id): a retry with the same key is the same import. */
  importKey: string;
  /** The province run the import belongs to: its custodian decisions say which agency imports a former unit's rows. */
  runId: string;
  agencyCode: string;
  registerType: RegisterTypeCode;
  actor: string;
  /** As the audit log names the actor; an official's when not said. */
  actorRole?: ImportActorRole;
  workflowId?: string;
  source: StoredSource;
}

export interface ExcelImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportedBook {
  /** The unit that kept the book (a former unit of a merged agency, else the agency). */
  unitCode: string;
  bookYear: number;
  /** The book number without leading zeros, as the naming rule compares it. */
  bookKey: string;
  bookNumber: string;
  /** Rows of this import in the book. */
  rows: number;
  /** Records the book holds after the import. */
  records: number;
}

/** Who asks for an import: an official of the agency, or a coordinator of its province (no agency). */
export interface ImportActor {
  username: string;
  agencyCode?: string;
}

export type ImportActorRole = 'official' | 'coordinator';
export const importActorRole = (by: ImportActor): ImportActorRole => (by.agencyCode === undefined ? 'coordinator' : 'official');

/** One import as the agency's run remembers it: enough for the history and the progress, no rows. */
export interface AgencyImportEntry {
  importId: number;
  kind: 'excel' | 'scans';
  by: string;
  at: string;
  sourceSha256: string;
  sourceName: string;
  registerType?: RegisterTypeCode;
  counts: Record<string, number>;
}

export interface ExcelImportResult {
  importId: number;
  importKey: string;
  agencyCode: string;
  registerType: RegisterTypeCode;
  source: StoredSource;
  counts: ExcelImportCounts;
  /** Blank rows between data rows: neither read nor rejected. */
  blankRows: number;
  rejectedByCode: Record<string, number>;
  /** The rejected rows as a workbook, to fix and import again. */
  errorFile?: StoredSource;
  books: ImportedBook[];
  /** Scanned pages that were waiting for these records and are now attached. */
  attachedWaitingScans: number;
}
