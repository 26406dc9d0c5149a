import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { startUpload, uploadProgress } from '../../src/operations/bulk-uploads';
import { bulkUploadWorkflowId } from '../../src/workflows/workflow-id';
import { testEnv } from '../helpers/global-setup';
import { sqliteBackend } from '../helpers/store-backends';
import { bulkHarness, devPrincipals } from './bulk-harness';
import { csv, line } from './bulk-helpers';

const LINES = 100;
/** Small, so that this file's 4 chunks of 25 lines (one lane) need several runs. */
const HISTORY_LIMIT = 20;
/** A run stops taking chunks at the limit: the lane's chunk under way (about 6 events) and the end still come. */
const SLACK = 12;

/** The history length of each run of a workflow, last to first, following each run's predecessor. */
async function runLengths(client: Client, workflowId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return lengths;
}

describe('R31: the upload’s history stays bounded whatever the file’s size', () => {
  it('R31: an upload continues as new at its history limit: no run’s history grows past it, and every line is created once', async function () {
    const stores = await sqliteBackend.open(this);
    const h = await bulkHarness(stores, { linesAtOnce: 1, historyLimit: HISTORY_LIMIT });
    const uploader = devPrincipals().byId('alex.admin@nhs.net')!;
    try {
      await h.run(async () => {
        const people = Array.from({ length: LINES }, () => line());
        const { uploadId } = await startUpload(h.deps, uploader, 'RJ1', Buffer.from(csv(people)));
        for (let i = 0; i < 1200; i++) {
          if ((await uploadProgress(h.deps, uploader, uploadId)).status !== 'Running') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const done = await uploadProgress(h.deps, uploader, uploadId);
        assert.deepEqual(
          { status: done.status, created: done.created, failed: done.failed },
          { status: 'Completed', created: LINES, failed: 0 },
        );
        const runs = await runLengths(testEnv().client, bulkUploadWorkflowId('RJ1'));
        assert.ok(
          runs.length >= 3,
          `the upload continued as new: ${runs.length} run(s) of ${runs.join(', ')} events`,
        );
        for (const events of runs) {
          assert.ok(events <= HISTORY_LIMIT + SLACK, `a run of ${events} events (limit ${HISTORY_LIMIT})`);
        }
        const accounts = await Promise.all(
          people.map(async (p) => (await stores.directory.search({ q: p.LastName, limit: 10 })).entries),
        );
        assert.deepEqual(
          accounts.map((found, i) => found.filter((e) => e.lastName === people[i]!.LastName).length),
          people.map(() => 1),
          'each line’s person has one account',
        );
      });
    } finally {
      await stores.close();
    }
  });
});
