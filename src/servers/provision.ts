import { loadTemporalConfig } from '../../temporal-config';
import { loadClusterConfig } from '../../temporal-config/cluster';
import { resolveServerBinaries } from './cluster/server-binaries';
import { resolveTemporalCli } from './dev-server';
import { resolveTestServer } from './test-server';

/**
 * `npm run provision-servers`: obtains and caches both Temporal servers ahead of time; with `--cluster`,
 * also the Temporal server and temporal-sql-tool that `npm run cluster` runs.
 */
async function main(): Promise<void> {
  const config = loadTemporalConfig();
  const log = (m: string) => console.log(m);
  for (const [name, resolve] of [
    ['time-skipping test server', resolveTestServer],
    ['dev server (Temporal CLI)', resolveTemporalCli],
  ] as const) {
    const started = Date.now();
    const { executable, source } = await resolve(config, log);
    const where = executable.type === 'existing-path' ? executable.path : 'the SDK download at first use';
    console.log(`${name}: ${where} (${source}, ${Date.now() - started} ms)`);
  }
  if (process.argv.includes('--cluster')) {
    const started = Date.now();
    const { server, sqlTool, source } = await resolveServerBinaries(loadClusterConfig(), log);
    console.log(
      `cluster (Temporal server): ${server} and ${sqlTool} (${source}, ${Date.now() - started} ms)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
