import type { BulkUploads } from '../ports/bulk-uploads';
import type { Directory } from '../ports/directory';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import type { Incidents } from '../ports/incidents';
import type { PortalSessions } from '../ports/portal-sessions';
import type { SimulatedMailPlatform, SimulationSettings } from '../ports/simulated-mail-platform';
import { SqlBulkUploads } from './sql/bulk-uploads';
import { SqlDirectory } from './sql/directory';
import { SqlIdempotencyKeys } from './sql/idempotency-keys';
import { SqlIncidents } from './sql/incidents';
import { SqlPortalSessions } from './sql/portal-sessions';
import { openPostgres } from './sql/postgres';
import { SqlSimulatedMailPlatform } from './sql/simulated-mail-platform';
import { openSqlite } from './sql/sqlite';

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
 * activities' server time); reservations, idempotency keys and sessions use the wall clock.
 */
export async function openStores(
  location: StoresLocation,
  simulation: SimulationSettings,
  clock: () => Date,
): Promise<Stores> {
  const database = await (location.kind === 'postgres'
    ? openPostgres({ url: location.url, poolSize: location.poolSize })
    : openSqlite(location.file));
  return {
    platform: new SqlSimulatedMailPlatform(database, simulation, clock),
    directory: new SqlDirectory(database),
    incidents: new SqlIncidents(database, clock),
    idempotency: new SqlIdempotencyKeys(database),
    bulkUploads: new SqlBulkUploads(database),
    portalSessions: new SqlPortalSessions(database),
    close: () => database.close(),
  };
}
