import assert from 'node:assert/strict';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { apiHarness, newPerson } from '../helpers/api-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';

/** Text as nunjucks escaped it, read back. */
const unescape = (html: string) =>
  html.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
  );

/** The hidden fields of the page's form, as a browser would send them back. */
function hiddenFields(html: string): [string, string][] {
  const form = html.slice(html.indexOf('<form method="post" action="/users/new"'));
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
    m[1]!,
    m[2]!
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  ]);
}

describe('Portal: Add user while Temporal does not answer', () => {
  it('R11, R13: the page says the account is reserved and starts by itself; sending it again shows the password once, and makes no second account', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const form = await agent.get('/users/new');
      const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)![1]!;
      const person = newPerson();
      h.faults.failStarts = 1;
      const reserved = await agent
        .post('/users/new')
        .type('form')
        .send({ ...person, _csrf: csrfOf(form.text), formKey });
      assert.equal(reserved.status, 202, reserved.text);
      assert.match(reserved.text, /Account reserved/);
      assert.match(reserved.text, /starts by itself as soon as the service is back/);
      assert.doesNotMatch(reserved.text, /id="temporary-password"/);

      const again = await agent
        .post('/users/new')
        .type('form')
        .send(new URLSearchParams(hiddenFields(reserved.text)).toString());
      assert.equal(again.status, 201, again.text);
      const password = /id="temporary-password"><code>([^<]+)<\/code>/.exec(again.text)?.[1];
      assert.ok(password, 'the password, now');
      const id = /class="portal-break">([^<]+)</.exec(again.text)![1]!;
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      assert.ok((await h.platform.inspect(id)).passwordMatches(unescape(password!)));
      const third = await agent
        .post('/users/new')
        .type('form')
        .send(new URLSearchParams(hiddenFields(reserved.text)).toString());
      assert.doesNotMatch(third.text, /id="temporary-password"/, 'shown once only (R13)');
      assert.equal(h.starts(), 1, 'one lifecycle');
    });
  });
});
