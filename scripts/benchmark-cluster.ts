import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadKeyRing } from '../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../src/crypto/payload-codec';
import { killAllNow } from '../src/servers/supervised-process';
import { ApiClient } from './chaos/api-client';
import { Journeys, newCallerNotes, people, type JourneyResult } from './chaos/journey';
import { startStack, type Stack } from './chaos/stack';

/**
 * `npm run bench:cluster`: onboards BENCH_ACCOUNTS people (200) by BENCH_CALLERS callers (16) on the
 * cluster of `npm run cluster` (two workers, two APIs, PostgreSQL stores, as `npm run chaos -- --cluster`
 * without its faults) and prints what one onboarding costs there: history events, bytes, workflow tasks,
 * activities and timers; the growth of Temporal's and the engine's databases; the CPU time of each kind of
 * process. docs/capacity.md is built from these figures.
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 16);
const EventType = temporal.api.enums.v1.EventType;

interface Sample {
  at: number;
  sizes: Record<string, number>;
  cpu: Record<string, number>;
}

async function main(): Promise<void> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhsmail-bench-cluster-'));
  const log = (m: string) => console.log(m);
  let stack: Stack | undefined;
  try {
    stack = await startStack(runDir, log, { cluster: true });
    await new Promise((r) => setTimeout(r, 10_000)); // start-up's own work settles
    const before = await sample(stack);
    const api = new ApiClient(stack.apiUrls);
    const journeys = new Journeys(
      api,
      crypto.randomBytes(4).toString('hex'),
      Date.now() + 1_800_000,
      newCallerNotes(),
    );
    const persons = people(ACCOUNTS);
    const results: JourneyResult[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (next < persons.length) results.push(await journeys.run(persons[next++]!));
      }),
    );
    const after = await sample(stack);
    const ids = results.flatMap((r) => (r.id ? [r.id] : []));
    const shape = await historyShape(stack, ids);
    print(results, before, after, shape);
    await compacted(stack, results.filter((r) => r.completed).length);
  } finally {
    await stack?.stop();
    killAllNow();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function sample(stack: Stack): Promise<Sample> {
  const sizes: Record<string, number> = {};
  for (const [server, databases] of [
    [stack.cluster!.postgres!, ['temporal', 'temporal_visibility']],
    [stack.enginePostgres!, ['nhsmail']],
  ] as const) {
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    try {
      for (const db of databases) {
        const { rows } = await client.query<{ size: string }>('SELECT pg_database_size($1) AS size', [db]);
        sizes[db] = Number(rows[0]!.size);
      }
    } finally {
      await client.end();
    }
  }
  const services = stack.cluster!.services;
  const cpu: Record<string, number> = {
    'Temporal history': cpuSeconds(services.history.pid),
    'Temporal matching': cpuSeconds(services.matching.pid),
    'Temporal frontend': cpuSeconds(services.frontend.pid),
    'Temporal worker': cpuSeconds(services.worker.pid),
    "Temporal's PostgreSQL": cpuSeconds(stack.cluster!.postgres!.pid, true),
    'engine workers': stack.workers.reduce((n, w) => n + cpuSeconds(w.pid), 0),
    'engine APIs': stack.apis.reduce((n, a) => n + cpuSeconds(a.pid), 0),
    "engine's PostgreSQL": cpuSeconds(stack.enginePostgres!.pid, true),
  };
  return { at: Date.now(), sizes, cpu };
}

/** User and system CPU seconds of a process (with `tree`, its children too, live and exited). */
function cpuSeconds(pid: number | undefined, tree = false): number {
  if (!pid) return 0;
  const ticks = 100; // USER_HZ on Linux
  const read = (p: number, withExited: boolean) => {
    try {
      const fields = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime, stime, cutime, cstime are fields 14-17 of stat, 12-15 after the command name
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [
        number,
        number,
        number,
        number,
      ];
      return (utime + stime + (withExited ? cutime + cstime : 0)) / ticks;
    } catch {
      return 0;
    }
  };
  let total = read(pid, tree);
  if (tree) {
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.split(') ')[1]!.split(' ')[1]) === pid) total += read(Number(entry), false);
      } catch {
        // gone
      }
    }
  }
  return total;
}

