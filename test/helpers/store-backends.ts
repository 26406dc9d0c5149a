import { SqlBulkUploads } from '../../src/adapters/sql/bulk-uploads';
import type { SqlDatabase } from '../../src/adapters/sql/database';
import { SqlDirectory } from '../../src/adapters/sql/directory';
import { SqlIdempotencyKeys } from '../../src/adapters/sql/idempotency-keys';
import { SqlIncidents } from '../../src/adapters/sql/incidents';
import { SqlPortalSessions } from '../../src/adapters/sql/portal-sessions';
import { openPostgres } from '../../src/adapters/sql/postgres';
import { SqlSimulatedMailPlatform } from '../../src/adapters/sql/simulated-mail-platform';
import { openSqlite } from '../../src/adapters/sql/sqlite';
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

/** The stores, one per port, over one database. */
function storesOf(
  db: SqlDatabase,
  { clock = () => new Date(), simulation = DEFAULT_SIMULATION }: StoreOptions,
) {
  return {
    directory: new SqlDirectory(db, clock),
    incidents: new SqlIncidents(db, clock),
    idempotency: new SqlIdempotencyKeys(db, () => clock().getTime()),
    platform: new SqlSimulatedMailPlatform(db, { ...simulation }, clock),
    bulkUploads: new SqlBulkUploads(db),
    portalSessions: new SqlPortalSessions(db, () => clock().getTime()),
    close: () => db.close(),
  };
}

export const sqliteBackend: StoreBackend = {
  name: 'SQLite',
  open: async (_test, options = {}) => storesOf(await openSqlite(':memory:'), options),
};

export const postgresBackend: StoreBackend = {
  name: 'PostgreSQL',
  open: async (test, options = {}) =>
    storesOf(await openPostgres({ url: await postgresDatabase(test), poolSize: 10 }), options),
};

/** Each contract suite runs once per implementation. */
export const STORE_BACKENDS: readonly StoreBackend[] = [sqliteBackend, postgresBackend];
