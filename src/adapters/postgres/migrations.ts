import type { Pool } from './database';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The shared database's schema, in order; each applied once and recorded in `schema_migrations`. Never
 * edit an applied one: add the next. Addresses sort byte by byte (COLLATE "C"), as in SQLite, so that
 * pages of a search come in the same order on both. Times the simulation and the idempotency keys compare are epoch
 * milliseconds (bigint), as the clock that makes them may be Temporal's skipped test time.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'stores',
    sql: `
      CREATE TABLE directory_addresses (
        address text PRIMARY KEY,
        account_id text NOT NULL,
        allocated_at timestamptz NOT NULL
      );
      CREATE TABLE directory_entries (
        id text PRIMARY KEY,
        email text COLLATE "C" NOT NULL UNIQUE,
        name_key text NOT NULL,
        mobile text,
        organisation_code text NOT NULL,
        status text NOT NULL,
        roles text[] NOT NULL,
        search_text text NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX directory_entries_name ON directory_entries (name_key);
      CREATE INDEX directory_entries_mobile ON directory_entries (mobile);
      CREATE INDEX directory_entries_org ON directory_entries (organisation_code, email);
      CREATE INDEX directory_entries_status ON directory_entries (status, email);
      CREATE TABLE directory_pending_starts (
        account_id text PRIMARY KEY,
        start jsonb NOT NULL,
        reserved_at timestamptz NOT NULL
      );
      CREATE INDEX directory_pending_starts_age ON directory_pending_starts (reserved_at);

      CREATE TABLE incidents (
        id text PRIMARY KEY,
        key text NOT NULL UNIQUE,
        account_id text NOT NULL,
        kind text NOT NULL,
        summary text NOT NULL,
        status text NOT NULL,
        raised_at timestamptz NOT NULL
      );
      CREATE INDEX incidents_account ON incidents (account_id, raised_at);
      CREATE TABLE incident_notes (
        incident_id text NOT NULL REFERENCES incidents (id),
        note_key text NOT NULL,
        note text NOT NULL,
        seq bigserial NOT NULL,
        PRIMARY KEY (incident_id, note_key)
      );

      CREATE TABLE api_idempotency_keys (
        principal_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        claim_id text NOT NULL,
        status integer,
        body text,
        created_at bigint NOT NULL,
        PRIMARY KEY (principal_id, key)
      );
      CREATE INDEX api_idempotency_keys_age ON api_idempotency_keys (created_at);

      CREATE TABLE platform_accounts (
        id text PRIMARY KEY,
        email text NOT NULL,
        display_name text NOT NULL,
        organisation_code text NOT NULL,
        password_hash text NOT NULL,
        requested_at bigint NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        sync_started_at bigint,
        deleted_at bigint
      );
      CREATE TABLE platform_group_members (
        group_name text NOT NULL,
        account_id text NOT NULL,
        added_at bigint NOT NULL,
        PRIMARY KEY (group_name, account_id)
      );
      CREATE INDEX platform_group_members_account ON platform_group_members (account_id);
      CREATE TABLE platform_policies (
        account_id text PRIMARY KEY,
        policy text NOT NULL
      );
      CREATE TABLE platform_notifications (
        key text PRIMARY KEY,
        account_id text NOT NULL,
        message text NOT NULL,
        sent_at bigint NOT NULL
      );
      CREATE TABLE platform_operations (
        seq bigserial PRIMARY KEY,
        at bigint NOT NULL,
        account_id text NOT NULL,
        operation text NOT NULL,
        detail text
      );
      CREATE INDEX platform_operations_account ON platform_operations (account_id, seq);
    `,
  },
  {
    version: 2,
    // Name searches by PostgreSQL's text search instead of a LIKE '%word%' scan: the entry's words
    // (directory-rows.ts) as a tsvector with a GIN index, each query word matching the start of a word;
    // and a covering index (address, status, words) to walk in address order when a word is common.
    name: 'directory text search',
    sql: `
      ALTER TABLE directory_entries
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
      CREATE INDEX directory_entries_search ON directory_entries USING gin (search_vector);
      CREATE INDEX directory_entries_by_email ON directory_entries (email) INCLUDE (status, search_vector);
    `,
  },
  {
    version: 3,
    // R31: an upload and its lines. The lines' fields, request and errors are json, not jsonb, which
    // keeps each object's keys in the order they were written, as SQLite's text does.
    name: 'bulk uploads',
    sql: `
      CREATE TABLE bulk_uploads (
        id text PRIMARY KEY,
        organisation text NOT NULL,
        uploaded_by json NOT NULL,
        rows integer NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        finished_at timestamptz
      );
      CREATE TABLE bulk_rows (
        upload_id text NOT NULL REFERENCES bulk_uploads (id),
        line integer NOT NULL,
        fields json NOT NULL,
        body json,
        row_key text,
        errors json NOT NULL,
        state text NOT NULL,
        result text,
        account_id text,
        sealed_password text,
        PRIMARY KEY (upload_id, line)
      );
    `,
  },
  {
    version: 4,
    // The portal's sessions, server-side: keyed by the SHA-256 of the cookie's session id, times in epoch ms.
    name: 'portal sessions',
    sql: `
      CREATE TABLE portal_sessions (
        id_hash text PRIMARY KEY,
        principal_id text NOT NULL,
        signed_in_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        revoked_at bigint
      );
    `,
  },
  {
    version: 5,
    // R30: the simulated platform's own record of the last sign-in, which the lifecycle asks for.
    name: 'simulated last sign-in',
    sql: 'ALTER TABLE platform_accounts ADD COLUMN last_sign_in_at bigint;',
  },
];

/** The advisory lock every process takes to migrate: the first applies, the others wait and find it done. */
const MIGRATION_LOCK = 0x6e68_736d; // "nhsm"

/**
 * Brings the schema up to date in one transaction under an advisory lock, so that processes starting
 * together apply each migration once, and a failed migration leaves nothing half done.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
