import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { createActivities } from '../../src/activities';
import { openStores, type Stores } from '../../src/adapters/stores';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { startDevServer } from '../../src/servers/dev-server';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { TOKENS, newPerson } from '../helpers/api-harness';
import { startEngineProcess, type EngineProcess } from '../helpers/engine-process';
import { freePort } from '../helpers/free-port';
import { workflowBundle } from '../helpers/global-setup';
import { postgresDatabase } from '../helpers/postgres-fixture';
import { testDataConverter, testKeyRing } from '../helpers/test-keys';

const HOUR = 60 * 60 * 1000;
const JOHN_SMITHS = 50;
const SAME_PERSON_REQUESTS = 10;

/**
 * Multi-host in one machine: two `npm run api` processes and a worker, on one PostgreSQL database and one
 * Temporal dev server, each API answering half of the same creates at the same moment.
 */
describe('Two API processes on one PostgreSQL and one Temporal', () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;
  let stores: Stores | undefined;
  const apis: EngineProcess[] = [];

  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-apis-'))));
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.stop()));
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
        { kind: 'postgres', url: databaseUrl, poolSize: 10 },
        { mailboxDelayMs: HOUR, syncDelayMs: HOUR },
        () => new Date(),
      ),
    ]);
    const client = server.client;
    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({
        ...stores,
        sealer: new PasswordSealer(testKeyRing),
        lifecycles: { client, taskQueue },
      }),
      dataConverter: testDataConverter,
    });
    const key = testKeyRing.keys.get(testKeyRing.activeKeyId)!.toString('base64');
    const env = (port: number) => ({
      TEMPORAL_ADDRESS: server!.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEYS: `${testKeyRing.activeKeyId}:${key}`,
      PRINCIPALS_FILE: 'config/dev-principals.json',
      PORT: String(port),
      API_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'info',
    });
    apis.push(
      ...(await Promise.all(
        [await freePort(), await freePort()].map((port) => startEngineProcess('api', env(port))),
      )),
    );

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

    await worker.runUntil(async () => {
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
          'each shown its password',
        );
        const search = await stores!.directory.search({ q: 'john smith', limit: 100 });
        assert.equal(search.entries.length, JOHN_SMITHS, 'each in the shared directory once');
        const latencies = johnSmiths.map((r) => r.ms).sort((a, b) => a - b);
        console.log(
          `      two API processes, ${SAME_PERSON_REQUESTS + JOHN_SMITHS} creates at once in ${(elapsed / 1000).toFixed(1)} s: ` +
            `same person ${winners.length} created, ${samePerson.length - winners.length} duplicates (API 1: ` +
            `${samePerson.filter((r) => r.api === 0).length}, API 2: ${samePerson.filter((r) => r.api === 1).length} requests); ` +
            `${JOHN_SMITHS} John Smiths, ${new Set(johnSmiths.map((r) => r.body.email)).size} distinct addresses ` +
            `(API 1 created ${johnSmiths.filter((r) => r.api === 0).length}, API 2 ${johnSmiths.filter((r) => r.api === 1).length}); ` +
            `create p50 ${latencies[Math.floor(JOHN_SMITHS / 2)]!.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`,
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
});
