import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { freePort } from '../test/helpers/free-port';

/**
 * `npm run fuzz`: schemathesis (https://schemathesis.readthedocs.io) against the running engine. Starts the
 * embedded engine (`npm start`'s Temporal dev server, worker and API) from the sources on free ports with
 * its data in a temporary folder, runs `st run` over /openapi.json with every check, as a national
 * administrator, stops the engine and exits with schemathesis's status: any failure fails the run.
 *
 * FUZZ_MAX_EXAMPLES (default 25) bounds the cases of each operation in each phase, FUZZ_MAX_TIME (default
 * 240 s) the whole run; the settings of the checks are in schemathesis.toml. Extra arguments go to `st run`.
 */
const TOKEN = 'dev-national-admin-0004';
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? '25';
const MAX_TIME = process.env.FUZZ_MAX_TIME ?? '240';

async function main(): Promise<number> {
  const st = process.env.SCHEMATHESIS ?? 'st';
  const version = spawnSync(st, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    console.error(`schemathesis (${st}) not found: pip install schemathesis==4.32.5`);
    return 2;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  const engine = await startEngine(dataDir);
  const started = Date.now();
  try {
    console.log(`${version.stdout.trim()} against ${engine.apiUrl}`);
    const status = await run(st, [
      'run',
      `${engine.apiUrl}/openapi.json`,
      '--checks',
      'all',
      '--header',
      `Authorization: Bearer ${TOKEN}`,
      '--max-examples',
      MAX_EXAMPLES,
      '--max-time',
      MAX_TIME,
      '--workers',
      '2',
      '--seed',
      process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31)),
      '--report',
      'junit',
      '--report-dir',
      path.join(PROJECT_ROOT, 'test-results/schemathesis'),
      '--no-color',
      ...process.argv.slice(2),
    ]);
    console.log(`schemathesis finished in ${Math.round((Date.now() - started) / 1000)} s: exit ${status}`);
    return status;
  } finally {
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface RunningEngine {
  apiUrl: string;
  stop(): Promise<void>;
}

/** `npm start` from the sources, in a process of its own; resolves once it logged "ready". */
async function startEngine(dataDir: string): Promise<RunningEngine> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    API_HOST: '127.0.0.1',
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    // Nothing reads the SDK's metrics here; the default port may be taken by another run on this machine.
    TEMPORAL_METRICS_ADDRESS: 'off',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // One principal makes thousands of requests, and schemathesis's ignored_auth check sends bad tokens
    // on purpose: the limits (tested in test/api/rate-limits.test.ts) are raised out of the way.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_FAILURES: '1000000',
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(kill);
  };
  // Its warnings and errors (LOG_LEVEL warn: not a line per request) go to this one's stderr, for a reader.
  child.stdout!.pipe(process.stderr);
  child.stderr!.pipe(process.stderr);
  const apiUrl = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('the engine exited before it was ready');
    const health = await fetch(`${apiUrl}/healthz`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the engine was not ready within 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { apiUrl, stop };
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
