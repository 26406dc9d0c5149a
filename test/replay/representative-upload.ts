import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';
import { csv, finished, line, upload } from '../bulk/bulk-helpers';
import { bulkUploadWorkflowId } from '../../src/workflows/workflow-id';

/** An upload of three lines, one of them invalid, run to its end: the history of its workflow. */
export async function bulkUploadHistory() {
  const h = await apiHarness();
  return h.run(async () => {
    const res = await upload(h, csv([line(), line({ Title: '' }), line()]), 'create');
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const done = await finished(h, res.body.id);
    assert.equal(done.created, 2);
    return h.client.workflow.getHandle(bulkUploadWorkflowId('RJ1')).fetchHistory();
  });
}

/**
 * An upload cancelled while its chunk is being retried (every attempt meets an outage): the cancel stops
 * the chunk under way (Security 7), recording the patch marker of that change.
 */
export async function bulkUploadCancelledMidChunkHistory() {
  const h = await apiHarness({
    activityWrapper: <T>(activities: T): T => ({
      ...activities,
      createBulkLane: async () => {
        throw new Error('the store is unreachable (injected)');
      },
    }),
  });
  return h.run(async () => {
    const res = await upload(h, csv([line(), line()]), 'create');
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await new Promise((r) => setTimeout(r, 2500)); // an attempt or two
    const cancelled = await h.api.delete(`/v1/bulk-uploads/${res.body.id}`).set(bearer(TOKENS.gstt));
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'Cancelled');
    return h.client.workflow.getHandle(bulkUploadWorkflowId('RJ1')).fetchHistory();
  });
}
