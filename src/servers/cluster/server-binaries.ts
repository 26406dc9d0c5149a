import fs from 'node:fs';
import path from 'node:path';
import { SERVER_VERSION, type ClusterConfig } from '../../../temporal-config/cluster';
import { buildIntoCache, commandWorks, isExecutableFile, runCommand, type Log } from '../tools';

const MODULE = 'go.temporal.io/server';

export interface ServerBinaries {
  /** `temporal-server`: every service, one or more per process (`start --service NAME`). */
  server: string;
  /** `temporal-sql-tool`: creates the databases and their schemas. */
  sqlTool: string;
  source: 'environment' | 'cache' | 'built';
}

export const SERVER_HELP =
  `npm run cluster builds the Temporal server ${SERVER_VERSION} and its SQL tool from the Go module proxy: ` +
  'install Go 1.25 or later, or set TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH to built binaries.';

/**
 * Finds the Temporal server and its SQL tool: TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH; else the
 * project's cache (`temporal-server-<version>/`); else builds both there with `go install` (once, a few
 * minutes). Temporal's code and the binaries stay in Go's and the project's caches, never in the project.
 */
export async function resolveServerBinaries(config: ClusterConfig, log: Log): Promise<ServerBinaries> {
  if (config.serverPath || config.sqlToolPath) {
    for (const [variable, file] of [
      ['TEMPORAL_SERVER_PATH', config.serverPath],
      ['TEMPORAL_SQL_TOOL_PATH', config.sqlToolPath],
    ] as const) {
      if (!file || !isExecutableFile(file)) throw new Error(`${variable} must name an executable file`);
    }
    return { server: config.serverPath!, sqlTool: config.sqlToolPath!, source: 'environment' };
  }
  const entry = serverCacheEntry(config.temporal.tools.cacheDir);
  const binaries = {
    server: path.join(entry, 'temporal-server'),
    sqlTool: path.join(entry, 'temporal-sql-tool'),
  };
  if (isExecutableFile(binaries.server) && isExecutableFile(binaries.sqlTool))
    return { ...binaries, source: 'cache' };
  if (!commandWorks('go', ['version'])) throw new Error(SERVER_HELP);
  log(
    `Building the Temporal server ${SERVER_VERSION} and temporal-sql-tool with go install into ${entry} (once)`,
  );
  const started = Date.now();
  await buildIntoCache(entry, async (folder) => {
    await runCommand(
      'go',
      ['install', `${MODULE}/cmd/server@v${SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@v${SERVER_VERSION}`],
      { cwd: folder, env: { ...process.env, GOBIN: folder, GOFLAGS: '-buildvcs=false' } },
    );
    fs.renameSync(path.join(folder, 'server'), path.join(folder, 'temporal-server'));
    fs.renameSync(path.join(folder, 'sql'), path.join(folder, 'temporal-sql-tool'));
  });
  log(`The Temporal server is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...binaries, source: 'built' };
}

export function serverCacheEntry(cacheDir: string): string {
  return path.join(cacheDir, `temporal-server-${SERVER_VERSION}`);
}
