import fc from 'fast-check';
import { auditEntryHash, checkEntry, GENESIS_HASH } from './audit-chain';
import type { StoredAuditEntry } from './audit-entry';

function chainOf(n: number): StoredAuditEntry[] {
  const entries: StoredAuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const e: Omit<StoredAuditEntry, 'hash'> = {
      seq: 100 + i,
      provinceCode: '01',
      chainPos: i + 1,
      at: `2025-12-01T08:00:0${i % 10}.12345${i % 10}Z`,
      agencyCode: '00004',
      actor: 'canbo.ba-dinh',
      actorRole: 'official',
      action: 'record.approve',
      subjectKind: 'record',
      subjectId: String(i),
      recordId: i,
      workflowId: 'agency/00004/01-abc',
      runId: 'run-1',
      stateBefore: 'imported',
      stateAfter: 'approved',
      detailsText: `{"pages": ["${i}"], "ghiChú": "Họ tên đúng"}`,
      entryKey: null,
      prevHash: entries[i - 1]?.hash ?? GENESIS_HASH,
    };
    entries.push({ ...e, hash: auditEntryHash(e) });
  }
  return entries;
}

async function breaksOf(entries: StoredAuditEntry[]) {
  const ordered = [...entries].sort((a, b) => a.chainPos - b.chainPos);
  const positionOfHash = async (h: string) => ordered.find((e) => e.hash === h)?.chainPos;
  const found = [];
  for (let i = 0; i < ordered.length; i++) {
    const b = await checkEntry(ordered[i]!, ordered[i - 1], positionOfHash);
    if (b) found.push({ kind: b.kind, at: b.entry.chainPos, ...('missing' in b && b.missing ? { missing: b.missing } : {}), ...('writtenAfterPosition' in b ? { after: b.writtenAfterPosition } : {}) });
  }
  return found;
}

test('an intact chain has no break', async () => {
  expect(await breaksOf(chainOf(6))).toEqual([]);
});

test('an edited entry is found where it stands, and only there', async () => {
  const c = chainOf(6);
  c[3] = { ...c[3]!, detailsText: c[3]!.detailsText.replace('Họ tên đúng', 'Họ tên sai') };
  expect(await breaksOf(c)).toEqual([{ kind: 'edited', at: 4 }]);
});

test('a removed entry is found at the entry that followed it, with the positions missing', async () => {
  const c = chainOf(6);
  c.splice(2, 1);
  expect(await breaksOf(c)).toEqual([{ kind: 'removed', at: 4, missing: [3, 3] }]);
});

test('two entries swapped are each found as moved, naming where they were written', async () => {
  const c = chainOf(6);
  [c[2], c[3]] = [{ ...c[3]!, chainPos: 3 }, { ...c[2]!, chainPos: 4 }];
  // The entry now at 3 was written after what is now at 4; the one at 4 after 2; the one at 5 after what is now at 3.
  expect(await breaksOf(c)).toEqual([
    { kind: 'reordered', at: 3, after: 4 },
    { kind: 'reordered', at: 4, after: 2 },
    { kind: 'reordered', at: 5, after: 3 },
  ]);
});

test('a position changed alone is found as renumbered', async () => {
  const c = chainOf(4);
  c[3] = { ...c[3]!, chainPos: 9 };
  expect(await breaksOf(c)).toEqual([{ kind: 'renumbered', at: 9 }]);
});

test('any change of any one hashed field of any entry is found at that entry', async () => {
  const fields = ['provinceCode', 'agencyCode', 'at', 'actor', 'actorRole', 'action', 'subjectKind', 'subjectId', 'recordId', 'workflowId', 'runId', 'stateBefore', 'stateAfter', 'detailsText', 'entryKey'] as const;
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.constantFrom(...fields), fc.oneof(fc.string(), fc.constant(null)), async (i, field, value) => {
      const c = chainOf(5);
      const before = c[i]![field];
      fc.pre(value !== before && String(value) !== String(before));
      c[i] = { ...c[i]!, [field]: value } as StoredAuditEntry;
      expect(await breaksOf(c)).toEqual([{ kind: 'edited', at: i + 1 }]);
    }),
    { numRuns: 300 },
  );
});
