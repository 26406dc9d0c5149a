import assert from 'node:assert/strict';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';
import { DEMO_POLICY, DEMO_SIMULATION } from '../helpers/demo-policy';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';
import { csv, line } from '../bulk/bulk-helpers';

/** Adds a user on the portal's form: the confirmation page and the new account's id. */
async function addUser(h: ApiHarness, agent: Awaited<ReturnType<typeof signedInAgent>>) {
  const form = await agent.get('/users/new');
  const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)![1]!;
  const created = await agent
    .post('/users/new')
    .type('form')
    .send({ ...newPerson(), _csrf: csrfOf(form.text), formKey });
  assert.equal(created.status, 201, created.text);
  const id = /class="portal-break">([^<]+)</.exec(created.text)![1]!;
  h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
  return { page: created.text, id };
}

async function untilStatus(h: ApiHarness, id: string, status: string) {
  for (let i = 0; i < 200; i++) {
    if ((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).body.status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${id} never became ${status}`);
}

describe('Portal: durations in words from the policy in force', () => {
  it('Issue 27 item 3, R15, R17, R22: under demonstration durations, the confirmation, account and upload pages, the MFA choices and a 409 say the demonstration’s seconds and minutes', async () => {
    const h = await apiHarness({ portal: true, policy: DEMO_POLICY, simulation: DEMO_SIMULATION });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const { page, id } = await addUser(h, agent);
      assert.match(page, /Pending for 10 seconds to 2 minutes/);
      assert.match(page, /takes at least 10 seconds, and can take up to 2 minutes/);
      assert.match(page, /can take up to 2 minutes after they accept/);
      assert.doesNotMatch(page, /hours/, 'the confirmation states no hour of the rules’ policy');

      const account = `/accounts/${encodeURIComponent(id)}`;
      assert.match((await agent.get(account)).text, /mailboxes take 10 seconds to 2 minutes/);
      const refused = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({ jobTitle: 'Ward Manager' });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.match(refused.body.detail as string, /mailboxes usually take 10 seconds to 2 minutes\./);

      await h.sleep(30_000);
      await untilStatus(h, id, 'Active');
      const active = (await agent.get(account)).text;
      assert.match(active, /Short term \(1 minute\)/);
      assert.match(active, /Long term \(6 months\)/);
      assert.doesNotMatch(active, /24 hours/);

      const upload = await h.api
        .post('/v1/bulk-uploads?organisation=RJ1&mode=create')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'text/csv')
        .send(csv([line()]));
      assert.equal(upload.status, 202, JSON.stringify(upload.body));
      const progress = await agent.get(`/bulk-upload/${encodeURIComponent(upload.body.uploadId as string)}`);
      assert.match(progress.text, /New accounts are Pending for 10 seconds to 2 minutes while/);
    });
  });

  it('Issue 27 item 3, R15, R22: under the rules’ policy, the same pages say "1 to 24 hours" and "Short term (24 hours)"', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const { page, id } = await addUser(h, agent);
      assert.match(page, /Pending for 1 to 24 hours/);
      assert.match(page, /takes at least 1 hour, and can take up to 24 hours/);
      const account = `/accounts/${encodeURIComponent(id)}`;
      assert.match((await agent.get(account)).text, /mailboxes take 1 to 24 hours/);
      await h.sleep(3.5 * 60 * 60 * 1000);
      await untilStatus(h, id, 'Active');
      assert.match((await agent.get(account)).text, /Short term \(24 hours\)/);
    });
  });
});
