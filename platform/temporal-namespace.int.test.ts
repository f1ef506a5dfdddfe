/**
 * What the namespace needs, on real Temporal servers: the embedded server kept on disk starts
 * with the runs' search attributes and keeps closed histories for auditors; a server that lacks
 * the attributes (production) gets them from ensureSearchAttributes, once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msNumberToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../domain/audit/run-search';
import { testEnv } from '../test/support/env';
import { freePort } from './ports';
import { startTemporalDevServer } from './services/temporal-dev-server';
import type { AppError } from '../domain/errors';
import { EMBEDDED_RETENTION_DAYS, ensureSearchAttributes, requireSearchAttributes } from './temporal-namespace';

const DAY_MS = 86_400_000;

test('the embedded server on disk registers the search attributes and keeps closed histories for a hundred years', async () => {
  const dir = fs.mkdtempSync(path.join(testEnv('workDir'), 'temporal-db-'));
  const server = await startTemporalDevServer({ binary: testEnv('temporalCli'), host: '127.0.0.1', port: await freePort(), namespace: 'default', dbFile: path.join(dir, 'temporal.db'), logFile: path.join(dir, 'temporal.log') });
  const connection = await Connection.connect({ address: server.address });
  try {
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(ns.config!.workflowExecutionRetentionTtl!.seconds)).toBe((EMBEDDED_RETENTION_DAYS * DAY_MS) / 1000);
    const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(attributes.customAttributes)).toEqual(expect.arrayContaining(Object.values(SEARCH_ATTRIBUTES)));
  } finally {
    await connection.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a namespace without the attributes is refused to workers, and gets them once from ensureSearchAttributes', async () => {
  const connection = await Connection.connect({ address: testEnv('temporalAddress') });
  try {
    const namespace = `audit-${Date.now().toString(36)}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msNumberToTs(DAY_MS) });
    // A worker refuses to start on it, saying what to run.
    const refused = await requireSearchAttributes(connection, 'temporal:7233', namespace).catch((e: unknown) => e as AppError);
    expect(refused).toMatchObject({ code: 'TEMPORAL_SEARCH_ATTRIBUTES_MISSING', messageVi: expect.stringContaining('chạy "hotich migrate" với TEMPORAL_ADDRESS này') });
    expect((await ensureSearchAttributes(connection, namespace)).sort()).toEqual(Object.values(SEARCH_ATTRIBUTES).sort());
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
    await requireSearchAttributes(connection, 'temporal:7233', namespace);
  } finally {
    await connection.close();
  }
});
