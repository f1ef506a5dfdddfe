/**
 * The one configuration loader. Every setting comes from the environment (12-factor), is
 * validated here with TypeBox, and has a default that makes the embedded mode work with
 * nothing configured. Other modules receive a `Config`, never read process.env themselves.
 */
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_REVIEW_SETTINGS, TRANSFER_LANES } from '../domain/review/review-types';
import { defineError } from '../domain/errors';

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const ConfigSchema = Type.Object({
  /** Project root: where ./data and ./.tools live. */
  rootDir: Type.String(),
  dataDir: Type.String(),
  /** Where packages delivered over the agreed channel land on the server (Step 1). */
  inboxDir: Type.String(),
  env: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')]),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  temporal: Type.Object({
    /** Set: use that server (production mode). Unset: start the embedded dev server. */
    address: Type.Optional(Type.String({ minLength: 1 })),
    namespace: Type.String({ minLength: 1 }),
    taskQueue: Type.String({ minLength: 1 }),
    cli: Type.Optional(Type.String({ minLength: 1 })),
    port: Port,
    uiPort: Port,
  }),
  database: Type.Object({
    /** Set: use that server (production mode), as the application's role. Unset: start the embedded PostgreSQL. */
    url: Type.Optional(Type.String({ minLength: 1 })),
    /** The tables' owner, for `hotich migrate` only; unset: DATABASE_URL's role runs the migrations. */
    ownerUrl: Type.Optional(Type.String({ minLength: 1 })),
    port: Port,
    poolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  }),
  api: Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Port,
    jwtSecret: Type.Optional(Type.String({ minLength: 32 })),
    tokenTtl: Type.String({ minLength: 1 }),
    /**
     * Proxies in front of the API whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated, or a
     * number of hops): the client's address behind them is what log-ins are limited by. Unset: none.
     */
    trustProxy: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })])),
  }),
  /** Largest uploads through the API (api/upload-limits.ts); scans have theirs under `imports`. */
  uploads: Type.Object({
    packageMaxBytes: Type.Integer({ minimum: 1 }),
    excelMaxBytes: Type.Integer({ minimum: 1 }),
  }),
  /** Log-ins refused for a while after too many failures, per user name and per client address (api/login-throttle.ts). */
  auth: Type.Object({
    maxFailuresPerUser: Type.Integer({ minimum: 1 }),
    maxFailuresPerAddress: Type.Integer({ minimum: 1 }),
    failureWindowMs: Type.Integer({ minimum: 60_000 }),
  }),
  /** Limits on what an official's import may hold (Step 3); a zip past one is refused, not half read. */
  imports: Type.Object({
    scanZipMaxBytes: Type.Integer({ minimum: 1 }),
    /** Uncompressed bytes a zip may expand to, and how far one entry may expand (zip bombs). */
    scanExpandedMaxBytes: Type.Integer({ minimum: 1 }),
    scanEntryMaxRatio: Type.Integer({ minimum: 1 }),
  }),
  worker: Type.Object({
    /** Transfer batches one worker process sends at once, all agencies together (workflows/task-queues.ts); by default, one agency's lanes. */
    transferConcurrency: Type.Integer({ minimum: 1, maximum: 100 }),
  }),
  /** Step 4: how long a claim on a book lasts idle, when idle books remind and escalate, how transfers batch. */
  review: Type.Object({
    claimIdleMs: Type.Integer({ minimum: 1000 }),
    reminderAfterMs: Type.Integer({ minimum: 1000 }),
    escalateAfterMs: Type.Integer({ minimum: 1000 }),
    transferBatchSize: Type.Integer({ minimum: 1, maximum: 10_000 }),
    transferDelayMs: Type.Integer({ minimum: 0 }),
  }),
});
export type Config = Static<typeof ConfigSchema>;

