import { IdempotencyKeys } from '../api/idempotency';
import { openDatabase } from './sqlite/database';
import { SqliteBulkUploads } from './sqlite/sqlite-bulk-uploads';
import { SimulatedMailPlatform, type SimulationSettings } from './sqlite/simulated-mail-platform';
import { SqliteDirectory } from './sqlite/sqlite-directory';
import { SqliteIncidents } from './sqlite/sqlite-incidents';

/**
 * The embedded defaults in one SQLite file: a simulated mail platform, the directory, incidents,
 * Idempotency-Key claims and bulk uploads.
 */
export function embeddedAdapters(file: string, simulation: SimulationSettings, clock: () => Date) {
  const db = openDatabase(file);
  return {
    db,
    platform: new SimulatedMailPlatform(db, simulation, clock),
    directory: new SqliteDirectory(db),
    incidents: new SqliteIncidents(db, clock),
    idempotency: new IdempotencyKeys(db),
    bulkUploads: new SqliteBulkUploads(db),
  };
}
