import type { DirectoryEntry } from '../../domain/directory-entry';
import { searchTextOf } from '../directory-rows';
import type { Db } from './database';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
  /** What SQL cannot do, run after `sql` in the same transaction. */
  run?: (db: Db) => void;
}

/**
 * The embedded database's schema, in order; each applied once and recorded in `schema_migrations`. Never
 * edit an applied one: add the next.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    // As the stores created their tables before migrations, so an older database is taken over as it is.
    name: 'stores',
    sql: `
      CREATE TABLE IF NOT EXISTS directory_addresses (
        address TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        allocated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS directory_entries (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL,
        mobile TEXT,
        organisation_code TEXT NOT NULL,
        status TEXT NOT NULL,
        search_text TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS directory_entries_name ON directory_entries (name_key);
      CREATE INDEX IF NOT EXISTS directory_entries_mobile ON directory_entries (mobile);
      CREATE INDEX IF NOT EXISTS directory_entries_org ON directory_entries (organisation_code, email);
      CREATE TABLE IF NOT EXISTS directory_pending_starts (
        account_id TEXT PRIMARY KEY,
        start TEXT NOT NULL,
        reserved_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS directory_pending_starts_age ON directory_pending_starts (reserved_at);

      CREATE TABLE IF NOT EXISTS incidents (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        status TEXT NOT NULL,
        raised_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS incident_notes (
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        note_key TEXT NOT NULL,
        note TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (incident_id, note_key)
      );

      CREATE TABLE IF NOT EXISTS api_idempotency_keys (
        principal_id TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        claim_id TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (principal_id, key)
      );
      CREATE INDEX IF NOT EXISTS api_idempotency_keys_age ON api_idempotency_keys (created_at);

      CREATE TABLE IF NOT EXISTS platform_accounts (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        display_name TEXT NOT NULL,
        organisation_code TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        sync_started_at INTEGER,
        deleted_at INTEGER
      );
      CREATE TABLE IF NOT EXISTS platform_group_members (
        group_name TEXT NOT NULL,
        account_id TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (group_name, account_id)
      );
      CREATE TABLE IF NOT EXISTS platform_policies (
        account_id TEXT PRIMARY KEY,
        policy TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS platform_notifications (
        key TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        message TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS platform_operations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        account_id TEXT NOT NULL,
        operation TEXT NOT NULL,
        detail TEXT
      );
    `,
  },
  {
    version: 2,
    // The entries get a stable integer key for a text index to point at, and their search text becomes
    // the words that index holds (directory-rows.ts); the indexes each query needs, among them a covering
    // one (address, status, words) for a common word walked in address order.
    name: 'directory entries for a text index',
    sql: `
      CREATE TABLE directory_entries_v2 (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL,
        mobile TEXT,
        organisation_code TEXT NOT NULL,
        status TEXT NOT NULL,
        search_text TEXT NOT NULL,
        data TEXT NOT NULL
      );
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
      CREATE INDEX platform_operations_account ON platform_operations (account_id, seq);
    `,
    run: (db) => {
      const entries = db.prepare('SELECT seq, data FROM directory_entries').all() as {
        seq: number;
        data: string;
      }[];
      const words = db.prepare('UPDATE directory_entries SET search_text = ? WHERE seq = ?');
      for (const { seq, data } of entries) words.run(searchTextOf(JSON.parse(data) as DirectoryEntry), seq);
    },
  },
  {
    version: 3,
    // Name searches by FTS5 instead of a LIKE '%word%' scan: each query word matches the start of a word,
    // with prefix indexes for words of one to three letters, kept in step with the entries by triggers.
    name: 'directory text search',
    sql: `
      CREATE VIRTUAL TABLE directory_search USING fts5(
        search_text, content = 'directory_entries', content_rowid = 'seq', prefix = '1 2 3'
      );
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
      END;
    `,
  },
  {
    version: 4,
    // R31: an upload and its lines, as the bulk upload store created them before it had a migration (a
    // file it wrote is taken over as it is).
    name: 'bulk uploads',
    sql: `
      CREATE TABLE IF NOT EXISTS bulk_uploads (
        id TEXT PRIMARY KEY,
        organisation TEXT NOT NULL,
        uploaded_by TEXT NOT NULL,
        rows INTEGER NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE IF NOT EXISTS bulk_rows (
        upload_id TEXT NOT NULL REFERENCES bulk_uploads (id),
        line INTEGER NOT NULL,
        fields TEXT NOT NULL,
        body TEXT,
        row_key TEXT,
        errors TEXT NOT NULL,
        state TEXT NOT NULL,
        result TEXT,
        account_id TEXT,
        sealed_password TEXT,
        PRIMARY KEY (upload_id, line)
      );
    `,
  },
  {
    version: 5,
    // The portal's sessions, server-side: keyed by the SHA-256 of the cookie's session id, times in epoch ms.
    name: 'portal sessions',
    sql: `
      CREATE TABLE portal_sessions (
        id_hash TEXT PRIMARY KEY,
        principal_id TEXT NOT NULL,
        signed_in_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
    `,
  },
  {
    version: 6,
    // R30: the simulated platform's own record of the last sign-in, which the lifecycle asks for.
    name: 'simulated last sign-in',
    sql: 'ALTER TABLE platform_accounts ADD COLUMN last_sign_in_at INTEGER;',
  },
];

/** A migration may rebuild a large table: another process starting meanwhile waits this long for it. */
const MIGRATION_WAIT_MS = 10 * 60 * 1000;

/**
 * Brings the database's schema up to date: the migrations not yet recorded, in order, in one write
 * transaction, so that two processes opening one file together apply each once.
 */
export function migrateSqlite(db: Db, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): number[] {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  try {
    return db
      .transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
        const applied = new Set(
          (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
            (r) => r.version,
          ),
        );
        const record = db.prepare(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        );
        const done: number[] = [];
        for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
          if (applied.has(migration.version)) continue;
          db.exec(migration.sql);
          migration.run?.(db);
          record.run(migration.version, migration.name, new Date().toISOString());
          done.push(migration.version);
        }
        return done;
      })
      .immediate();
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
