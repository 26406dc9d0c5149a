import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** A PostgreSQL advisory lock: its class, and the text whose hash is its key. */
export type Lock = readonly [kind: number, key: string];

/** The engine's store, in SQLite (sqlite.ts) or PostgreSQL (postgres.ts), behind one Kysely instance. */
export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Db;
  /**
   * Runs `work` in one transaction, committed if it returns. SQLite begins it IMMEDIATE, taking the file's
   * write lock, which every process on the file waits for; PostgreSQL first takes each of `locks`
   * (transaction-scoped), and runs it again after a deadlock or a serialization failure.
   */
  transaction<T>(work: (db: Db) => Promise<T>, locks?: readonly Lock[]): Promise<T>;
  /** Runs a compiled statement with its values on `db` (the database's, or a transaction's). */
  run<Row>(db: Db, sql: string, parameters: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements (a migration's) on `db`, a transaction's connection. */
  script(db: Db, sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A query builder, or a raw `sql` template, which compiles with the database's dialect. */
export interface Compilable<Row> {
  compile(db: Db): CompiledQuery<Row>;
}

/** A value bound at each run of a compiled statement (see `compiled`). */
export type Slot = (name: string) => never;

class Bound {
  constructor(readonly name: string) {}
}

/**
 * A statement built and compiled once, as Kysely would build and compile it at every call (a fifth of a
 * reservation's time in SQLite); each run binds its own values to the slots `slot(name)` stands for.
 */
export function compiled<Row>(database: SqlDatabase, build: (slot: Slot) => Compilable<Row>) {
  const { sql, parameters } = build((name) => new Bound(name) as never).compile(database.db);
  const bind = (values: Record<string, unknown>) =>
    parameters.map((p) => (p instanceof Bound ? values[p.name] : p));
  return (on: Db, values: Record<string, unknown>) => database.run<Row>(on, sql, bind(values));
}

/** Whether an insert, update or delete changed a row. */
type Changes = { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint };
export const changed = (r: Changes) =>
  (r.numInsertedOrUpdatedRows ?? r.numUpdatedRows ?? r.numDeletedRows ?? 0n) > 0n;
