import { runCommand, type Log } from '../tools';
import { DATABASES, type ServerDatabase } from './server-config';

/**
 * Creates the `temporal` and `temporal_visibility` databases unless they exist, and brings each schema to
 * the server release's, with the release's own `temporal-sql-tool` and the schemas built into it
 * (`setup-schema -v 0.0` once, then `update-schema`, which applies only the versions missing). The
 * password reaches the tool in its environment (SQL_PASSWORD), never on a command line `ps` shows.
 */
export async function setUpSchemas(sqlTool: string, database: ServerDatabase, log: Log): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: database.host,
    SQL_PORT: String(database.port),
    SQL_USER: database.user,
    SQL_PASSWORD: database.password,
  };
  for (const [db, schemaName] of [
    [DATABASES.default, 'postgresql/v12/temporal'],
    [DATABASES.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const tool = (...args: string[]) =>
      runCommand(sqlTool, ['--plugin', 'postgres12', '--db', db, ...args], { env });
    await tool('create-database').catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
    await tool('setup-schema', '-v', '0.0').catch((err: Error) => {
      if (!/already exists/i.test(err.message)) throw err;
    });
    await tool('update-schema', '--schema-name', schemaName);
    log(`database ${db}: schema ${schemaName} up to date`);
  }
}
