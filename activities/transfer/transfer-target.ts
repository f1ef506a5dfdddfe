/**
 * The electronic civil status database (CSDLHTĐT) as the transfer sees it. Ours keeps it in its
 * own PostgreSQL schema; a national endpoint is another implementation of the same interface.
 * Every implementation must be idempotent by key: sending a record again returns the receipt
 * of the first time, never a second copy.
 */
export interface TransferRecord {
  idempotencyKey: string;
  agencyCode: string;
  unitCode: string;
  registerType: string;
  bookYear: number;
  bookNumber: string;
  registrationNumber: string;
  /** The record's values as JSON text, as stored: a document to deliver, not parsed again on the way. */
  dataJson: string;
  pages: string[];
  approvedBy: string;
}

export type TransferOutcome =
  | { idempotencyKey: string; status: 'accepted'; targetId: string; receivedAt: string }
  /** The target refused the record for a reason of its own: the record goes back to review with it. */
  | { idempotencyKey: string; status: 'rejected'; code: string; reasonVi: string };

export interface TransferTarget {
  readonly name: string;
  send(batchKey: string, records: readonly TransferRecord[]): Promise<TransferOutcome[]>;
}
