import assert from 'node:assert/strict';
import { TOKENS, apiHarness } from '../helpers/api-harness';
import { signedInAgent } from '../helpers/portal-agent';

/** The options of a select on a page, as [value, text]. */
function optionsOf(html: string, id: string): string[][] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1];
  assert.ok(select, `a select #${id}`);
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1]!, m[2]!.trim()]);
}

describe('Portal: small things a newcomer meets', () => {
  it('Issue 27 item 7, R1: a choice with one option is chosen: the only organisation and email alias on Add user, the only organisation on Bulk upload', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app, TOKENS.pharmacy);
      const add = (await agent.get('/users/new')).text;
      assert.deepEqual(optionsOf(add, 'organisation'), [['FH542', 'Cohens Chemist, Garforth (FH542)']]);
      assert.deepEqual(optionsOf(add, 'emailAlias'), [['nhs.net', 'nhs.net']]);
      assert.deepEqual(optionsOf((await agent.get('/bulk-upload')).text, 'organisation'), [
        ['FH542', 'Cohens Chemist, Garforth (FH542)'],
      ]);
      const several = await signedInAgent(h.app, TOKENS.uclhManchester);
      const theirs = optionsOf((await several.get('/users/new')).text, 'organisation');
      assert.equal(theirs[0]![0], '', 'with two organisations, the administrator is asked to choose');
      assert.equal(theirs.length, 3);
    });
  });

  it('Issue 27 item 7, R26: User Management says nothing of "no match" before a search; a search that finds nothing says so', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app, TOKENS.pharmacy);
      const first = (await agent.get('/')).text;
      assert.doesNotMatch(first, /No accounts match/);
      if (!/<table/.test(first)) assert.match(first, /There are no accounts in your organisations yet/);
      const none = (await agent.get('/?q=Nobodyatallhere')).text;
      assert.match(none, /No accounts match this search\./);
      assert.doesNotMatch(none, /no accounts in your organisations yet/);
    });
  });
});
