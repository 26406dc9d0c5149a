import { openDatabase } from './sqlite/database';
import { SimulatedMailPlatform, type SimulationSettings } from './sqlite/simulated-mail-platform';
import { SqliteDirectory } from './sqlite/sqlite-directory';
import { SqliteIncidents } from './sqlite/sqlite-incidents';

/** The embedded defaults: a simulated mail platform, the directory and incidents, in one SQLite file. */
export function embeddedAdapters(file: string, simulation: SimulationSettings, clock: () => Date) {
  const db = openDatabase(file);
  return {
    db,
    platform: new SimulatedMailPlatform(db, simulation, clock),
    directory: new SqliteDirectory(db),
    incidents: new SqliteIncidents(db, clock),
  };
}
