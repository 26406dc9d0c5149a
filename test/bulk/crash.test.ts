import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadTemporalConfig } from '../../temporal-config';
import { PROJECT_ROOT } from '../../src/project-root';
import { startDevServer } from '../../src/servers/dev-server';
import { runBulkCrash } from '../../scripts/chaos/bulk-run';
import { Supervised } from '../../src/servers/supervised-process';
import { waitForApi } from '../../scripts/chaos/stack';
import { freePort } from '../helpers/free-port';
import { testKeyRing } from '../helpers/test-keys';

const LINES = 30;

/** This process's environment without any engine setting, so that the children run alike everywhere. */
const inherited = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(TEMPORAL_|POLICY_|SIM_|RECONCILE_|ENCRYPTION_|CODEC_|PORT$|API_|DATA_DIR$|DATABASE_|WORKER_|BULK_|METRICS_TOKEN$)/.test(
          name,
        ),
    ),
  );

/**
 * The small version of `npm run chaos -- --bulk 2000` (.ci/run): `npm run api` and `npm run worker` as processes
 * of their own on a dev server and one SQLite file. The worker SIGKILLs itself twice at chosen writes
 * (test/bulk/crash-points.ts): once when a line's account is created and its password taken but the line not
 * recorded, once when a line is recorded but its chunk not reported; the run SIGKILLs the API once. One line at
 * a time, so that no other line's idempotency key is left held by the dead worker (that waits a minute).
 */
describe('R31: a bulk upload through crashes of the worker and the API', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  const processes: Supervised[] = [];

  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-crash-'))));
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('R31: the worker SIGKILLed twice and the API once during an upload: every line has one account and one platform account, and its password is handed over once', async function () {
    this.timeout(240_000);
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    server = await startDevServer(config, () => {}, { logLevel: 'error' });
    const apiPort = await freePort();
    const key = testKeyRing.keys.get(testKeyRing.activeKeyId)!.toString('base64');
    const env: NodeJS.ProcessEnv = {
      ...inherited(),
      TEMPORAL_ADDRESS: server.address,
      DATA_DIR: dataDir,
      PRINCIPALS_FILE: path.join(PROJECT_ROOT, 'config/dev-principals.json'),
      ENCRYPTION_KEYS: `${testKeyRing.activeKeyId}:${key}`,
      API_HOST: '127.0.0.1',
      PORT: String(apiPort),
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
      TEMPORAL_METRICS_ADDRESS: 'off',
      RECONCILE_EVERY: '5s',
      RECONCILE_AFTER: '5s',
      BULK_LINES_AT_ONCE: '1',
    };
    const log = () => undefined;
    const main = path.join(PROJECT_ROOT, 'src/main.ts');
    const worker = new Supervised(
      'worker',
      process.execPath,
      ['--require', 'tsx/cjs', '--require', path.join(__dirname, 'crash-points.ts'), main, 'worker'],
      {
        ...env,
        CRASH_STATE_FILE: path.join(dataDir, 'crash-points'),
        CRASH_AFTER_KEY_COMPLETED: '6',
        CRASH_AFTER_LINE_RECORDED: '8',
      },
      path.join(dataDir, 'worker.log'),
      log,
    );
    const api = new Supervised(
      'api',
      process.execPath,
      ['--require', 'tsx/cjs', main, 'api'],
      env,
      path.join(dataDir, 'api.log'),
      log,
    );
    processes.push(worker, api);
    worker.start();
    api.start();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForApi(apiUrl, 60_000);

    const { findings, kills } = await runBulkCrash(
      {
        apiUrl,
        temporalAddress: server.address,
        databaseFile: path.join(dataDir, 'engine.sqlite'),
        env,
        dataDir,
      },
      { worker, api },
      { lines: LINES, workerKills: 0, apiKills: 1, seed: 25, deadlineSeconds: 200 },
      log,
    );
    const output = () => fs.readFileSync(path.join(dataDir, 'worker.log'), 'utf8').slice(-3000);
    assert.equal(worker.crashes, 2, `the worker killed itself at both points:\n${output()}`);
    assert.equal(kills.length, 1, 'the API was killed during the upload');
    for (const [what, items] of Object.entries(findings.broken)) assert.deepEqual(items, [], what);
    assert.deepEqual(
      {
        accounts: findings.accounts,
        platformAccounts: findings.platformAccounts,
        passwordsHandedOver: findings.passwordsHandedOver,
      },
      { accounts: LINES, platformAccounts: LINES, passwordsHandedOver: LINES },
    );
  });
});
