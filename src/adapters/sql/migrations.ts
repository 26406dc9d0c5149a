import { sql } from 'kysely';
import type { DirectoryEntry } from '../../domain/directory-entry';
import { searchTextOf } from '../directory-rows';
import type { Db, SqlDatabase } from './database';

/** The column types that differ between the two databases, and the few clauses only one of them has. */
const TYPES = {
  sqlite: { time: 'TEXT', epoch: 'INTEGER', json: 'TEXT', jsonb: 'TEXT', bool: 'INTEGER' },
  postgres: { time: 'timestamptz', epoch: 'bigint', json: 'json', jsonb: 'jsonb', bool: 'boolean' },
};
/** Addresses sort byte by byte in both (COLLATE "C" in PostgreSQL), so that pages come in one order. */
const CLAUSES = {
  sqlite: { on: '1', serial: 'INTEGER', autoincrement: 'AUTOINCREMENT', bytewise: '' },
  postgres: { on: 'true', serial: 'bigserial', autoincrement: '', bytewise: 'COLLATE "C"' },
};
type Types = (typeof TYPES)['sqlite'] & (typeof CLAUSES)['sqlite'] & { dialect: SqlDatabase['dialect'] };

/** The types and clauses of `dialect`, for a migration's DDL. */
export const typesOf = (dialect: SqlDatabase['dialect']): Types => ({
  ...TYPES[dialect],
  ...CLAUSES[dialect],
  dialect,
});

export interface Migration {
  version: number;
  name: string;
  /** Its DDL for the database at hand; undefined where it does not apply to that database. */
  ddl: (t: Types) => string | undefined;
  /** What SQL cannot do, run after `ddl` in the same transaction. */
  after?: (db: Db, t: Types) => Promise<void>;
}

