import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TemporalConfig } from '../../temporal-config';
import { ownerOnlyFolder } from '../owner-only-folder';
import { outputToFile } from './output-to-file';
import { searchAttributes } from '../../temporal-config/search-attributes';
import { commandWorks, resolveExecutable, runCommand, type Log, type ResolvedExecutable } from './tools';

/** The newest Temporal CLI release that `go install` accepts (later ones carry `replace` directives). */
export const CLI_VERSION = '1.5.1';
const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

/**
 * Finds the Temporal CLI (the dev server), in this order: TEMPORAL_CLI_PATH; the project's cache;
 * a build with `go install` from the Go module proxy; otherwise the SDK's own download.
 */
export function resolveTemporalCli(config: TemporalConfig, log: Log): Promise<ResolvedExecutable> {
  return resolveExecutable(
    {
      name: `Temporal CLI ${CLI_VERSION}`,
      how: 'go install, from the Go module proxy (a few minutes)',
      variable: 'TEMPORAL_CLI_PATH',
      explicitPath: config.tools.cliPath,
      cacheEntry: path.join(config.tools.cacheDir, `temporal-cli-${CLI_VERSION}`),
      executableInEntry: 'temporal',
      canBuild: () => commandWorks('go', ['version']),
      build: (folder) =>
        runCommand(
          'go',
          [
            'install',
            `-ldflags=-X github.com/temporalio/cli/temporalcli.Version=${CLI_VERSION}`,
            `${CLI_PACKAGE}@v${CLI_VERSION}`,
          ],
          { cwd: folder, env: { ...process.env, GOBIN: folder, GOFLAGS: '-buildvcs=false' } },
        ),
      downloadDir: path.join(config.tools.cacheDir, 'sdk-download'),
    },
    log,
  );
}

export const DEV_SERVER_HELP =
  'Could not start the Temporal dev server. Install Go 1.23+ (the project builds the Temporal CLI ' +
  `${CLI_VERSION} from the Go module proxy), or set TEMPORAL_CLI_PATH to a Temporal CLI binary, or allow the ` +
  'Temporal SDK to download it from the internet, or set TEMPORAL_ADDRESS to use an existing cluster.';

export interface DevServerOptions {
  /** Where Temporal Web asks for decoded payloads. */
  codecEndpoint?: string;
  /** The server's own log level (it writes to its log file in the data folder); warn unless given. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Starts the dev server with its SQLite database under the data folder, Temporal Web on its port and
 * the project's search attributes registered. `teardown()` on the result stops it.
 */
export async function startDevServer(
  config: TemporalConfig,
  log: Log,
  options: DevServerOptions = {},
): Promise<TestWorkflowEnvironment> {
  const { executable, source } = await resolveTemporalCli(config, log);
  ownerOnlyFolder(path.dirname(config.devServer.dbFile));
  ownerOnlyDatabase(config.devServer.dbFile);
  try {
    const server = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: outputToFile(executable, config.devServer.logFile),
        dbFilename: config.devServer.dbFile,
        namespace: config.namespace,
        ip: config.devServer.ip,
        port: config.devServer.port,
        ui: true,
        uiPort: config.devServer.uiPort,
        searchAttributes,
        extraArgs: options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : [],
        log: { format: 'json', level: options.logLevel ?? 'warn' },
      },
    });
    ownerOnlyDatabase(config.devServer.dbFile);
    return server;
  } catch (err) {
    if (source === 'sdk-download')
      throw new Error(`${DEV_SERVER_HELP}\nCause: ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

/**
 * Security 11: the dev server's database and SQLite's files beside it are its owner's only (0600), as every
 * other data file is. The CLI creates them with its umask (0644): an existing database is tightened before
 * the server starts, so that SQLite gives the files it adds beside it the same mode, and a new one after.
 */
function ownerOnlyDatabase(dbFile: string): void {
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
