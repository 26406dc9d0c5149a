import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { freePort } from '../test/helpers/free-port';
import { gracefulStop } from '../test/helpers/graceful-stop';

export interface EngineProcess {
  apiUrl: string;
  /** The address of its embedded Temporal dev server. */
  temporalAddress: string;
  /** Its data folder, a temporary one: its key ring is there. */
  dataDir: string;
  pid: number;
  /** Stops it and removes its data folder. */
  stop(): Promise<void>;
}

/** The built engine, as `npm start` runs it: the scripts that start it run `npm run build` first. */
const MAIN = path.join(PROJECT_ROOT, 'dist/src/main.js');

/**
 * `npm start` in a process of its own, with its data in a temporary folder named after `folderPrefix`, on
 * free ports, its warnings and errors on this process's stderr; resolves once its /healthz answers 200.
 * `env` adds to or overrides this process's environment.
 */
export async function startEngineProcess(
  folderPrefix: string,
  env: NodeJS.ProcessEnv,
): Promise<EngineProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const devPort = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    API_HOST: '127.0.0.1',
    TEMPORAL_DEV_SERVER_PORT: String(devPort),
    TEMPORAL_UI_PORT: String(await freePort()),
    // Nothing reads the SDK's metrics here; the default port may be taken by another run on this machine.
    TEMPORAL_METRICS_ADDRESS: 'off',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...env,
  };
  delete childEnv.TEMPORAL_ADDRESS;
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [MAIN], {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopChild = gracefulStop(child, 15_000);
  const stop = async () => {
    await stopChild();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  child.stdout!.pipe(process.stderr);
  child.stderr!.pipe(process.stderr);
  const apiUrl = `http://127.0.0.1:${childEnv.PORT}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error('the engine exited before it was ready');
    }
    const health = await fetch(`${apiUrl}/healthz`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the engine was not ready within 180 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { apiUrl, temporalAddress: `127.0.0.1:${devPort}`, dataDir, pid: child.pid!, stop };
}