/**
 * The schema of both databases, in order; each applied once, in one transaction, and recorded in
 * `schema_migrations`. Never edit an applied one: add the next. Before they were one list the two databases
 * numbered their migrations apart (PostgreSQL had no version 2), so whether one is applied is told by its
 * name. Times the simulation and the idempotency keys compare are epoch milliseconds, as the clock that
 * makes them may be Temporal's skipped test time.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // IF NOT EXISTS: the SQLite stores created their tables before migrations, and such a file is taken
    // over as it is.
    name: 'stores',
    ddl: (t) => `
      CREATE TABLE IF NOT EXISTS directory_addresses (
        address text PRIMARY KEY, account_id text NOT NULL, allocated_at ${t.time} NOT NULL);
      CREATE TABLE IF NOT EXISTS directory_entries (
        id text PRIMARY KEY, email text ${t.bytewise} NOT NULL UNIQUE, name_key text NOT NULL, mobile text,
        organisation_code text NOT NULL, status text NOT NULL, ${t.dialect === 'postgres' ? 'roles text[] NOT NULL,' : ''}
        search_text text NOT NULL, data ${t.jsonb} NOT NULL);
      CREATE INDEX IF NOT EXISTS directory_entries_name ON directory_entries (name_key);
      CREATE INDEX IF NOT EXISTS directory_entries_mobile ON directory_entries (mobile);
      CREATE INDEX IF NOT EXISTS directory_entries_org ON directory_entries (organisation_code, email);
      CREATE TABLE IF NOT EXISTS directory_pending_starts (
        account_id text PRIMARY KEY, start ${t.jsonb} NOT NULL, reserved_at ${t.time} NOT NULL);
      CREATE INDEX IF NOT EXISTS directory_pending_starts_age ON directory_pending_starts (reserved_at);

      CREATE TABLE IF NOT EXISTS incidents (
        id text PRIMARY KEY, key text NOT NULL UNIQUE, account_id text NOT NULL, kind text NOT NULL,
        summary text NOT NULL, status text NOT NULL, raised_at ${t.time} NOT NULL);
      CREATE TABLE IF NOT EXISTS incident_notes (
        incident_id text NOT NULL REFERENCES incidents (id), note_key text NOT NULL, note text NOT NULL,
        seq ${t.serial} NOT NULL, PRIMARY KEY (incident_id, note_key));

      CREATE TABLE IF NOT EXISTS api_idempotency_keys (
        principal_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL, claim_id text NOT NULL,
        status integer, body text, created_at ${t.epoch} NOT NULL, PRIMARY KEY (principal_id, key));
      CREATE INDEX IF NOT EXISTS api_idempotency_keys_age ON api_idempotency_keys (created_at);

      CREATE TABLE IF NOT EXISTS platform_accounts (
        id text PRIMARY KEY, email text NOT NULL, display_name text NOT NULL, organisation_code text NOT NULL,
        password_hash text NOT NULL, requested_at ${t.epoch} NOT NULL, enabled ${t.bool} NOT NULL DEFAULT ${t.on},
        disabled_reason text, sync_started_at ${t.epoch}, deleted_at ${t.epoch});
      CREATE TABLE IF NOT EXISTS platform_group_members (
        group_name text NOT NULL, account_id text NOT NULL, added_at ${t.epoch} NOT NULL,
        PRIMARY KEY (group_name, account_id));
      CREATE TABLE IF NOT EXISTS platform_policies (account_id text PRIMARY KEY, policy text NOT NULL);
      CREATE TABLE IF NOT EXISTS platform_notifications (
        key text PRIMARY KEY, account_id text NOT NULL, message text NOT NULL, sent_at ${t.epoch} NOT NULL);
      CREATE TABLE IF NOT EXISTS platform_operations (
        seq ${t.serial} PRIMARY KEY ${t.autoincrement}, at ${t.epoch} NOT NULL, account_id text NOT NULL,
        operation text NOT NULL, detail text);
      ${t.dialect === 'sqlite' ? '' : POSTGRES_INDEXES}`,
  },
  {
    version: 2,
    // SQLite: the entries get a stable integer key for a text index to point at, and their search text
    // becomes the words that index holds (directory-rows.ts); the indexes each query needs, among them a
    // covering one (address, status, words) for a common word walked in address order.
    name: 'directory entries for a text index',
    ddl: (t) =>
      t.dialect !== 'sqlite'
        ? undefined
        : `
      CREATE TABLE directory_entries_v2 (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE, name_key TEXT NOT NULL,
        mobile TEXT, organisation_code TEXT NOT NULL, status TEXT NOT NULL, search_text TEXT NOT NULL,
        data TEXT NOT NULL);
      INSERT INTO directory_entries_v2 (id, email, name_key, mobile, organisation_code, status, search_text, data)
        SELECT id, email, name_key, mobile, organisation_code, status, search_text, data
        FROM directory_entries ORDER BY email;
      DROP TABLE directory_entries;
      ALTER TABLE directory_entries_v2 RENAME TO directory_entries;
      CREATE INDEX directory_entries_name ON directory_entries (name_key);
      CREATE INDEX directory_entries_mobile ON directory_entries (mobile);
      CREATE INDEX directory_entries_org ON directory_entries (organisation_code, email);
      CREATE INDEX directory_entries_status ON directory_entries (status, email);
      CREATE INDEX directory_entries_by_email ON directory_entries (email, status, search_text);
      CREATE INDEX incidents_account ON incidents (account_id);
      CREATE INDEX platform_operations_account ON platform_operations (account_id, seq);`,
    after: async (db) => {
      for (const { id, data } of await db.selectFrom('directory_entries').select(['id', 'data']).execute()) {
        const words = searchTextOf(JSON.parse(data) as DirectoryEntry);
        await db.updateTable('directory_entries').set({ search_text: words }).where('id', '=', id).execute();
      }
    },
  },
  {
    version: 3,
    // Name searches by each database's own text index instead of a LIKE '%word%' scan, each query word
    // matching the start of a word. SQLite: FTS5, with prefix indexes for words of one to three letters,
    // kept in step with the entries by triggers. PostgreSQL: the words as a tsvector with a GIN index, and
    // a covering index (address, status, words) to walk in address order when a word is common.
    name: 'directory text search',
    ddl: (t) =>
      t.dialect === 'sqlite'
        ? `
      CREATE VIRTUAL TABLE directory_search USING fts5(
        search_text, content = 'directory_entries', content_rowid = 'seq', prefix = '1 2 3');
      INSERT INTO directory_search (directory_search) VALUES ('rebuild');
      CREATE TRIGGER directory_search_insert AFTER INSERT ON directory_entries BEGIN
        INSERT INTO directory_search (rowid, search_text) VALUES (new.seq, new.search_text);
      END;
      CREATE TRIGGER directory_search_delete AFTER DELETE ON directory_entries BEGIN
        INSERT INTO directory_search (directory_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
      END;
      CREATE TRIGGER directory_search_update AFTER UPDATE OF search_text ON directory_entries
        WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO directory_search (directory_search, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
        INSERT INTO directory_search (rowid, search_text) VALUES (new.seq, new.search_text);
      END;`
        : `
      ALTER TABLE directory_entries
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
      CREATE INDEX directory_entries_search ON directory_entries USING gin (search_vector);
      CREATE INDEX directory_entries_by_email ON directory_entries (email) INCLUDE (status, search_vector);`,
  },
  {
    version: 4,
    // R31: an upload and its lines (IF NOT EXISTS: as the SQLite store created them before it had a
    // migration). PostgreSQL's json, not jsonb, keeps each object's keys in the order they were written.
    name: 'bulk uploads',
    ddl: (t) => `
      CREATE TABLE IF NOT EXISTS bulk_uploads (
        id text PRIMARY KEY, organisation text NOT NULL, uploaded_by ${t.json} NOT NULL, rows integer NOT NULL,
        status text NOT NULL, created_at ${t.time} NOT NULL, finished_at ${t.time});
      CREATE TABLE IF NOT EXISTS bulk_rows (
        upload_id text NOT NULL REFERENCES bulk_uploads (id), line integer NOT NULL, fields ${t.json} NOT NULL,
        body ${t.json}, row_key text, errors ${t.json} NOT NULL, state text NOT NULL, result text,
        account_id text, sealed_password text, PRIMARY KEY (upload_id, line));`,
  },
  {
    version: 5,
    // The portal's sessions, server-side: keyed by the SHA-256 of the cookie's session id, times in epoch ms.
    name: 'portal sessions',
    ddl: (t) => `
      CREATE TABLE portal_sessions (
        id_hash text PRIMARY KEY, principal_id text NOT NULL, signed_in_at ${t.epoch} NOT NULL,
        last_seen_at ${t.epoch} NOT NULL, revoked_at ${t.epoch});`,
  },
  {
    version: 6,
    // R30: the simulated platform's own record of the last sign-in, which the lifecycle asks for.
    name: 'simulated last sign-in',
    ddl: (t) => `ALTER TABLE platform_accounts ADD COLUMN last_sign_in_at ${t.epoch};`,
  },
];

/** PostgreSQL's indexes of the first migration (SQLite's came with the second). */
const POSTGRES_INDEXES = `
  CREATE INDEX directory_entries_status ON directory_entries (status, email);
  CREATE INDEX incidents_account ON incidents (account_id, raised_at);
  CREATE INDEX platform_group_members_account ON platform_group_members (account_id);
  CREATE INDEX platform_operations_account ON platform_operations (account_id, seq);`;

/** The advisory lock every PostgreSQL process takes to migrate: the first applies, the others wait and find it done. */
const MIGRATION_LOCK = 0x6e68_736d; // "nhsm"

/**
 * Brings the schema up to date in one transaction (SQLite's write lock; PostgreSQL's advisory lock), so
 * that processes starting together apply each migration once, and a failed one leaves nothing half done.
 * The versions applied now.
 */
export async function migrate(database: SqlDatabase, migrations = MIGRATIONS): Promise<number[]> {
  const t = typesOf(database.dialect);
  return database.transaction(async (db) => {
    if (database.dialect === 'postgres')
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(db);
    await database.script(
      db,
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at ${t.time} NOT NULL)`,
    );
    const recorded = await db.selectFrom('schema_migrations').select('name').execute();
    const applied = new Set(recorded.map((r) => r.name));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      const ddl = migration.ddl(t);
      if (applied.has(migration.name) || ddl === undefined) continue;
      await database.script(db, ddl);
      await migration.after?.(db, t);
      await db
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      done.push(migration.version);
    }
    return done;
  });
}
