import pg from 'pg';
import { migratePostgres } from './migrations';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** bigint columns (epoch milliseconds, sequence numbers) as numbers: they stay far below 2^53. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

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
export async function openPostgres({ url, poolSize = 10 }: PostgresOptions): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle connection the server closed is dropped from the pool; without a listener it would crash.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

/** SQLSTATE codes a transaction is simply run again after. */
const TRANSIENT = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws;
 * run again (a few times) after a deadlock or a serialization failure, or an error `retryOn` accepts.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  retryOn: (err: unknown) => boolean = () => false,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      const again = TRANSIENT.has((err as { code?: string }).code ?? '') || retryOn(err);
      if (!again || attempt >= 5) throw err;
    } finally {
      // A connection that could not even roll back is closed rather than reused.
      client.release(broken);
    }
  }
}

export const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
