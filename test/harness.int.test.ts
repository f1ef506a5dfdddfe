import { createTestDatabase } from './support/database';
import { connectTestTemporal } from './support/temporal';

test('harness reaches real servers', async () => {
  const db = await createTestDatabase();
  const r = await db.pool.query('select current_database() as d');
  expect(r.rows[0].d).toBe(db.name);
  await db.drop();
  const env = await connectTestTemporal();
  const ns = await env.client.workflowService.describeNamespace({ namespace: 'default' });
  expect(ns.namespaceInfo?.name).toBe('default');
  await env.teardown();
});
