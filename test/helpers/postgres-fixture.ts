import {
  POSTGRES_HELP,
  postgresBinaries,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from './throwaway-postgres';

let server: Promise<ThrowawayPostgres> | undefined;
let warned = false;

/**
 * A new, empty database on the run's throwaway PostgreSQL server, started at the first call and stopped
 * by the global teardown. Without PostgreSQL the test fails in CI (CI set), and is skipped with a message
 * elsewhere.
 */
export async function postgresDatabase(test: Mocha.Context): Promise<string> {
  if (!postgresBinaries()) {
    if (process.env.CI) throw new Error(POSTGRES_HELP);
    if (!warned) console.warn(`\n  PostgreSQL tests skipped: ${POSTGRES_HELP}\n`);
    warned = true;
    test.skip();
  }
  server ??= startThrowawayPostgres();
  return (await server).createDatabase();
}

/** Stops the run's PostgreSQL server, if one was started. */
export async function stopPostgres(): Promise<void> {
  const started = server;
  server = undefined;
  await (await started?.catch(() => undefined))?.stop();
}
