import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { BULK_COLUMNS } from '../src/bulk/bulk-file';
import type { NewAccount } from '../src/domain/account';
import { snapshotOf } from '../src/domain/organisation';
import { DEFAULT_POLICY } from '../src/domain/policy';
import { referenceData } from '../src/reference/reference-data';
import { accountLifecycleV2 } from '../src/workflows';
import { accountWorkflowId, bulkUploadWorkflowId } from '../src/workflows/workflow-id';
import { loadTemporalConfig } from '../temporal-config';
import { startBenchEngine, toLetters } from './bench/bench-engine';

/**
 * `npm run bench:bulk`: an upload of BENCH_ROWS lines (default 10,000) created through the API against the
 * embedded dev server, then the same server's raw rate of starting as many lifecycles directly with the
 * Temporal client, at the same concurrency as the upload (8). Prints rows per second, the upload's
 * history per run, and the ratio. Figures are printed, not asserted.
 */
const TOKEN = 'dev-national-admin-0004';
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const AT_ONCE = 8;

function fileOf(rows: number): string {
  const lines = [BULK_COLUMNS.join(',')];
  for (let i = 0; i < rows; i++) {
    const row: Record<string, string> = {
      Title: 'Dr',
      FirstName: 'Bulk',
      LastName: `Bench${toLetters(i)}`,
      Mobile: `07400 ${String(100000 + i).padStart(6, '0')}`,
      EmailAlias: 'nhs.net',
      Organisation: 'RJ1',
      ClinicalRoles: 'R8000',
      ExternalSyncID: `BENCH-${i}`,
    };
    lines.push(BULK_COLUMNS.map((c) => row[c] ?? '').join(','));
  }
  return lines.join('\n');
}

async function main() {
  const { engine, env, address, dataConverter, stop } = await startBenchEngine('bench-bulk-');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter });
  try {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const file = fileOf(ROWS);
    let started = performance.now();
    const posted = await fetch(`${engine.apiUrl}/v1/bulk-uploads?organisation=RJ1&mode=create`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/csv' },
      body: file,
    });
    const upload = (await posted.json()) as { id: string };
    if (posted.status !== 202) throw new Error(`upload answered ${posted.status}: ${JSON.stringify(upload)}`);
    let progress: { status: string; created: number; failed: number };
    do {
      await new Promise((r) => setTimeout(r, 250));
      progress = (await (
        await fetch(`${engine.apiUrl}/v1/bulk-uploads/${upload.id}`, { headers })
      ).json()) as {
        status: string;
        created: number;
        failed: number;
      };
    } while (progress.status === 'Running');
    const bulkSeconds = (performance.now() - started) / 1000;

    await new Promise((r) => setTimeout(r, 2000)); // visibility catches up
    const runs: number[] = [];
    for await (const run of client.workflow.list({
      query: `WorkflowId = '${bulkUploadWorkflowId('RJ1')}'`,
    })) {
      runs.push(run.historyLength);
    }

    const org = snapshotOf(referenceData.organisation('RJ1')!);
    const account = (i: number): NewAccount => ({
      id: `raw.bench${i}@nhs.net`,
      email: `raw.bench${i}@nhs.net`,
      profile: {
        title: 'Dr',
        firstName: 'Raw',
        lastName: `Bench${toLetters(i)}`,
        mobile: `+447400${String(500000 + i).padStart(6, '0')}`,
        clinicalSpecialities: [],
        clinicalRoles: ['R8000'],
        workAreas: [],
      },
      organisation: org,
      notes: '',
      createdBy: { id: 'benchmark', kind: 'national-admin', name: 'Benchmark' },
    });
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < ROWS) {
          const i = next++;
          await client.workflow.start(accountLifecycleV2, {
            taskQueue: loadTemporalConfig(env).taskQueue,
            workflowId: accountWorkflowId(account(i).email),
            args: [{ account: account(i), policy: DEFAULT_POLICY }],
          });
        }
      }),
    );
    const rawSeconds = (performance.now() - started) / 1000;

    const bulkRate = ROWS / bulkSeconds;
    const rawRate = ROWS / rawSeconds;
    console.log(
      `rows: ${ROWS}, embedded dev server, ${os.cpus().length} cores, ${AT_ONCE} at once on both sides`,
    );
    console.log(
      `bulk upload (API, CSV to created accounts): ${bulkSeconds.toFixed(1)} s, ${bulkRate.toFixed(1)} rows/s, ` +
        `${progress.created} created, ${progress.failed} failed, ${progress.status}`,
    );
    console.log(
      `upload history: ${runs.length} runs, ${runs.join(' + ')} = ${runs.reduce((a, b) => a + b, 0)} events ` +
        `(largest run ${Math.max(...runs)}; Temporal's limit 51,200)`,
    );
    console.log(
      `raw client, lifecycles started directly: ${rawSeconds.toFixed(1)} s, ${rawRate.toFixed(1)} starts/s`,
    );
    console.log(`ratio bulk / raw: ${(bulkRate / rawRate).toFixed(2)}`);
  } finally {
    await connection.close();
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
