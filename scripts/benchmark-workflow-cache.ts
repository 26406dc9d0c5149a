import os from 'node:os';
import { freePort } from '../test/helpers/free-port';
import { toLetters } from './bench/bench-engine';
import { engineMemory, mb } from './bench/engine-memory';
import { concurrently, httpClient } from './bench/http-client';
import { startEngineProcess, type EngineProcess } from './engine-process';

/**
 * `npm run bench:cache`: what a cached lifecycle costs the engine's memory. The engine (`npm start`, a process
 * of its own) creates accounts through the API by 8 callers, BENCH_CACHE_STEP (250) at a time up to
 * BENCH_CACHE_ACCOUNTS (2,000); after each step, once it is quiet, it reads the engine's resident memory and
 * the SDK's count of cached runs. Twice: with a cache larger than the accounts, so that every lifecycle stays
 * cached (the memory per cached lifecycle is the slope of the one against the other), and with the default
 * WORKER_CACHED_WORKFLOWS (or BENCH_CACHE_SMALL), where the memory levels off once the cache is full.
 */
const TOKEN = 'dev-national-admin-0004';
const ACCOUNTS = Number(process.env.BENCH_CACHE_ACCOUNTS ?? 2000);
const STEP = Number(process.env.BENCH_CACHE_STEP ?? 250);
const SMALL = process.env.BENCH_CACHE_SMALL;
const CALLERS = 8;
/** The pause after a step before the memory is read: the last tasks done, the heap collected. */
const QUIET_MS = 5000;

interface Point {
  accounts: number;
  cached: number;
  rss: number;
  heapUsed: number;
}

async function measure(cache: string | undefined, label: string): Promise<Point[]> {
  const sdkMetrics = `127.0.0.1:${await freePort()}`;
  const engine: EngineProcess = await startEngineProcess('bench-cache-', {
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    TEMPORAL_METRICS_ADDRESS: sdkMetrics,
    ...(cache === undefined ? {} : { WORKER_CACHED_WORKFLOWS: cache }),
  });
  const request = httpClient(CALLERS);
  const cachedRuns = async () => {
    const text = await (await fetch(`http://${sdkMetrics}/metrics`)).text();
    return Number(/^temporal_sticky_cache_size(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1] ?? 0);
  };
  const points: Point[] = [];
  try {
    let created = 0;
    const read = async () => {
      await new Promise((r) => setTimeout(r, QUIET_MS));
      const { rss, heapUsed } = await engineMemory(engine.apiUrl);
      const point = { accounts: created, cached: await cachedRuns(), rss, heapUsed };
      points.push(point);
      console.log(
        `${label}: ${String(point.accounts).padStart(5)} accounts, ${String(point.cached).padStart(5)} runs cached, ` +
          `rss ${mb(point.rss)} MB, heap used ${mb(point.heapUsed)} MB`,
      );
    };
    await read();
    while (created < ACCOUNTS) {
      const from = created;
      await concurrently(STEP, CALLERS, async (i) => {
        const n = from + i;
        const res = await request(`${engine.apiUrl}/v1/accounts`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            title: 'Dr',
            firstName: 'Cache',
            lastName: `Bench${toLetters(n)}`,
            mobile: `07400${String(700000 + n).padStart(6, '0')}`,
            emailAlias: 'nhs.net',
            organisation: 'RJ1',
          }),
        });
        if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.body}`);
      });
      created += STEP;
      await read();
    }
    return points;
  } finally {
    await engine.stop();
  }
}

/** The least-squares slope of y against x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

async function main() {
  console.log(
    `${ACCOUNTS} accounts created through the API by ${CALLERS} callers, ${STEP} at a time; ${os.cpus().length} cores, ` +
      `load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  // The first step warms the engine up (its code, the databases' first pages): the slopes start after it.
  const all = (await measure(String(ACCOUNTS + 1000), 'every run cached')).slice(1);
  const small = (await measure(SMALL, `cache ${SMALL ?? 'default'}`)).slice(1);
  const perRun = slope(all.map((p) => ({ x: p.cached, y: p.rss })));
  console.log(
    `\nper cached lifecycle: ${(perRun / 1024).toFixed(0)} KB of resident memory (the slope over ${all.length} ` +
      `readings from ${all[0]!.cached} to ${all[all.length - 1]!.cached} runs cached)`,
  );
  const most = Math.max(...small.map((p) => p.cached));
  const full = small.filter((p) => p.cached >= most - 1);
  if (full.length >= 2) {
    const perAccount = slope(full.map((p) => ({ x: p.accounts, y: p.rss })));
    console.log(
      `with the cache full (${most} runs): ${mb(full[0]!.rss)} MB at ${full[0]!.accounts} accounts, ` +
        `${mb(full[full.length - 1]!.rss)} MB at ${full[full.length - 1]!.accounts} ` +
        `(${(perAccount / 1024).toFixed(1)} KB per account beyond the cache)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
