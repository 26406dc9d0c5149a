import type { BulkUploads } from '../ports/bulk-uploads';
import type { Directory } from '../ports/directory';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import type { PortalSessions } from '../ports/portal-sessions';
import type { Incidents } from '../ports/incidents';
import type { SimulatedMailPlatform, SimulationSettings } from '../ports/simulated-mail-platform';
import { openPostgres } from './postgres/database';
import { PostgresBulkUploads } from './postgres/postgres-bulk-uploads';
import { PostgresDirectory } from './postgres/postgres-directory';
import { PostgresIdempotencyKeys } from './postgres/postgres-idempotency-keys';
import { PostgresIncidents } from './postgres/postgres-incidents';
import { PostgresPortalSessions } from './postgres/postgres-portal-sessions';
import { PostgresSimulatedMailPlatform } from './postgres/postgres-simulated-mail-platform';
import { openDatabase } from './sqlite/database';
import { SqliteBulkUploads } from './sqlite/sqlite-bulk-uploads';
import { SqliteDirectory } from './sqlite/sqlite-directory';
import { SqliteIdempotencyKeys } from './sqlite/sqlite-idempotency-keys';
import { SqliteIncidents } from './sqlite/sqlite-incidents';
import { SqlitePortalSessions } from './sqlite/sqlite-portal-sessions';
import { SqliteSimulatedMailPlatform } from './sqlite/sqlite-simulated-mail-platform';

/** Where the shared stores live: one SQLite file (one host), or one PostgreSQL database (any number). */
export type StoresLocation =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number };

/**
 * What the API and the workers share: the simulated mail platform, the directory, incidents, idempotency
 * keys, bulk uploads and the portal's sessions.
 */
export interface Stores {
  platform: SimulatedMailPlatform;
  directory: Directory;
  incidents: Incidents;
  idempotency: IdempotencyKeys;
  bulkUploads: BulkUploads;
  portalSessions: PortalSessions;
  close(): Promise<void>;
}

/**
 * Opens the stores, their schema migrated. `clock` is the time the simulation and incidents record (the
 * activities' server time); reservations and idempotency keys use the wall clock.
 */
export async function openStores(
  location: StoresLocation,
  simulation: SimulationSettings,
  clock: () => Date,
): Promise<Stores> {
  if (location.kind === 'postgres') {
    const pool = await openPostgres({ url: location.url, poolSize: location.poolSize });
    return {
      platform: new PostgresSimulatedMailPlatform(pool, simulation, clock),
      directory: new PostgresDirectory(pool),
      incidents: new PostgresIncidents(pool, clock),
      idempotency: new PostgresIdempotencyKeys(pool),
      bulkUploads: new PostgresBulkUploads(pool),
      portalSessions: new PostgresPortalSessions(pool),
      close: () => pool.end(),
    };
  }
  const db = openDatabase(location.file);
  return {
    platform: new SqliteSimulatedMailPlatform(db, simulation, clock),
    directory: new SqliteDirectory(db),
    incidents: new SqliteIncidents(db, clock),
    idempotency: new SqliteIdempotencyKeys(db),
    bulkUploads: new SqliteBulkUploads(db),
    portalSessions: new SqlitePortalSessions(db),
    close: async () => void db.close(),
  };
}
