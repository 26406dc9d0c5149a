import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, bearer, newPerson } from '../helpers/api-harness';
import { inRealBrowser, look } from '../helpers/browser';
import { portalHarness, signInAs, untilStatus } from '../helpers/portal-harness';
import { apiHarness } from '../helpers/api-harness';
import { signedInAgent } from '../helpers/portal-agent';

/** The value of a row of the Account page's summary list. */
async function row(page: Page, key: string): Promise<string> {
  const item = page.locator('.nhsuk-summary-list__row', {
    has: page.locator('.nhsuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) }),
  });
  return (await item.locator('.nhsuk-summary-list__value').innerText()).trim();
}

describe('Portal: the Account page refreshes itself', function () {
  const browser = inRealBrowser();

  it('Issue 27 item 2, R15: when Pending turns Active, the details, MFA and policy rows, history and actions change without a reload; what was typed and the focus stay, and the new status is announced', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      // The page's own clock, so its 15-second refresh can be skipped to below rather than waited for.
      await page.clock.install();
      await page.goto(`/accounts/${encodeURIComponent(created.body.id as string)}`);
      assert.equal(await row(page, 'Mailbox location'), 'Not created yet');
      assert.match(await row(page, 'Default policy'), /Applied when the account is Active/);
      assert.match(await row(page, 'Multi-factor authentication'), /Applied when the account is Active/);
      assert.equal(await page.getByRole('button', { name: 'Start MFA exception' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Mark as leaver' }).count(), 0);
      await page.evaluate('window.notReloaded = true');
      const notes = page.getByRole('textbox', { name: 'Notes', exact: true });
      await notes.fill('Typed, not yet saved');
      await notes.focus();

      await h.sleep(3 * HOUR + 30 * MINUTE);
      await untilStatus(h, created.body.id as string, 'Active');
      await page.clock.fastForward(15_000);
      await page.locator('#account-status .nhsuk-tag', { hasText: 'Active' }).waitFor({ timeout: 10_000 });

      assert.equal(await page.evaluate('window.notReloaded'), true, 'the page was not reloaded');
      assert.equal(await row(page, 'Mailbox location'), 'Exchange Online');
      assert.doesNotMatch(await row(page, 'Default policy'), /Applied when the account is Active/);
      assert.match(await row(page, 'Multi-factor authentication'), /^Group /);
      await assert.doesNotReject(page.getByRole('button', { name: 'Start MFA exception' }).waitFor());
      await assert.doesNotReject(page.getByRole('button', { name: 'Mark as leaver' }).waitFor());
      assert.match(
        await page.locator('table', { hasText: 'Who did what' }).innerText(),
        /Exchange Online/,
        'the history has the mailbox',
      );
      assert.equal(await notes.inputValue(), 'Typed, not yet saved', 'what was typed is kept');
      assert.equal(await page.evaluate('document.activeElement?.id'), 'notes', 'the focus is kept');
      assert.match(
        await page.locator('#account-announcement').innerText(),
        /The account is now Active/,
        'the new status is announced (aria-live)',
      );
      assert.equal(await page.locator('#account-announcement').getAttribute('aria-live'), 'polite');
      await look(page, 'account-refreshed-active');

      // The refreshed forms work: the typed notes are saved with the refreshed form's token.
      await page.getByRole('button', { name: 'Save notes' }).click();
      await assert.doesNotReject(page.getByText('Notes saved.').waitFor());
    });
  });

  it('Issue 27 item 2: the page and its live part agree on the content digest while nothing changes, so an idle page is not redrawn; a change gives another digest', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      const agent = await signedInAgent(h.app);
      const account = `/accounts/${encodeURIComponent(created.body.id as string)}`;
      const page = await agent.get(account);
      const shown = /data-content-digest="([^"]+)"/.exec(page.text)?.[1];
      assert.match(shown ?? '', /^sha-256=:[A-Za-z0-9+/=]+:$/);
      const live = await agent.get(`${account}/content`).set('X-Live-Refresh', '1');
      assert.equal(live.headers['content-digest'], shown);
      assert.equal((await agent.get(`${account}/content`)).headers['content-digest'], shown);
      await h.api
        .put(`/v1/accounts/${created.body.id}/notes`)
        .set(bearer(TOKENS.gstt))
        .send({ notes: 'Changed elsewhere' });
      const after = await agent.get(`${account}/content`);
      assert.notEqual(after.headers['content-digest'], shown);
      assert.match(after.text, /Changed elsewhere/);
    });
  });
});
