import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { BULK_COLUMNS } from '../src/bulk/bulk-file';
import { bulkUploadWorkflowId } from '../src/workflows/workflow-id';
import { toLetters } from './bench/bench-engine';
import { mb, sampleMemory } from './bench/engine-memory';
import { concurrently, httpClient } from './bench/http-client';
import { processCpu } from './bench/process-cpu';
import { startEngineProcess } from './engine-process';

/**
 * `npm run bench:bulk`: the same number of people (BENCH_ROWS, default 1,000) created on one engine as a bulk
 * upload and as single creates through the API by 8 callers, interleaved: each of BENCH_ROUNDS rounds (default 1)
 * creates half its single creates, then uploads its file, then creates the other half, so that both sides see
 * the engine as it grows (directory, cache, databases) alike. Prints lines per second and creates per second,
 * their ratio, the engine's memory at the start, its peak and at the end, the upload's history events, and how
 * fast the progress answer and the results file are. Figures are printed, not asserted.
 *
 * The engine runs as deployed, `npm start` in a process of its own (API and worker in one process), with the
 * environment's settings (BULK_LINES_AT_ONCE, WORKER_CACHED_WORKFLOWS, ...); the callers are in this process,
 * outside it, as an administrator's browser or script is.
 */
const TOKEN = 'dev-national-admin-0004';
const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CALLERS = 8;
/** How often the upload's progress is asked for, as the portal's page does while it runs. */
const PROGRESS_EVERY_MS = 1000;
/** How long the engine's CPU is measured idle before the run. */
const IDLE_MS = 10_000;
/** The pause after the last create before the engine's memory is read as it ends. */
const SETTLE_MS = 15_000;

interface Person {
  firstName: string;
  lastName: string;
  mobile: string;
}

/** Names without digits (digits are the address's tie-breaker, R11), one mobile each; a range per side. */
const person = (side: 'Single' | 'Bulk' | 'Warm', i: number): Person => ({
  firstName: side,
  lastName: `Bench${toLetters(i)}`,
  mobile: `07400 ${{ Single: 1, Bulk: 5, Warm: 9 }[side]}${String(i).padStart(5, '0')}`,
});

function fileOf(people: Person[], idOf: (i: number) => string): string {
  const lines = [BULK_COLUMNS.join(',')];
  for (const [i, p] of people.entries()) {
    const row: Record<string, string> = {
      Title: 'Dr',
      FirstName: p.firstName,
      LastName: p.lastName,
      Mobile: p.mobile,
      EmailAlias: 'nhs.net',
      Organisation: 'RJ1',
      ClinicalRoles: 'R8000',
      ExternalSyncID: idOf(i),
    };
    lines.push(BULK_COLUMNS.map((c) => row[c] ?? '').join(','));
  }
  return lines.join('\n');
}

