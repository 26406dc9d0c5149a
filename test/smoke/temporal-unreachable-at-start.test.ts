import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadTemporalConfig } from '../../temporal-config';
import { startDevServer } from '../../src/servers/dev-server';
import { startEngineProcess, type EngineProcess } from '../helpers/engine-process';
import { freePort } from '../helpers/free-port';
import { testKeyRing } from '../helpers/test-keys';
import { TOKENS } from '../helpers/api-harness';

const WAITING = /^started, waiting for Temporal/;

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('A worker and an API started while Temporal is unreachable (issue 26)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-unreachable-'));
  const processes: EngineProcess[] = [];
  let server: TestWorkflowEnvironment | undefined;

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('Operations: they start and say they wait (/readyz 503 with the reason; the portal and the directory served), then connect when Temporal comes, and a create completes', async function () {
    this.timeout(240_000);
    const temporalPort = await freePort();
    const [apiPort, metricsPort] = [await freePort(), await freePort()];
    const key = testKeyRing.keys.get(testKeyRing.activeKeyId)!.toString('base64');
    const shared = {
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: 'temporal-unreachable-at-start',
      ENCRYPTION_KEYS: `${testKeyRing.activeKeyId}:${key}`,
      PRINCIPALS_FILE: 'config/dev-principals.json',
      DATA_DIR: dataDir,
      SIM_MAILBOX_DELAY: '1s',
      POLICY_MAILBOX_FIRST_POLL_AFTER: '1s',
      POLICY_POLL_INTERVAL: '1s',
      LOG_LEVEL: 'info',
    };
    // Nothing listens on TEMPORAL_ADDRESS: both processes start anyway (they exited 1 before).
    const [worker, api] = await Promise.all([
      startEngineProcess(
        'worker',
        { ...shared, WORKER_METRICS_PORT: String(metricsPort), TEMPORAL_METRICS_ADDRESS: 'off' },
        120_000,
        WAITING,
      ),
      startEngineProcess(
        'api',
        { ...shared, PORT: String(apiPort), API_HOST: '127.0.0.1' },
        120_000,
        WAITING,
      ),
    ]);
    processes.push(worker, api);
    const base = `http://127.0.0.1:${apiPort}`;
    const waiting = new RegExp(`"msg":"waiting for Temporal at 127\\.0\\.0\\.1:${temporalPort}: unreachable`);
    await until('both say why they wait', 30_000, async () =>
      waiting.test(worker.output()) && waiting.test(api.output()) ? true : undefined,
    );

    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), {
      temporal: false,
      worker: 'separate',
      reason: 'waiting for Temporal: it does not answer',
    });
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/sign-in`)).status, 200);
    const admin = { Authorization: `Bearer ${TOKENS.national}` };
    const directory = await fetch(`${base}/v1/accounts?org=RJ1`, { headers: admin });
    assert.equal(directory.status, 200, await directory.clone().text());

    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    server = await startDevServer(config, () => {}, { logLevel: 'error' });

    await until('both connected', 60_000, async () =>
      /"msg":"ready: the worker's metrics/.test(worker.output()) &&
      /"msg":"ready: the portal/.test(api.output())
        ? true
        : undefined,
    );
    const readyNow = await fetch(`${base}/readyz`);
    assert.equal(readyNow.status, 200);
    assert.deepEqual(await readyNow.json(), { temporal: true, worker: 'separate' });

    const created = await fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: 'Dr',
        firstName: 'Rowan',
        lastName: 'Outage',
        emailAlias: 'nhs.net',
        organisation: 'RJ1',
        mobile: '07400 123457',
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    await until('the account Active', 60_000, async () => {
      const res = await fetch(`${base}/v1/accounts/${encodeURIComponent(id)}`, { headers: admin });
      const body = (await res.json()) as { status?: string };
      return body.status === 'Active' ? true : undefined;
    });
  });
});
