/**
 * Step 1: takes a delivered package in. Its SHA-256 is compared with the one in the handover
 * minutes; a match goes into the content-addressed store (read-only), a mismatch into
 * quarantine, and either way a handover record and an audit entry are written. Idempotent:
 * a retry finds the record of its execution and gives the same answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { defineError } from '../../domain/errors';
import type { PackageSource, ProvinceRunInput, ReceivedPackage } from '../../domain/runs/province-run';
import { recordAction } from '../audit/record-action';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { sha256OfFile } from '../files/hashing';
import { inspectPackage, type PackageMember } from './package-inspection';

export const ChecksumMismatch = defineError<{ name: string; declared: string; actual: string }>(
  'RECEIVE_CHECKSUM_MISMATCH',
  'integrity',
  (p) => `${p.name}: SHA-256 ${p.actual} does not match the declared ${p.declared}; package quarantined`,
  (p) =>
    `Mã kiểm tra SHA-256 của tệp "${p.name}" (${p.actual}) không khớp với mã ghi trong biên bản bàn giao (${p.declared}). ` +
    'Tệp đã được cách ly, không được dùng để tách; đề nghị kiểm tra lại biên bản hoặc nhận lại gói dữ liệu.',
);

export const InboxFileMissing = defineError<{ path: string }>(
  'RECEIVE_INBOX_FILE_MISSING',
  'validation',
  (p) => `no file ${p.path} in the inbox`,
  (p) => `Không có tệp "${p.path}" trong thư mục tiếp nhận.`,
);

export const InboxPathOutside = defineError<{ path: string }>(
  'RECEIVE_PATH_OUTSIDE_INBOX',
  'validation',
  (p) => `${p.path} is not inside the inbox folder`,
  (p) => `Đường dẫn "${p.path}" nằm ngoài thư mục tiếp nhận; chỉ nhận tệp trong thư mục tiếp nhận.`,
);

export const StagedUploadMissing = defineError<{ token: string }>(
  'RECEIVE_UPLOAD_MISSING',
  'not_found',
  (p) => `staged upload ${p.token} is gone`,
  () => 'Không còn tệp đã tải lên cho lần tiếp nhận này; hãy tải lên lại.',
);

const MEDIA_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
  '.csv': 'text/csv',
  '.zip': 'application/zip',
};

/** The inbox file a path names, refusing anything that resolves outside the inbox (.., links). */
export function resolveInboxFile(inbox: string, relative: string): string {
  fs.mkdirSync(inbox, { recursive: true });
  const root = fs.realpathSync(inbox);
  const candidate = path.resolve(root, relative);
  if (!candidate.startsWith(root + path.sep)) throw InboxPathOutside({ path: relative });
  if (!fs.existsSync(candidate) || !fs.statSync(candidate).isFile()) throw InboxFileMissing({ path: relative });
  const real = fs.realpathSync(candidate);
  if (!real.startsWith(root + path.sep)) throw InboxPathOutside({ path: relative });
  return real;
}

export function stagedFile(paths: DataPaths, token: string): string {
  if (!/^[0-9a-f-]{36}$/.test(token)) throw StagedUploadMissing({ token });
  return path.join(paths.staging, token);
}

function sourceFile(paths: DataPaths, source: PackageSource): string {
  if (source.kind === 'inbox') return resolveInboxFile(paths.inbox, source.path);
  const file = stagedFile(paths, source.token);
  if (!fs.existsSync(file)) throw StagedUploadMissing({ token: source.token });
  return file;
}

interface ReceiptRow {
  status: 'accepted' | 'quarantined';
  actual_sha256: string;
  size_bytes: string;
  file_list: PackageMember[];
}

export interface ReceiveInput extends ProvinceRunInput {
  workflowId: string;
  executionId: string;
}

export interface ReceiveDeps {
  pool: Pool;
  store: ContentStore;
  paths: DataPaths;
}

