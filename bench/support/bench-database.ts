/**
 * A bench's own throwaway database: an embedded PostgreSQL in the bench's work folder, migrated,
 * holding the agency that keeps the registers of Phường Ba Đình (00004, Hà Nội, before 1 July
 * 2025) today. The caller stops the server (`pg.stop()`) when done.
 */
import path from 'node:path';
import { Client, Pool } from 'pg';
import { migrateUp } from '../../db/migrate';
import { unitCatalog } from '../../domain/units/catalog';
import { routeRegisteringUnit } from '../../domain/units/routing';
import { freePort } from '../../platform/ports';
import { startEmbeddedPostgres } from '../../platform/services/embedded-postgres';

export async function openBenchDatabase(work: string) {
  const pg = await startEmbeddedPostgres({ dir: path.join(work, 'pg'), port: await freePort(), password: 'bench-only', persistent: false });
  const admin = new Client({ connectionString: pg.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  await migrateUp(pg.url('bench'));
  const pool = new Pool({ connectionString: pg.url('bench'), max: 4 });
  // Stopping the server at the end (or after a failure) ends idle connections: not news.
  pool.on('error', () => undefined);
  const unit = unitCatalog().commune('legacy', '00004')!;
  const routed = routeRegisteringUnit({ unitCode: unit.code, unitLevel: 'commune', registeredOn: 2010, provinceCode: unit.provinceCode });
  if (!routed.ok) throw new Error(routed.messageVi);
  const agency = routed.agency;
  await pool.query('INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)', [agency.code, agency.name, agency.level, agency.provinceCode]);
  return { pg, pool, unit, agency };
}
