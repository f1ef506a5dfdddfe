/**
 * The audit log is one SHA-256 chain per province: each entry's hash covers the previous
 * entry's hash and every field of its own, so an entry edited, removed or moved breaks the
 * chain where it happened. The database computes the hash as entries are written (the
 * trigger audit_log_chain, migration 1764990000000); this module computes it again from what
 * the log holds, which is how `hotich audit verify` finds what changed.
 *
 * The hashed text is the previous hash, then each field as `<bytes in UTF-8>:<text>` (`-` for
 * none), in a fixed order: unambiguous without escaping, and the same bytes in plpgsql and here.
 * The chain position is not hashed: an entry moved elsewhere still matches its own hash, and
 * is told apart from an edited one by the entry it names as its predecessor.
 */
import { createHash } from 'node:crypto';
import type { StoredAuditEntry } from './audit-entry';

export const GENESIS_HASH = '0'.repeat(64);

const field = (v: string | number | null): string => (v === null ? '-' : `${Buffer.byteLength(String(v), 'utf8')}:${v}`);

/** The hash an entry must have, from its fields and the hash it names as its predecessor's. */
export function auditEntryHash(e: Omit<StoredAuditEntry, 'seq' | 'chainPos' | 'hash'>): string {
  const text =
    e.prevHash +
    [e.provinceCode, e.agencyCode, e.at, e.actor, e.actorRole, e.action, e.subjectKind, e.subjectId, e.recordId, e.workflowId, e.runId, e.stateBefore, e.stateAfter, e.detailsText, e.entryKey]
      .map(field)
      .join('');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export type ChainBreak =
  /** Its fields no longer give its hash. */
  | { kind: 'edited'; entry: StoredAuditEntry }
  /** Intact, but the entry it was written after is nowhere in the chain (positions `missing` are empty, when known). */
  | { kind: 'removed'; entry: StoredAuditEntry; missing?: [from: number, to: number] }
  /** Intact, but written after an entry that now stands elsewhere in the chain. */
  | { kind: 'reordered'; entry: StoredAuditEntry; writtenAfterPosition: number }
  /** Intact and after the right entry, but its position was changed. */
  | { kind: 'renumbered'; entry: StoredAuditEntry; expectedPosition: number };

/**
 * How one entry stands against the one before it in the chain's order. `positionOfHash` finds
 * where an entry with a given hash stands now (undefined: none has it), for the rare entry
 * that does not follow its predecessor.
 */
export async function checkEntry(
  entry: StoredAuditEntry,
  previous: Pick<StoredAuditEntry, 'chainPos' | 'hash'> | undefined,
  positionOfHash: (hash: string) => Promise<number | undefined>,
): Promise<ChainBreak | undefined> {
  if (auditEntryHash(entry) !== entry.hash) return { kind: 'edited', entry };
  const expectedPosition = (previous?.chainPos ?? 0) + 1;
  if (entry.prevHash === (previous?.hash ?? GENESIS_HASH)) {
    return entry.chainPos === expectedPosition ? undefined : { kind: 'renumbered', entry, expectedPosition };
  }
  const writtenAfter = entry.prevHash === GENESIS_HASH ? 0 : await positionOfHash(entry.prevHash);
  if (writtenAfter !== undefined) return { kind: 'reordered', entry, writtenAfterPosition: writtenAfter };
  return entry.chainPos > expectedPosition ? { kind: 'removed', entry, missing: [expectedPosition, entry.chainPos - 1] } : { kind: 'removed', entry };
}

/** What happened to the entry, in Vietnamese, for the CLI's report and the auditor's screen alike (each names the entry its own way). */
export function chainBreakVi(b: ChainBreak): string {
  switch (b.kind) {
    case 'edited':
      return 'đã bị sửa — nội dung không còn cho ra mã băm đã ghi';
    case 'removed':
      return b.missing
        ? `${b.missing[0] === b.missing[1] ? `mục thứ ${b.missing[0]}` : `các mục thứ ${b.missing[0]} đến ${b.missing[1]}`} ngay trước nó đã bị xoá`
        : 'mục được ghi ngay trước nó không còn trong chuỗi (đã bị xoá hoặc bị ghi lại)';
    case 'reordered':
      return `đã bị đổi chỗ — khi ghi, nó đứng ngay sau mục nay ở vị trí ${b.writtenAfterPosition}`;
    case 'renumbered':
      return `số thứ tự trong chuỗi đã bị sửa (đúng ra là ${b.expectedPosition})`;
  }
}
