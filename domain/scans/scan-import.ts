/** What a scan import is asked to do and what it reports: shared by the activity, the workflow, the API and the CLI. */
import type { ImportActorRole } from '../imports/import-types';
import type { ZipNameFinding } from '../naming/scan-name';

export interface ScanImportInput {
  /** Chosen by the caller (the workflow's update id): a retry with the same key is the same import. */
  importKey: string;
  agencyCode: string;
  /**
   * The former unit whose books the zip holds, for an agency formed by merging communes (each
   * kept its own "Quyển số 01/2010"); unset when only one unit's books fit the names.
   */
  unitCode?: string;
  actor: string;
  /** As the audit log names the actor; an official's when not said. */
  actorRole?: ImportActorRole;
  workflowId?: string;
  /** The zip, already in the content store, under the name the official gave it. */
  zip: { sha256: string; name: string };
}

/**
 * Every file entry of the zip is counted once: entries = rejected + attached + alreadyAttached
 * + replaced + unmatched. Folders are not entries.
 */
export interface ScanImportCounts {
  entries: number;
  rejected: number;
  /** Pages attached to a record that had no page there. */
  attached: number;
  /** The same file was already that page of that record: nothing changed. */
  alreadyAttached: number;
  /** Another file was that page: it moved to the page's history, this one took its place. */
  replaced: number;
  /** No record yet: kept, and attached when the record is imported. */
  unmatched: number;
  /** Records of the zip's books that still have no page. */
  missingPages: number;
  /** Bytes of the accepted files. */
  bytes: number;
}

export interface RejectedEntry {
  /** The entry's name in the zip, decoded. */
  entry: string;
  reason: string;
  messageVi: string;
}

export interface BookMissingPages {
  /** The unit that kept the book (a former unit of a merged agency, else the agency). */
  unitCode: string;
  registerType: string;
  bookYear: number;
  /** Book number without leading zeros. */
  book: string;
  /** Registration numbers as written in the records, in register order. */
  registrationNumbers: string[];
}

/** An entry's files name pages 1 and 3 but no 2: attached as named, listed for the official. */
export interface PageGap {
  /** The entry as the naming rule identifies it, e.g. "KS.2009.1.125". */
  entry: string;
  pages: number[];
}

export interface ScanImportReport {
  importId: number;
  importKey: string;
  agencyCode: string;
  zip: { sha256: string; name: string };
  counts: ScanImportCounts;
  rejected: RejectedEntry[];
  /** Names of the entries kept for records not imported yet. */
  unmatched: string[];
  missingPages: BookMissingPages[];
  pageGaps: PageGap[];
  /** The zip's name disagrees with the PDFs inside it (the PDFs win). */
  zipName?: ZipNameFinding;
  /**
   * Lists cut short in what the activity returns (a workflow's payloads stay small); the
   * import's stored report always has them whole.
   */
  truncatedLists?: Array<'rejected' | 'unmatched' | 'missingPages' | 'pageGaps'>;
}