interface Shape {
  events: number[];
  bytes: number[];
  workflowTasks: number[];
  activities: number[];
  timers: number[];
}

async function historyShape(stack: Stack, ids: string[]): Promise<Shape> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const codec = new AesGcmPayloadCodec(loadKeyRing(stack.env, stack.dataDir));
  const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
  const shape: Shape = { events: [], bytes: [], workflowTasks: [], activities: [], timers: [] };
  try {
    for (const id of ids) {
      const handle = client.workflow.getHandle(`account:${id}`);
      const info = (await handle.describe()).raw.workflowExecutionInfo!;
      const events = (await handle.fetchHistory()).events ?? [];
      const count = (type: number) => events.filter((e) => e.eventType === type).length;
      shape.events.push(Number(info.historyLength));
      shape.bytes.push(Number(info.historySizeBytes));
      shape.workflowTasks.push(count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
      shape.activities.push(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
      shape.timers.push(count(EventType.EVENT_TYPE_TIMER_STARTED));
    }
  } finally {
    await connection.close();
  }
  return shape;
}

function print(results: JourneyResult[], before: Sample, after: Sample, shape: Shape): void {
  const n = results.filter((r) => r.completed).length;
  const seconds = (after.at - before.at) / 1000;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const out = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);
  console.log(
    `\n== bench:cluster: ${n} of ${results.length} onboardings completed in ${seconds.toFixed(0)} s (${CALLERS} callers)`,
  );
  out('onboardings per minute, sustained', (n / (seconds / 60)).toFixed(1));
  console.log('\nper onboarding (create to canSendEmail), its lifecycle history:');
  out('  history events', mean(shape.events).toFixed(1));
  out('  history bytes', mean(shape.bytes).toFixed(0));
  out('  workflow tasks completed', mean(shape.workflowTasks).toFixed(1));
  out('  activities scheduled', mean(shape.activities).toFixed(1));
  out('  timers started', mean(shape.timers).toFixed(1));
  console.log('\ndatabase growth, per onboarding:');
  for (const db of Object.keys(after.sizes))
    out(
      `  ${db}`,
      `${((after.sizes[db]! - before.sizes[db]!) / n / 1024).toFixed(1)} KiB (${(after.sizes[db]! / 1048576).toFixed(1)} MiB in all)`,
    );
  console.log('\nCPU seconds, per onboarding (and in all):');
  for (const what of Object.keys(after.cpu)) {
    const used = after.cpu[what]! - before.cpu[what]!;
    out(
      `  ${what}`,
      `${((used / n) * 1000).toFixed(1)} ms (${used.toFixed(1)} s, ${((used / seconds) * 100).toFixed(0)}% of a core)`,
    );
  }
}

/**
 * What stays once PostgreSQL has reclaimed the rows the run deleted (its task queues' rows): each database
 * after VACUUM FULL, per account, and Temporal's largest tables, also per account.
 */
async function compacted(stack: Stack, accounts: number): Promise<void> {
  console.log('\nafter VACUUM FULL (what stays), per account:');
  for (const [server, databases] of [
    [stack.cluster!.postgres!, ['temporal', 'temporal_visibility']],
    [stack.enginePostgres!, ['nhsmail']],
  ] as const) {
    for (const db of databases) {
      const client = new pg.Client({ connectionString: server.url(db) });
      await client.connect();
      try {
        await client.query('VACUUM FULL');
        const { rows } = await client.query<{ size: string }>(
          'SELECT pg_database_size(current_database()) AS size',
        );
        const tables = await client.query<{ name: string; size: string }>(
          `SELECT relname AS name, pg_total_relation_size(relid) AS size FROM pg_catalog.pg_statio_user_tables
           ORDER BY pg_total_relation_size(relid) DESC LIMIT 4`,
        );
        const perAccount = (bytes: string) => `${(Number(bytes) / accounts / 1024).toFixed(1)} KiB`;
        console.log(
          `  ${db.padEnd(22)} ${perAccount(rows[0]!.size)} of the database (an empty one included); largest tables: ` +
            tables.rows.map((t) => `${t.name} ${perAccount(t.size)}`).join(', '),
        );
      } finally {
        await client.end();
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  killAllNow();
  process.exit(1);
});