export function createReceiveActivities({ pool, store, paths }: ReceiveDeps) {
  const recordReceipt = (input: ReceiveInput, actual: { sha256: string; size: number }, files: PackageMember[], quarantinePath: string | null) =>
    recordAction(pool, async (c) => {
      const accepted = quarantinePath === null;
      if (accepted) {
        const ext = path.extname(input.originalName).toLowerCase();
        await c.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`, [actual.sha256, actual.size, MEDIA_TYPES[ext] ?? 'application/octet-stream']);
        await c.query(
          `INSERT INTO file_owners (sha256, province_code, agency_code, original_name) VALUES ($1, $2, NULL, $3) ON CONFLICT DO NOTHING`,
          [actual.sha256, input.provinceCode, input.originalName],
        );
      }
      await c.query(
        `INSERT INTO package_receipts (execution_id, run_id, workflow_id, province_code, original_name, channel, delivered_by, received_by,
           declared_sha256, actual_sha256, size_bytes, status, quarantine_path, file_list)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [input.executionId, input.runId, input.workflowId, input.provinceCode, input.originalName, input.channel, input.deliveredBy, input.startedBy,
          input.declaredSha256, actual.sha256, actual.size, accepted ? 'accepted' : 'quarantined', quarantinePath, JSON.stringify(files)],
      );
      return {
        result: undefined,
        audit: [
          {
            provinceCode: input.provinceCode,
            actor: input.startedBy,
            actorRole: 'coordinator',
            action: accepted ? 'package.received' : 'package.quarantined',
            subject: { kind: 'file', id: actual.sha256 },
            workflowId: input.workflowId,
            runId: input.executionId,
            details: { name: input.originalName, declaredSha256: input.declaredSha256, sha256: actual.sha256, size: actual.size, channel: input.channel, deliveredBy: input.deliveredBy },
            key: `package:${input.executionId}`,
          },
        ],
      };
    });

  return {
    async receivePackage(input: ReceiveInput): Promise<ReceivedPackage> {
      const done = await pool.query<ReceiptRow>('SELECT status, actual_sha256, size_bytes, file_list FROM package_receipts WHERE execution_id = $1', [input.executionId]);
      const earlier = done.rows[0];
      if (earlier?.status === 'quarantined') throw ChecksumMismatch({ name: input.originalName, declared: input.declaredSha256, actual: earlier.actual_sha256 });
      if (earlier) {
        // The checks are cheap to repeat, and a retry must fail the same way if they failed.
        const files = await inspectPackage(store.localPath(earlier.actual_sha256), input.originalName);
        return { sha256: earlier.actual_sha256, sizeBytes: Number(earlier.size_bytes), name: input.originalName, files };
      }

      const file = sourceFile(paths, input.source);
      const actual = await sha256OfFile(file);
      if (actual.sha256 !== input.declaredSha256) {
        const dir = path.join(paths.quarantine, input.executionId);
        fs.mkdirSync(dir, { recursive: true });
        const kept = path.join(dir, path.basename(input.originalName));
        await pipeline(fs.createReadStream(file), fs.createWriteStream(kept, { mode: 0o444 }));
        await recordReceipt(input, actual, [], path.relative(paths.quarantine, kept));
        if (input.source.kind === 'staged') fs.rmSync(file, { force: true });
        throw ChecksumMismatch({ name: input.originalName, declared: input.declaredSha256, actual: actual.sha256 });
      }
      const stored = await store.put(fs.createReadStream(file));
      // The bytes may have changed between hashing and storing (a channel still writing): the store's hash decides.
      if (stored.sha256 !== input.declaredSha256) throw ChecksumMismatch({ name: input.originalName, declared: input.declaredSha256, actual: stored.sha256 });
      let files: PackageMember[] = [];
      let problem: unknown;
      try {
        files = await inspectPackage(store.localPath(stored.sha256), input.originalName);
      } catch (e) {
        problem = e;
      }
      await recordReceipt(input, actual, files, null);
      if (input.source.kind === 'staged') fs.rmSync(file, { force: true });
      if (problem) throw problem;
      return { sha256: stored.sha256, sizeBytes: stored.size, name: input.originalName, files };
    },

    /** The handover confirmation, on the record and in the audit chain. */
    async recordHandoverConfirmed(input: { executionId: string; workflowId: string; by: string; at: string }): Promise<void> {
      await recordAction(pool, async (c) => {
        const r = await c.query<{ province_code: string }>(
          `UPDATE package_receipts SET confirmed_by = $2, confirmed_at = $3 WHERE execution_id = $1 AND confirmed_by IS NULL RETURNING province_code`,
          [input.executionId, input.by, input.at],
        );
        const confirmed = r.rows[0];
        return {
          result: undefined,
          audit: confirmed
            ? [
                {
                  provinceCode: confirmed.province_code,
                  actor: input.by,
                  actorRole: 'coordinator',
                  action: 'package.handover_confirmed',
                  subject: { kind: 'workflow', id: input.workflowId },
                  workflowId: input.workflowId,
                  runId: input.executionId,
                  details: { at: input.at },
                  key: `package.handover_confirmed:${input.executionId}`,
                },
              ]
            : [],
        };
      });
    },
  };
}
export type ReceiveActivities = ReturnType<typeof createReceiveActivities>;
