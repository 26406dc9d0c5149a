import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Db, Lock, SqlDatabase } from './database';
import { migrate, MIGRATIONS } from './migrations';
import type { Database } from './schema';

/**
 * Values read as SQLite gives them, so that one store reads both: bigint (epoch milliseconds, counts, far
 * below 2^53) as a number, timestamptz as ISO text, json and jsonb as their text, a boolean as 1 or 0.
 */
const types = new pg.TypeOverrides();
const { INT8, TIMESTAMPTZ, JSON, JSONB, BOOL } = pg.types.builtins;
const timestamp = pg.types.getTypeParser(TIMESTAMPTZ) as (value: string) => Date;
types.setTypeParser(INT8, Number);
types.setTypeParser(TIMESTAMPTZ, (value: string) => timestamp(value).toISOString());
types.setTypeParser(JSON, (value: string) => value);
types.setTypeParser(JSONB, (value: string) => value);
types.setTypeParser(BOOL, (value: string) => (value === 't' ? 1 : 0));

/** Takes transaction-scoped advisory locks in one round trip, in the order given (each its class, its key's hash). */
const lockAll = (locks: readonly Lock[]) =>
  `SELECT ${locks.map((_, i) => `pg_advisory_xact_lock($${2 * i + 1}, hashtext($${2 * i + 2}))`).join(', ')}`;
/** SQLSTATE codes a transaction is simply run again after: serialization_failure, deadlock_detected. */
const TRANSIENT = new Set(['40001', '40P01']);

export interface PostgresOptions {
  /** A libpq connection string, as in DATABASE_URL. */
  url: string;
  /** Connections this process keeps open at most. */
  poolSize?: number;
}

/**
 * Connects to the shared database and brings its schema up to date before anything uses it. The URL may
 * hold a password: it is never logged, and errors name the host, never the URL.
 */
export async function openPostgres(
  { url, poolSize = 10 }: PostgresOptions,
  migrations = MIGRATIONS,
): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle connection the server closed is dropped from the pool; without a listener it would crash.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const database: SqlDatabase = {
    dialect: 'postgres',
    db,
    async transaction(work, locks = []) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().execute(async (trx) => {
            if (locks.length > 0) await trx.executeQuery(CompiledQuery.raw(lockAll(locks), locks.flat()));
            return work(trx);
          });
        } catch (err) {
          if (!TRANSIENT.has((err as { code?: string }).code ?? '') || attempt >= 5) throw err;
        }
      }
    },
    run: <Row>(on: Db, text: string, parameters: readonly unknown[]) =>
      on.executeQuery(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<Row>),
    script: async (on, text) => void (await sql.raw(text).execute(on)),
    close: () => db.destroy(),
  };
  try {
    await migrate(database, migrations);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return database;
}
