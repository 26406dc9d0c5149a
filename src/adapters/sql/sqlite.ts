import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type QueryResult,
} from 'kysely';
import { ownerOnlyFolder } from '../../owner-only-folder';
import type { SqlDatabase } from './database';
import { migrate, MIGRATIONS } from './migrations';
import type { Database as Tables } from './schema';

/** How long opening keeps trying while another process is opening the same new file. */
const OPEN_WAIT_MS = 10_000;
/** A migration may rebuild a large table: another process starting meanwhile waits this long for it. */
const MIGRATION_WAIT_MS = 10 * 60 * 1000;
/** Enough for every fixed statement of the stores; a search's filters make more texts, the oldest dropped. */
const MOST_STATEMENTS = 500;

type Query = { sql: string; parameters: readonly unknown[] };

const BEGIN = CompiledQuery.raw('BEGIN IMMEDIATE');
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

/**
 * Opens (creating if needed) the embedded database, its schema brought up to date; ':memory:' for a
 * private one. It holds names and mobile numbers, hidden ones included, so its folder is the owner's
 * only (0700) and the database, its WAL and shared-memory files are 0600, whatever the umask.
 */
export async function openSqlite(file: string, migrations = MIGRATIONS): Promise<SqlDatabase> {
  if (file !== ':memory:') {
    ownerOnlyFolder(path.dirname(file));
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const raw = new Database(file, { timeout: 5000 });
  // The API and the worker processes share this file. Switching it to WAL needs a write lock, and when another
  // connection holds one (the other process creating the same new file at that moment), SQLite answers
  // SQLITE_BUSY at once: the pragma already reads, and a reader waiting for a writer could deadlock, so the
  // busy timeout does not apply. The API died at start (npm run chaos). Try again until the other is done.
  whileBusy(() => raw.pragma('journal_mode = WAL'));
  raw.pragma('foreign_keys = ON');
  cacheStatements(raw);
  const database = sqliteDatabase(raw);
  raw.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  try {
    await migrate(database, migrations);
  } catch (err) {
    raw.close();
    throw err;
  } finally {
    if (raw.open) raw.pragma('busy_timeout = 5000');
  }
  // The WAL and shared-memory files appear with the first read in WAL mode; SQLite gives them the
  // database file's mode, and files left by an older run are tightened here.
  for (const companion of file === ':memory:' ? [] : [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(companion)) fs.chmodSync(companion, 0o600);
  }
  return database;
}

/**
 * Kysely over the one connection to the file, with Kysely's SQLite adapter and compiler but a driver of its
 * own: Kysely's SqliteDialect queues every call behind a promise-based lock and its transactions behind
 * more, which took a reservation from 0.18 to 0.30 ms. Here a statement runs at once, synchronously, unless a
 * transaction holds the connection (from BEGIN IMMEDIATE to its end): then calls from outside it wait for it.
 */
function sqliteDatabase(raw: Database.Database): SqlDatabase {
  let held: Promise<void> | undefined;
  const execute = <Row>({ sql, parameters }: Query): QueryResult<Row> => {
    const statement = raw.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as Row[] };
    return { rows: [], numAffectedRows: BigInt(statement.run(parameters).changes) };
  };
  const outside = async <Row>(query: Query): Promise<QueryResult<Row>> => {
    while (held) await held;
    return execute<Row>(query);
  };
  const ours = () => Promise.reject(new Error('a transaction is SqlDatabase.transaction'));
  const kysely = (connection: DatabaseConnection) =>
    new Kysely<Tables>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createQueryCompiler: () => new SqliteQueryCompiler(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createDriver: () => ({
          init: async () => undefined,
          acquireConnection: async () => connection,
          releaseConnection: async () => undefined,
          destroy: async () => undefined,
          beginTransaction: ours,
          commitTransaction: ours,
          rollbackTransaction: ours,
        }),
      },
    });
  const streamQuery = () => {
    throw new Error('not streamed');
  };
  const db = kysely({ executeQuery: outside, streamQuery });
  const inside = kysely({ executeQuery: async (query) => execute(query), streamQuery });
  return {
    dialect: 'sqlite',
    db,
    run: async (on, sql, parameters) =>
      on === inside || !held ? execute({ sql, parameters }) : outside({ sql, parameters }),
    async transaction(work) {
      while (held) await held;
      let release = () => {};
      held = new Promise((resolve) => (release = resolve));
      try {
        execute(BEGIN);
        try {
          const result = await work(inside);
          execute(COMMIT);
          return result;
        } catch (err) {
          if (raw.inTransaction) execute(ROLLBACK);
          throw err;
        }
      } finally {
        held = undefined;
        release();
      }
    },
    script: async (_db, sql) => void raw.exec(sql),
    close: async () => void raw.close(),
  };
}

/**
 * Makes `db.prepare`, which Kysely calls for every query, compile each SQL text once and hand back the same
 * statement after: compiling cost about 0.4 ms of each create's CPU. Kysely neither iterates a statement
 * nor changes its mode, so one statement serves every caller.
 */
export function cacheStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = compile(sql);
      statements.set(sql, statement);
      if (statements.size > MOST_STATEMENTS) statements.delete(statements.keys().next().value!);
    }
    return statement;
  }) as typeof db.prepare;
}

/** Runs `step`, again after a short pause each time SQLite answers SQLITE_BUSY, for up to OPEN_WAIT_MS. */
export function whileBusy<T>(step: () => T, waitMs = OPEN_WAIT_MS): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return step();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}
