import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../../src/engine';
import { createLogger } from '../../src/logger';
import { PROJECT_ROOT } from '../../src/project-root';
import { portOrFree, PortTaken } from '../../src/servers/ports';
import { freePort } from '../helpers/free-port';

/** Holds a port, as another program would, until released. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `npm start` (from the sources) with `env`: its exit code and what it wrote to stderr. */
function engineRun(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ports-'));
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/main.ts', 'all'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr });
    }),
  );
}

/** Settings for an engine on ports of its own, but `setting` on the held port. */
async function envWith(setting: string, held: number): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    [setting]: setting === 'TEMPORAL_METRICS_ADDRESS' ? `127.0.0.1:${held}` : String(held),
  };
}

const taken = (setting: string, port: number) =>
  `Port ${port} on 127.0.0.1 is taken (${setting}): stop what uses it, or set ${setting} to a free port.`;

describe('Ports: every port a setting, named when taken', () => {
  it('operations: npm start with PORT or TEMPORAL_METRICS_ADDRESS taken stops at once with one line naming the setting', async function () {
    this.timeout(90_000);
    const held = await holdPort();
    try {
      const runs = await Promise.all(
        ['PORT', 'TEMPORAL_METRICS_ADDRESS'].map(async (setting) => ({
          setting,
          ...(await engineRun(await envWith(setting, held.port))),
        })),
      );
      for (const { setting, code, stderr } of runs) {
        assert.equal(code, 1, setting);
        assert.equal(stderr.trim(), `error: ${taken(setting, held.port)}`);
      }
    } finally {
      await held.release();
    }
  });

  for (const setting of ['PORT', 'TEMPORAL_DEV_SERVER_PORT', 'TEMPORAL_UI_PORT']) {
    it(`operations: a taken ${setting} is refused by name before anything starts`, async () => {
      const held = await holdPort();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ports-'));
      try {
        const env = { ...process.env, DATA_DIR: dataDir, ...(await envWith(setting, held.port)) };
        await assert.rejects(startEngine(env, createLogger('silent')), (err: unknown) => {
          assert.ok(err instanceof PortTaken);
          assert.equal(err.message, taken(setting, held.port));
          return true;
        });
        assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing started: no database, no key');
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await held.release();
      }
    });
  }

  it('operations: a metrics port left at its default gives way to a free one when another engine holds it; one chosen is refused by name', async () => {
    const held = await holdPort();
    try {
      const wanted = { setting: 'WORKER_METRICS_PORT', host: '127.0.0.1', port: held.port };
      const given = await portOrFree(wanted, false);
      assert.notEqual(given, held.port);
      assert.ok(given > 0);
      await assert.rejects(
        portOrFree(wanted, true),
        (err: unknown) => err instanceof PortTaken && /WORKER_METRICS_PORT/.test(err.message),
      );
    } finally {
      await held.release();
    }
    assert.equal(
      await portOrFree({ setting: 'X', host: '127.0.0.1', port: held.port }, true),
      held.port,
      'a free one is kept',
    );
  });
});
