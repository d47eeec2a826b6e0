/**
 * Global setup of the `server` vitest project: one throw-away PostgreSQL cluster for all server
 * test files (each file still gets its own database), unless SEALPOST_TEST_PG_URL names one.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../helpers/postgres.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.SEALPOST_TEST_PG_URL) {
    project.provide('postgresAdminUrl', process.env.SEALPOST_TEST_PG_URL);
    return async () => {};
  }
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
