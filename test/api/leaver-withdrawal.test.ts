import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';

/** An account of RJ1 (Guy's and St Thomas'), brought to Active and marked as a leaver by its administrator. */
async function leaverOfRJ1(h: ApiHarness): Promise<string> {
  const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
  assert.equal(created.status, 201, created.text);
  const id = created.body.id as string;
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    if ((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).body.status === 'Active') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const marked = await h.api.post(`/v1/accounts/${id}/leaver`).set(bearer(TOKENS.gstt));
  assert.equal(marked.status, 200, marked.text);
  return id;
}

/** What the marking organisation sees of the account: its status and whether its history has a withdrawal. */
async function seenByRJ1(h: ApiHarness, id: string) {
  const account = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
  const history = await h.api.get(`/v1/accounts/${id}/history`).set(bearer(TOKENS.gstt));
  const withdrawals = (history.body.items as { action: string }[]).filter((e) => /withdrawn/i.test(e.action));
  return { status: account.body.status as string, withdrawals: withdrawals.length };
}

describe('Leavers: withdrawing the mark', () => {
  it("Security 17, R28, R1: another organisation's administrator cannot withdraw a leaver mark through the API (403, still a Leaver); the marking organisation and a national administrator can", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const id = await leaverOfRJ1(h);
      const leaver = `/v1/accounts/${id}/leaver`;
      const other = await h.api.delete(leaver).set(bearer(TOKENS.uclhManchester));
      assert.equal(other.status, 403, other.text);
      assert.match(other.body.detail, /You do not administer accounts of RJ1/);
      assert.equal((await h.api.delete(leaver).set(bearer(TOKENS.identity))).status, 403);
      assert.deepEqual(await seenByRJ1(h, id), { status: 'Leaver', withdrawals: 0 }, 'nothing changed');

      const national = await h.api.delete(leaver).set(bearer(TOKENS.national));
      assert.equal(national.status, 200, national.text);
      assert.equal(national.body.status, 'Active');
      assert.equal((await h.api.post(leaver).set(bearer(TOKENS.gstt))).status, 200, 'marked again');
      const own = await h.api.delete(leaver).set(bearer(TOKENS.gstt));
      assert.equal(own.status, 200, own.text);
      assert.deepEqual(await seenByRJ1(h, id), { status: 'Active', withdrawals: 2 });
    });
  });

  it("Security 17, R28, R1: another organisation's administrator cannot withdraw a leaver mark through the portal (403, still a Leaver)", async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const id = await leaverOfRJ1(h);
      const agent = await signedInAgent(h.app, TOKENS.uclhManchester);
      const _csrf = csrfOf((await agent.get('/users/new')).text);
      const res = await agent
        .post(`/accounts/${encodeURIComponent(id)}/leaver/delete`)
        .type('form')
        .send({ _csrf });
      assert.equal(res.status, 403, res.text.slice(0, 300));
      assert.match(res.text, /You do not administer accounts of RJ1/);
      assert.deepEqual(await seenByRJ1(h, id), { status: 'Leaver', withdrawals: 0 }, 'nothing changed');

      const own = await signedInAgent(h.app, TOKENS.gstt);
      const withdrawn = await own
        .post(`/accounts/${encodeURIComponent(id)}/leaver/delete`)
        .type('form')
        .send({ _csrf: csrfOf((await own.get('/users/new')).text) });
      assert.equal(withdrawn.status, 303, 'the marking organisation can, from the same form');
      assert.deepEqual(await seenByRJ1(h, id), { status: 'Active', withdrawals: 1 });
    });
  });
});