/** The environment variable behind each setting, so errors can name the one to change. */
export const SETTING_ENV = {
  dataDir: 'HOTICH_DATA_DIR',
  inboxDir: 'HOTICH_INBOX_DIR',
  'temporal.address': 'TEMPORAL_ADDRESS',
  'temporal.namespace': 'TEMPORAL_NAMESPACE',
  'temporal.taskQueue': 'TEMPORAL_TASK_QUEUE',
  'temporal.cli': 'TEMPORAL_CLI',
  'temporal.port': 'TEMPORAL_PORT',
  'temporal.uiPort': 'TEMPORAL_UI_PORT',
  'database.url': 'DATABASE_URL',
  'database.ownerUrl': 'DATABASE_OWNER_URL',
  'database.port': 'PG_PORT',
  'database.poolSize': 'PG_POOL_SIZE',
  'api.host': 'API_HOST',
  'api.port': 'API_PORT',
  'api.jwtSecret': 'JWT_SECRET',
  'api.tokenTtl': 'JWT_TTL',
  'api.trustProxy': 'API_TRUST_PROXY',
  'uploads.packageMaxBytes': 'HOTICH_PACKAGE_MAX_BYTES',
  'uploads.excelMaxBytes': 'HOTICH_EXCEL_MAX_BYTES',
  'auth.maxFailuresPerUser': 'HOTICH_LOGIN_MAX_FAILURES_PER_USER',
  'auth.maxFailuresPerAddress': 'HOTICH_LOGIN_MAX_FAILURES_PER_ADDRESS',
  'auth.failureWindowMs': 'HOTICH_LOGIN_WINDOW_MINUTES',
  logLevel: 'LOG_LEVEL',
  'imports.scanZipMaxBytes': 'HOTICH_SCAN_ZIP_MAX_BYTES',
  'imports.scanExpandedMaxBytes': 'HOTICH_SCAN_EXPANDED_MAX_BYTES',
  'imports.scanEntryMaxRatio': 'HOTICH_SCAN_ENTRY_MAX_RATIO',
  'review.claimIdleMs': 'HOTICH_CLAIM_IDLE_MINUTES',
  'review.reminderAfterMs': 'HOTICH_REMIND_AFTER_HOURS',
  'review.escalateAfterMs': 'HOTICH_ESCALATE_AFTER_HOURS',
  'worker.transferConcurrency': 'HOTICH_TRANSFER_CONCURRENCY',
  'review.transferBatchSize': 'HOTICH_TRANSFER_BATCH_SIZE',
  'review.transferDelayMs': 'HOTICH_TRANSFER_DELAY_SECONDS',
} as const;

export const InvalidSetting = defineError<{ variable: string; value: string; problem: string }>(
  'CONFIG_INVALID_SETTING',
  'config',
  (p) => `invalid setting ${p.variable}=${p.value}: ${p.problem}`,
  (p) => `Cấu hình không hợp lệ: ${p.variable}=${p.value} (${p.problem}).`,
);

const GIB = 1024 ** 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw InvalidSetting({ variable: name, value: raw, problem: 'expected a whole number' });
  return Number(raw);
}

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** API_TRUST_PROXY: a number of hops, or the proxies' addresses and CIDRs. */
function trustProxy(env: Env): Config['api']['trustProxy'] {
  const raw = str(env, 'API_TRUST_PROXY');
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((p) => p.trim()).filter(Boolean);
}

