import assert from 'node:assert/strict';
import { accountWorkflowId, bulkUploadWorkflowId } from '../../src/workflows/workflow-id';
import { csv, line } from '../bulk/bulk-helpers';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

describe('Temporal Web: each run in domain words', () => {
  it('Issue 27 item 7, R31: an account lifecycle and a bulk upload start with a static summary and details naming the address, the organisation and what the run is, and no phone number', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson();
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      const described = await h.client.workflow.getHandle(accountWorkflowId(id)).describe();
      const summary = await described.staticSummary();
      const details = await described.staticDetails();
      assert.equal(summary, `NHSmail account ${id} of Guy's and St Thomas' NHS Foundation Trust (RJ1)`);
      assert.match(
        details ?? '',
        new RegExp(`The lifecycle of the NHSmail account \\*\\*${id.replace(/\./g, '\\.')}\\*\\*`),
      );
      assert.match(details ?? '', /- Organisation: Guy's and St Thomas' NHS Foundation Trust \(RJ1\)/);
      assert.match(details ?? '', /- Created by: Alex Admin/);
      const digits = person.mobile.slice(1);
      assert.doesNotMatch(`${summary}\n${details}`, new RegExp(digits), 'no phone number');

      const upload = await h.api
        .post('/v1/bulk-uploads?organisation=RJ1&mode=create')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'text/csv')
        .send(csv([line(), line()]));
      assert.equal(upload.status, 202, JSON.stringify(upload.body));
      const run = await h.client.workflow.getHandle(bulkUploadWorkflowId('RJ1')).describe();
      assert.equal(
        await run.staticSummary(),
        `Bulk upload ${upload.body.uploadId}: 2 lines for Guy's and St Thomas' NHS Foundation Trust (RJ1)`,
      );
      assert.match((await run.staticDetails()) ?? '', /uploaded by Alex Admin/);
    });
  });
});
