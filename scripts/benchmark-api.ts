import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadKeyRing } from '../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../src/crypto/payload-codec';
import { toLetters } from './bench/bench-engine';
import { rawCreate, takePassword } from './bench/raw-create-workflow';
import { startEngineProcess } from './engine-process';

/**
 * `npm run bench`: creates through the API (POST /v1/accounts over HTTP) against the raw Temporal client
 * doing the same shape of work on the same embedded dev server (Update-with-Start: a workflow started
 * with an Update that waits for one activity, then waiting on a timer as a lifecycle does, on a worker with
 * the same settings), 8 callers at once, the two sides interleaved in rounds. Prints latency and throughput
 * of each side and the ratios; then GET /v1/accounts/{id} latency and the engine's memory. Figures are
 * printed, not asserted. Throughput is sustained (while all 8 callers are busy) and overall (each round's
 * drain included).
 *
 * The engine runs as it is deployed, `npm start` in a process of its own (its API and worker in one
 * process); the raw side's client and worker share a process too, this one. The API's callers are
 * in this process, outside the engine, as an administrator's browser or script is: their HTTP client does
 * not run on the engine's event loop (in the raw side, the client is the thing measured).
 * BENCH_ROUNDS (default 20) rounds of BENCH_PER_ROUND (default 40) creates per side: on a 2-core machine the
 * ratios of 10-round runs moved by about 0.05 from one run to the next.
 */
const TOKEN = 'dev-national-admin-0004';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 40);
const CALLERS = 8;
const RAW_QUEUE = 'bench-raw';

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const engine = await startEngineProcess('bench-', {
    LOG_LEVEL: 'silent',
    // One principal makes every request: measure the engine, not the per-principal limit.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
  });
  // The engine's key ring, so that the raw side shares its payload codec.
  const dataConverter = { payloadCodecs: [new AesGcmPayloadCodec(loadKeyRing(process.env, engine.dataDir))] };
  const address = engine.temporalAddress;
  const rawConnection = await NativeConnection.connect({ address });
  const rawWorker = await Worker.create({
    connection: rawConnection,
    taskQueue: RAW_QUEUE,
    workflowsPath: require.resolve('./bench/raw-create-workflow'),
    activities: { setPassword: async () => crypto.randomBytes(12).toString('base64url') },
    dataConverter,
  });
  const rawRunning = rawWorker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter });
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
  const ids: string[] = [];
  let n = 0;

  const sides = {
    api: async () => {
      const i = n++;
      const res = await request(`${engine.apiUrl}/v1/accounts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: 'Dr',
          firstName: 'Bench',
          lastName: `Mark${toLetters(i)}`,
          mobile: `07400${String(300000 + i).padStart(6, '0')}`,
          emailAlias: 'nhs.net',
          organisation: 'RJ1',
          clinicalRoles: ['R8000'],
        }),
      });
      const body = JSON.parse(res.body) as { id: string; temporaryPassword: string | null };
      if (res.status !== 201 || !body.temporaryPassword)
        throw new Error(`create answered ${res.status}: ${JSON.stringify(body)}`);
      ids.push(body.id);
    },
    raw: async () => {
      const i = n++;
      const password = await client.workflow.executeUpdateWithStart(takePassword, {
        startWorkflowOperation: new WithStartWorkflowOperation(rawCreate, {
          workflowId: `bench-raw-${i}-${crypto.randomUUID()}`,
          taskQueue: RAW_QUEUE,
          workflowIdConflictPolicy: 'FAIL',
          args: [String(i)],
        }),
      });
      if (!password) throw new Error('no password');
    },
  };

  try {
    for (let i = 0; i < 2; i++) await Promise.all([sides.api(), sides.raw()]); // warm up
    const times = { api: [] as number[], raw: [] as number[] };
    const wall = { api: 0, raw: 0 };
    // While every caller is busy: from a round's start to its last create's start (the drain after it is not).
    const busy = { api: { creates: 0, ms: 0 }, raw: { creates: 0, ms: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['api', 'raw'] as const) : (['raw', 'api'] as const);
      for (const side of order) {
        const started = performance.now();
        let lastStart = started;
        const ends: number[] = [];
        await concurrently(PER_ROUND, CALLERS, async (k) => {
          const t = performance.now();
          if (k === PER_ROUND - 1) lastStart = t;
          await sides[side]();
          ends.push(performance.now());
          times[side].push(performance.now() - t);
        });
        wall[side] += performance.now() - started;
        busy[side].creates += ends.filter((end) => end <= lastStart).length;
        busy[side].ms += lastStart - started;
      }
    }
    const getTimes: number[] = [];
    await concurrently(Math.min(ids.length, 200), 1, async (k) => {
      const t = performance.now();
      const res = await request(`${engine.apiUrl}/v1/accounts/${ids[k]}`, { method: 'GET', headers });
      if (res.status !== 200) throw new Error(`get answered ${res.status}`);
      getTimes.push(performance.now() - t);
    });
    const memory = await engineMemory(engine.apiUrl);
    const rate = (side: 'api' | 'raw') => (times[side].length / wall[side]) * 1000;
    const sustained = (side: 'api' | 'raw') => (busy[side].creates / busy[side].ms) * 1000;
    console.log(
      `creates: ${ROUNDS} rounds of ${PER_ROUND} per side, ${CALLERS} callers at once, sides interleaved; ` +
        `embedded dev server, ${os.cpus().length} cores`,
    );
    report('API  POST /v1/accounts', times.api, sustained('api'), rate('api'));
    report('raw  Update-with-Start', times.raw, sustained('raw'), rate('raw'));
    console.log(
      `ratio API / raw: median latency ${(median(times.api) / median(times.raw)).toFixed(2)}x (goal at most 1.1x), ` +
        `sustained throughput ${(sustained('api') / sustained('raw')).toFixed(2)}x (goal at least 0.9x); ` +
        `overall ${(rate('api') / rate('raw')).toFixed(2)}x`,
    );
    report('API  GET /v1/accounts/{id}', getTimes);
    console.log(
      `memory (the engine's process, API and worker): rss ${mb(memory.rss)} MB, ` +
        `heap used ${mb(memory.heapUsed)} MB, external ${mb(memory.external)} MB`,
    );
  } finally {
    rawWorker.shutdown();
    await rawRunning.catch(() => undefined);
    await connection.close();
    await rawConnection.close();
    await engine.stop();
  }
}

/**
 * One HTTP request on a kept-alive connection, the answer's body as text: node:http, lighter than fetch,
 * as the callers share the machine's cores with the engine (a load generator should take little of them).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS });
function request(
  url: string,
  { method, headers, body }: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `total` calls of `run`, `callers` at a time. */
async function concurrently(total: number, callers: number, run: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) await run(next++);
    }),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Latencies; for creates, the rate while every caller was busy, and overall (each round's drain included). */
function report(name: string, times: number[], sustained?: number, overall?: number): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  const overASecond = times.filter((t) => t > 1000).length;
  console.log(
    `${name.padEnd(28)} median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms` +
      (sustained === undefined || overall === undefined
        ? ''
        : `, ${overASecond} over 1 s; ${sustained.toFixed(1)} creates/s sustained, ${overall.toFixed(1)} overall`),
  );
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** The engine process's memory, from its own metrics (GET /metrics, loopback). */
async function engineMemory(apiUrl: string) {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rss: gauge('process_resident_memory_bytes'),
    heapUsed: gauge('nodejs_heap_size_used_bytes'),
    external: gauge('nodejs_external_memory_bytes'),
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
