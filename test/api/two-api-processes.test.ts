import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadTemporalConfig } from '../../temporal-config';
import { openStores, type Stores } from '../../src/adapters/stores';
import { startDevServer } from '../../src/servers/dev-server';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { TOKENS, newPerson } from '../helpers/api-harness';
import { startEngineProcess, type EngineProcess } from '../helpers/engine-process';
import { freePort } from '../helpers/free-port';
import { postgresDatabase } from '../helpers/postgres-fixture';
import { testKeyRing } from '../helpers/test-keys';

const HOUR = 60 * 60 * 1000;

/** The value of one series in Prometheus text, 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
const JOHN_SMITHS = 50;
const SAME_PERSON_REQUESTS = 10;

/**
 * Multi-host on one machine: two `npm run api` processes and an `npm run worker` process, on one
 * PostgreSQL database and one Temporal dev server, each API answering half of the same creates at once.
 */
describe('Two API processes on one PostgreSQL and one Temporal', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  let stores: Stores | undefined;
  const processes: EngineProcess[] = [];

  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-apis-'))));
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await stores?.close();
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('R11, R12: the same person created through both at once is one account; 50 John Smiths get john.smith to john.smith49', async function () {
    this.timeout(120_000);
    const databaseUrl = await postgresDatabase(this);
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    const taskQueue = 'two-api-processes';
    [server, stores] = await Promise.all([
      startDevServer(config, () => {}, { logLevel: 'error' }),
      openStores(
        { kind: 'postgres', url: databaseUrl, poolSize: 2 },
        { mailboxDelayMs: HOUR, syncDelayMs: HOUR },
        () => new Date(),
        testKeyRing,
      ),
    ]);
    const client = server.client;
    const key = testKeyRing.keys.get(testKeyRing.activeKeyId)!.toString('base64');
    const shared = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEYS: `${testKeyRing.activeKeyId}:${key}`,
      PRINCIPALS_FILE: 'config/dev-principals.json',
      DATA_DIR: dataDir,
      SIM_MAILBOX_DELAY: '1h',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'info',
    };
    const [workerMetricsPort, temporalMetricsPort, apiPort1, apiPort2] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    processes.push(
      ...(await Promise.all([
        startEngineProcess('worker', {
          ...shared,
          WORKER_METRICS_PORT: String(workerMetricsPort),
          TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${temporalMetricsPort}`,
        }),
        ...[apiPort1, apiPort2].map((port) =>
          startEngineProcess('api', { ...shared, PORT: String(port), API_HOST: '127.0.0.1' }),
        ),
      ])),
    );
    const [worker, ...apis] = processes;

    const create = async (api: number, body: object) => {
      const started = performance.now();
      const res = await fetch(`${apis[api]!.apiUrl}/v1/accounts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKENS.national}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        api,
        status: res.status,
        body: (await res.json()) as Record<string, unknown>,
        ms: performance.now() - started,
      };
    };

    const person = newPerson({ confirmNotDuplicate: true });
    const smiths = Array.from({ length: JOHN_SMITHS }, () => ({
      ...newPerson({ confirmNotDuplicate: true }),
      firstName: 'John',
      lastName: 'Smith',
    }));
    const started = performance.now();
    const [samePerson, johnSmiths] = await Promise.all([
      Promise.all(Array.from({ length: SAME_PERSON_REQUESTS }, (_, i) => create(i % 2, person))),
      Promise.all(smiths.map((body, i) => create(i % 2, body))),
    ]);
    const elapsed = performance.now() - started;
    const created = [...samePerson, ...johnSmiths].filter((r) => r.status === 201);
    try {
      const winners = samePerson.filter((r) => r.status === 201);
      assert.equal(winners.length, 1, JSON.stringify(samePerson.map((r) => [r.status, r.body.title])));
      for (const loser of samePerson.filter((r) => r.status !== 201)) {
        assert.equal(loser.status, 409);
        assert.equal(loser.body.title, 'Duplicate account');
        assert.equal((loser.body.existing as { id: string }).id, winners[0]!.body.id);
      }
      assert.deepEqual(
        johnSmiths.map((r) => r.status),
        Array(JOHN_SMITHS).fill(201),
        JSON.stringify(johnSmiths.filter((r) => r.status !== 201).map((r) => r.body)),
      );
      assert.deepEqual(
        johnSmiths.map((r) => r.body.email as string).sort(),
        Array.from({ length: JOHN_SMITHS }, (_, n) => `john.smith${n || ''}@nhs.net`).sort(),
      );
      assert.ok(
        johnSmiths.every((r) => typeof r.body.temporaryPassword === 'string'),
        'each shown its password: the worker process ran each lifecycle',
      );
      const search = await stores.directory.search({ q: 'john smith', limit: 100 });
      assert.equal(search.entries.length, JOHN_SMITHS, 'each in the shared directory once');

      const scrape = async (url: string) => (await fetch(url)).text();
      const [api1, api2] = await Promise.all(apis.map((api) => scrape(`${api.apiUrl}/metrics`)));
      const creates = (outcome: string) =>
        [api1!, api2!]
          .map((text) => valueOf(text, `nhsmail_account_creates_total{outcome="${outcome}"}`))
          .reduce((a, b) => a + b);
      assert.deepEqual(
        [creates('created'), creates('duplicate')],
        [JOHN_SMITHS + 1, SAME_PERSON_REQUESTS - 1],
      );
      assert.match(
        await scrape(worker!.metricsUrl!),
        /^process_cpu_user_seconds_total /m,
        "the worker's own",
      );
      assert.match(
        await scrape(worker!.temporalMetricsUrl!),
        new RegExp(`^temporal_activity_execution_latency_bucket\\{.*task_queue="${taskQueue}"`, 'm'),
        "the worker's Temporal SDK metrics",
      );

      const latencies = johnSmiths.map((r) => r.ms).sort((a, b) => a - b);
      console.log(
        `      two API processes and a worker, ${SAME_PERSON_REQUESTS + JOHN_SMITHS} creates at once in ` +
          `${(elapsed / 1000).toFixed(1)} s: the same person ${SAME_PERSON_REQUESTS} times (5 to each API): ` +
          `${winners.length} created, ${samePerson.length - winners.length} duplicates; ${JOHN_SMITHS} John Smiths ` +
          `(25 to each API): ${new Set(johnSmiths.map((r) => r.body.email)).size} distinct addresses, ` +
          `john.smith to john.smith${JOHN_SMITHS - 1}; create p50 ${latencies[JOHN_SMITHS / 2]!.toFixed(0)} ms, ` +
          `max ${latencies.at(-1)!.toFixed(0)} ms`,
      );
    } finally {
      await Promise.all(
        created.map((r) =>
          client.workflow
            .getHandle(accountWorkflowId(r.body.id as string))
            .terminate('test finished')
            .catch(() => undefined),
        ),
      );
    }
  });
});