export function loadConfig(env: Env = process.env, rootDir = path.resolve(__dirname, '..')): Config {
  const nodeEnv = str(env, 'NODE_ENV');
  const dataDir = path.resolve(rootDir, str(env, 'HOTICH_DATA_DIR') ?? 'data');
  const config: Config = {
    rootDir,
    dataDir,
    inboxDir: path.resolve(rootDir, str(env, 'HOTICH_INBOX_DIR') ?? path.join(dataDir, 'inbox')),
    env: nodeEnv === 'production' || nodeEnv === 'test' ? nodeEnv : 'development',
    logLevel: (str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info')) as Config['logLevel'],
    temporal: {
      address: str(env, 'TEMPORAL_ADDRESS'),
      namespace: str(env, 'TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE') ?? 'hotich',
      cli: str(env, 'TEMPORAL_CLI'),
      port: int(env, 'TEMPORAL_PORT', 7233),
      uiPort: int(env, 'TEMPORAL_UI_PORT', 8233),
    },
    database: {
      url: str(env, 'DATABASE_URL'),
      ownerUrl: str(env, 'DATABASE_OWNER_URL'),
      port: int(env, 'PG_PORT', 5433),
      poolSize: int(env, 'PG_POOL_SIZE', 10),
    },
    api: {
      host: str(env, 'API_HOST') ?? '127.0.0.1',
      port: int(env, 'API_PORT', 3000),
      jwtSecret: str(env, 'JWT_SECRET'),
      tokenTtl: str(env, 'JWT_TTL') ?? '8h',
      trustProxy: trustProxy(env),
    },
    uploads: {
      // A province's C06 export: the largest province's, with room; the same bounds a filled exceptions workbook.
      packageMaxBytes: int(env, 'HOTICH_PACKAGE_MAX_BYTES', 8 * GIB),
      // An agency's file of one register type: an .xls holds 65,536 rows, an .xlsx a million (about 200 MB).
      excelMaxBytes: int(env, 'HOTICH_EXCEL_MAX_BYTES', GIB / 2),
    },
    auth: {
      maxFailuresPerUser: int(env, 'HOTICH_LOGIN_MAX_FAILURES_PER_USER', 10),
      // Many officials of a commune may sign in from one office address: a guesser is stopped by the per-user limit first.
      maxFailuresPerAddress: int(env, 'HOTICH_LOGIN_MAX_FAILURES_PER_ADDRESS', 100),
      failureWindowMs: int(env, 'HOTICH_LOGIN_WINDOW_MINUTES', 15) * MINUTE,
    },
    imports: {
      scanZipMaxBytes: int(env, 'HOTICH_SCAN_ZIP_MAX_BYTES', 2 * GIB),
      scanExpandedMaxBytes: int(env, 'HOTICH_SCAN_EXPANDED_MAX_BYTES', 4 * GIB),
      // Scanned PDFs are already compressed: a page that deflates a hundredfold is not a scan.
      scanEntryMaxRatio: int(env, 'HOTICH_SCAN_ENTRY_MAX_RATIO', 100),
    },
    worker: {
      transferConcurrency: int(env, 'HOTICH_TRANSFER_CONCURRENCY', TRANSFER_LANES),
    },
    review: {
      claimIdleMs: int(env, 'HOTICH_CLAIM_IDLE_MINUTES', DEFAULT_REVIEW_SETTINGS.claimIdleMs / MINUTE) * MINUTE,
      reminderAfterMs: int(env, 'HOTICH_REMIND_AFTER_HOURS', DEFAULT_REVIEW_SETTINGS.reminderAfterMs / HOUR) * HOUR,
      escalateAfterMs: int(env, 'HOTICH_ESCALATE_AFTER_HOURS', DEFAULT_REVIEW_SETTINGS.escalateAfterMs / HOUR) * HOUR,
      transferBatchSize: int(env, 'HOTICH_TRANSFER_BATCH_SIZE', DEFAULT_REVIEW_SETTINGS.transferBatchSize),
      transferDelayMs: int(env, 'HOTICH_TRANSFER_DELAY_SECONDS', DEFAULT_REVIEW_SETTINGS.transferDelayMs / 1000) * 1000,
    },
  };
  const first = Value.Errors(ConfigSchema, config).First();
  if (first) {
    const key = first.path.slice(1).replace(/\//g, '.') as keyof typeof SETTING_ENV;
    const variable = SETTING_ENV[key] ?? key;
    throw InvalidSetting({ variable, value: String(first.value), problem: first.message });
  }
  return config;
}
