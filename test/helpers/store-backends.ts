import { openPostgres } from '../../src/adapters/postgres/database';
import { PostgresBulkUploads } from '../../src/adapters/postgres/postgres-bulk-uploads';
import { PostgresDirectory } from '../../src/adapters/postgres/postgres-directory';
import { PostgresIdempotencyKeys } from '../../src/adapters/postgres/postgres-idempotency-keys';
import { PostgresIncidents } from '../../src/adapters/postgres/postgres-incidents';
import { PostgresPortalSessions } from '../../src/adapters/postgres/postgres-portal-sessions';
import { PostgresSimulatedMailPlatform } from '../../src/adapters/postgres/postgres-simulated-mail-platform';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { SqliteBulkUploads } from '../../src/adapters/sqlite/sqlite-bulk-uploads';
import { SqliteDirectory } from '../../src/adapters/sqlite/sqlite-directory';
import { SqliteIdempotencyKeys } from '../../src/adapters/sqlite/sqlite-idempotency-keys';
import { SqliteIncidents } from '../../src/adapters/sqlite/sqlite-incidents';
import { SqlitePortalSessions } from '../../src/adapters/sqlite/sqlite-portal-sessions';
import { SqliteSimulatedMailPlatform } from '../../src/adapters/sqlite/sqlite-simulated-mail-platform';
import type { BulkUploads } from '../../src/ports/bulk-uploads';
import type { Directory } from '../../src/ports/directory';
import type { IdempotencyKeys } from '../../src/ports/idempotency-keys';
import type { Incidents } from '../../src/ports/incidents';
import type { PortalSessions } from '../../src/ports/portal-sessions';
import type { SimulatedMailPlatform, SimulationSettings } from '../../src/ports/simulated-mail-platform';
import { postgresDatabase } from './postgres-fixture';

export interface TestStores {
  directory: Directory;
  incidents: Incidents;
  idempotency: IdempotencyKeys;
  platform: SimulatedMailPlatform;
  bulkUploads: BulkUploads;
  portalSessions: PortalSessions;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** The time every store records; the wall clock unless given. */
  clock?: () => Date;
  simulation?: SimulationSettings;
}

/** One implementation of the store interfaces, opened afresh (an empty database) for each test. */
export interface StoreBackend {
  name: string;
  open(test: Mocha.Context, options?: StoreOptions): Promise<TestStores>;
}

const DEFAULT_SIMULATION: SimulationSettings = {
  mailboxDelayMs: 60 * 60 * 1000,
  syncDelayMs: 60 * 60 * 1000,
};

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  async open(_test, { clock = () => new Date(), simulation = DEFAULT_SIMULATION } = {}) {
    const db = openDatabase(':memory:');
    return {
      directory: new SqliteDirectory(db, clock),
      incidents: new SqliteIncidents(db, clock),
      idempotency: new SqliteIdempotencyKeys(db, () => clock().getTime()),
      platform: new SqliteSimulatedMailPlatform(db, { ...simulation }, clock),
      bulkUploads: new SqliteBulkUploads(db),
      portalSessions: new SqlitePortalSessions(db, () => clock().getTime()),
      close: async () => void db.close(),
    };
  },
};

export const postgresBackend: StoreBackend = {
  name: 'PostgreSQL',
  async open(test, { clock = () => new Date(), simulation = DEFAULT_SIMULATION } = {}) {
    const pool = await openPostgres({ url: await postgresDatabase(test), poolSize: 10 });
    return {
      directory: new PostgresDirectory(pool, clock),
      incidents: new PostgresIncidents(pool, clock),
      idempotency: new PostgresIdempotencyKeys(pool, () => clock().getTime()),
      platform: new PostgresSimulatedMailPlatform(pool, { ...simulation }, clock),
      bulkUploads: new PostgresBulkUploads(pool),
      portalSessions: new PostgresPortalSessions(pool, () => clock().getTime()),
      close: () => pool.end(),
    };
  },
};

/** Each contract suite runs once per implementation. */
export const STORE_BACKENDS: readonly StoreBackend[] = [sqliteBackend, postgresBackend];