async function main() {
  if (!Number.isInteger(ROWS) || ROWS < 2 || ROWS > 10_000 || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
    throw new Error(
      'BENCH_ROWS must be 2 to 10000 (R31: a file has at most 10,000 rows), BENCH_ROUNDS 1 or more',
    );
  }
  const engine = await startEngineProcess('bench-bulk-', {
    LOG_LEVEL: 'silent',
    // One principal makes every request: measure the engine, not the per-principal limit.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
  });
  const request = httpClient(CALLERS + 2);
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const res = await request(`${engine.apiUrl}${path}`, { method, headers: { ...auth, ...headers }, body });
    return {
      status: res.status,
      text: res.body,
      json: () => JSON.parse(res.body) as Record<string, unknown>,
    };
  };

  const single = async (p: Person) => {
    const res = await call(
      'POST',
      '/v1/accounts',
      { 'Content-Type': 'application/json' },
      JSON.stringify({
        title: 'Dr',
        ...p,
        emailAlias: 'nhs.net',
        organisation: 'RJ1',
        clinicalRoles: ['R8000'],
      }),
    );
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
    // Created, but its lifecycle did not hand over the password within the API's 30 s (an overloaded machine).
    if (!res.json().temporaryPassword) withoutPassword++;
  };
  let withoutPassword = 0;
  const progressTimes: number[] = [];
  const bulk = async (people: Person[], round: string) => {
    const started = Date.now();
    const posted = await call(
      'POST',
      '/v1/bulk-uploads?organisation=RJ1&mode=create',
      { 'Content-Type': 'text/csv' },
      fileOf(people, (i) => `BENCH-${round}-${i}`),
    );
    if (posted.status !== 202) throw new Error(`upload answered ${posted.status}: ${posted.text}`);
    const id = posted.json().id as string;
    for (;;) {
      await new Promise((r) => setTimeout(r, PROGRESS_EVERY_MS));
      const t = performance.now();
      const res = await call('GET', `/v1/bulk-uploads/${id}`);
      progressTimes.push(performance.now() - t);
      const progress = res.json() as { status: string; created: number; failed: number; finishedAt: string };
      if (progress.status === 'Running') continue;
      if (progress.created !== people.length) throw new Error(`upload ${id}: ${JSON.stringify(progress)}`);
      return { id, ms: Date.parse(progress.finishedAt) - started };
    }
  };

  const connection = await Connection.connect({ address: engine.temporalAddress });
  try {
    // Warm up both paths (the first workflow tasks, the worker's code, the databases' first pages).
    await concurrently(16, CALLERS, (i) => single(person('Warm', i)));
    await bulk(
      Array.from({ length: 16 }, (_, i) => person('Warm', 100 + i)),
      'warm',
    );

    // What the engine and its Temporal server use idle (timers, visibility, polls), taken off each side's CPU.
    const idleFrom = processCpu(engine.pid);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleTo = processCpu(engine.pid);
    const idle = {
      engine: idleFrom && idleTo ? (idleTo.own - idleFrom.own) / IDLE_MS : 0,
      temporal: idleFrom && idleTo ? (idleTo.children - idleFrom.children) / IDLE_MS : 0,
    };
    const loadAtStart = os.loadavg();
    const memory = sampleMemory(engine.apiUrl);
    const perRound = Math.floor(ROWS / ROUNDS);
    const took = { single: 0, bulk: 0 };
    const done = { single: 0, bulk: 0 };
    // CPU seconds of the engine's process and of its Temporal dev server, per side.
    const cpu = { single: { engine: 0, temporal: 0 }, bulk: { engine: 0, temporal: 0 } };
    const measured = async <T>(side: 'single' | 'bulk', run: () => Promise<T>): Promise<T> => {
      const before = processCpu(engine.pid);
      const value = await run();
      const after = processCpu(engine.pid);
      if (before && after) {
        cpu[side].engine += after.own - before.own;
        cpu[side].temporal += after.children - before.children;
      }
      return value;
    };
    let uploadId = '';
    for (let round = 0; round < ROUNDS; round++) {
      const lines = round === ROUNDS - 1 ? ROWS - perRound * (ROUNDS - 1) : perRound;
      const first = done.single;
      const halves = [Math.floor(lines / 2), lines - Math.floor(lines / 2)];
      for (const [h, count] of halves.entries()) {
        const from = done.single;
        const t = performance.now();
        await measured('single', () =>
          concurrently(count, CALLERS, (i) => single(person('Single', from + i))),
        );
        took.single += performance.now() - t;
        done.single += count;
        if (h === 0) {
          const upload = await measured('bulk', () =>
            bulk(
              Array.from({ length: lines }, (_, i) => person('Bulk', done.bulk + i)),
              String(round),
            ),
          );
          // From the file's POST to the upload's end as the engine recorded it, not to the poll that saw it.
          took.bulk += upload.ms;
          done.bulk += lines;
          uploadId = upload.id;
        }
      }
      console.log(`round ${round + 1}: ${done.single - first} single creates, an upload of ${lines} lines`);
    }
    const loadAtEnd = os.loadavg();

    const results = await timed(() => call('GET', `/v1/bulk-uploads/${uploadId}/results.csv`));
    const rows = parse(results.value.text, { columns: true }) as { TemporaryPassword?: string }[];
    const withPassword = rows.filter((r) => r.TemporaryPassword).length;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const mem = await memory.stop();
    const runs = await uploadRuns(new Client({ connection }));

    const singleRate = (done.single / took.single) * 1000;
    const bulkRate = (done.bulk / took.bulk) * 1000;
    const setting = (name: string) => `${name}=${process.env[name] ?? 'default'}`;
    console.log(
      `\n${ROWS} people each side in ${ROUNDS} round(s), ${CALLERS} callers for single creates; the engine as ` +
        `npm start (${setting('BULK_LINES_AT_ONCE')}, ${setting('WORKER_CACHED_WORKFLOWS')}); ${os.cpus().length} cores, ` +
        `load average ${loadAtStart[0]!.toFixed(2)} at the start, ${loadAtEnd[0]!.toFixed(2)} at the end`,
    );
    console.log(
      `single creates (POST /v1/accounts): ${(took.single / 1000).toFixed(1)} s, ${singleRate.toFixed(1)} creates/s`,
    );
    if (withoutPassword) {
      console.log(
        `${withoutPassword} single creates answered 201 without their password (not collected within 30 s)`,
      );
    }
    console.log(
      `bulk upload (POST of the file to its last line created): ${(took.bulk / 1000).toFixed(1)} s, ` +
        `${bulkRate.toFixed(1)} lines/s`,
    );
    console.log(`ratio bulk / single creates: ${(bulkRate / singleRate).toFixed(2)} (goal at least 0.8)`);
    console.log(
      `engine memory, rss / heap used (MB): start ${mb(mem.start.rss)} / ${mb(mem.start.heapUsed)}, ` +
        `peak ${mb(mem.peak.rss)} / ${mb(mem.peak.heapUsed)}, end ${mb(mem.end.rss)} / ${mb(mem.end.heapUsed)} ` +
        `(${SETTLE_MS / 1000} s after the last create)`,
    );
    const events = runs.reduce((a, b) => a + b, 0);
    console.log(
      `upload history, ${ROUNDS} upload(s): ${runs.length} runs, ${events} events (largest run ${Math.max(...runs)}; ` +
        `Temporal's limit 51,200)`,
    );
    const perCreate = (side: 'single' | 'bulk') => {
      const of = (who: 'engine' | 'temporal') =>
        (((cpu[side][who] - idle[who] * took[side]) / done[side]) * 1000).toFixed(1);
      return `engine ${of('engine')} ms, Temporal ${of('temporal')} ms`;
    };
    console.log(
      `CPU per create, less the idle rate: single create ${perCreate('single')}; bulk line ${perCreate('bulk')}`,
    );
    const sorted = [...progressTimes].sort((a, b) => a - b);
    console.log(
      `progress (GET /v1/bulk-uploads/{id}) while running: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1]!.toFixed(1)} ms; results file of the last upload: ${rows.length} lines, ` +
        `${withPassword} passwords, ${results.ms.toFixed(0)} ms`,
    );
  } finally {
    await connection.close();
    await engine.stop();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await run();
  return { value, ms: performance.now() - t };
}

/** The history length of each run of the organisation's upload workflows (the warm-up's aside). */
async function uploadRuns(client: Client): Promise<number[]> {
  await new Promise((r) => setTimeout(r, 2000)); // visibility catches up
  const runs: { startTime: Date; historyLength: number }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${bulkUploadWorkflowId('RJ1')}'` })) {
    runs.push(run);
  }
  const warmUp = runs.reduce((a, b) => (a.startTime < b.startTime ? a : b));
  return runs.filter((r) => r !== warmUp).map((r) => r.historyLength);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
