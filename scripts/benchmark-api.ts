import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startEngine } from '../src/engine';
import { createLogger } from '../src/logger';
import { freePort } from '../test/helpers/free-port';

/**
 * `npm run bench`: latency of POST /v1/accounts and GET /v1/accounts/{id} against the embedded dev
 * server, through real HTTP, with the memory the process holds. Figures are printed, not asserted.
 * BENCH_ACCOUNTS (default 200) sets how many accounts are created.
 */
const TOKEN = 'dev-national-admin-0004';
const COUNT = Number(process.env.BENCH_ACCOUNTS ?? 200);

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const engine = await startEngine(
    {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      // One principal makes every request: measure latency, not the per-principal limit.
      RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000',
    },
    createLogger('silent'),
  );
  try {
    const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    const create = (i: number) =>
      fetch(`${engine.apiUrl}/v1/accounts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: 'Dr',
          firstName: 'Bench',
          lastName: `Mark${i}`,
          mobile: `07400${String(300000 + i).padStart(6, '0')}`,
          emailAlias: 'nhs.net',
          organisation: 'RJ1',
          clinicalRoles: ['R8000'],
        }),
      });
    for (let i = 0; i < 5; i++) await (await create(-1 - i)).arrayBuffer(); // warm up

    const ids: string[] = [];
    const createTimes = await timed(COUNT, async (i) => {
      const res = await create(i);
      const body = (await res.json()) as { id: string };
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(body)}`);
      ids.push(body.id);
    });
    const getTimes = await timed(COUNT, async (i) => {
      const res = await fetch(`${engine.apiUrl}/v1/accounts/${ids[i]}`, { headers });
      if (res.status !== 200) throw new Error(`get answered ${res.status}`);
      await res.arrayBuffer();
    });
    const memory = process.memoryUsage();
    console.log(
      `accounts: ${COUNT}, sequential requests over HTTP, embedded dev server, ${os.cpus().length} cores`,
    );
    report('POST /v1/accounts', createTimes);
    report('GET /v1/accounts/{id}', getTimes);
    console.log(
      `memory (API + worker process): rss ${mb(memory.rss)} MB, heap used ${mb(memory.heapUsed)} MB, ` +
        `external ${mb(memory.external)} MB`,
    );
  } finally {
    await engine.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timed(n: number, run: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

function report(name: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `${name.padEnd(24)} median ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${sorted[0]!.toFixed(1)} ms, ` +
      `max ${sorted[sorted.length - 1]!.toFixed(1)} ms, ${((times.length / total) * 1000).toFixed(0)} req/s`,
  );
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
