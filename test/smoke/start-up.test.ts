import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';
import { startEngineProcess } from '../helpers/engine-process';
import { freePort } from '../helpers/free-port';

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('Start-up says what it is doing (npm start)', () => {
  it('operations: npm start says it builds before the build', () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    for (const name of ['start', 'api', 'worker']) {
      assert.match(scripts[name]!, /^echo '[^']*[Bb]uilding[^']*' && npm run build --silent && node /, name);
    }
  });

  it("operations: the engine says it starts Temporal, registers the search attributes, starts the worker and the API, then where the portal, the API and Temporal Web are; the dev server's own output in its log file, not among the engine's lines", async function () {
    this.timeout(240_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-up-'));
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const engine = await startEngineProcess(
      'all',
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        TEMPORAL_METRICS_ADDRESS: 'off',
        LOG_LEVEL: 'info',
      },
      180_000,
    );
    try {
      const api = `http://127.0.0.1:${port}`;
      const steps = [
        /^starting the engine: the worker and the API in one process$/,
        new RegExp(
          `^starting Temporal: a dev server on 127\\.0\\.0\\.1:${temporalPort}, its database ${escape(dataDir)}`,
        ),
        /^search attributes registered with the dev server: AccountStatus, OrganisationCode, AccountEmail, /,
        /^starting the worker on task queue nhsmail-accounts /,
        /^starting the API and the portal$/,
        new RegExp(
          `^ready: the portal at ${escape(api)}/, the API at ${escape(api)}/v1 \\(its reference at ${escape(api)}/docs\\), ` +
            `Temporal Web at http://localhost:${uiPort}$`,
        ),
      ];
      const messages = engine.messages();
      let at = -1;
      for (const step of steps) {
        const next = messages.findIndex((m, i) => i > at && step.test(m));
        assert.ok(next > at, `${step} after "${messages[at]}", in:\n${messages.join('\n')}`);
        at = next;
      }
      for (const url of [`${api}/sign-in`, `${api}/healthz`, `http://localhost:${uiPort}/`]) {
        assert.equal((await fetch(url)).status, 200, url);
      }
      await engine.stop();
      const notJson = engine
        .output()
        .split('\n')
        .filter((line) => line.trim() && !isJson(line));
      assert.deepEqual(notJson, [], 'every line the engine wrote, to a pipe, is a JSON log line');
      const serverLog = fs.readFileSync(path.join(dataDir, 'temporal-server.log'), 'utf8');
      assert.match(serverLog, /Server: +localhost:\d+/, "the dev server's banner went to its own log");
    } finally {
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
