import assert from 'node:assert/strict';
import { apiHarness } from '../helpers/api-harness';
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
