import assert from 'node:assert/strict';
import { TOKENS, bearer, newPerson } from '../helpers/api-harness';
import { inRealBrowser, look } from '../helpers/browser';
import { portalHarness, signInAs, type PortalHarness } from '../helpers/portal-harness';

async function apiCreated(h: PortalHarness, token: string, overrides: Record<string, unknown> = {}) {
  const res = await h.api.post('/v1/accounts').set(bearer(token)).send(newPerson(overrides));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** The UK calendar day of an instant, as a date field takes it. */
const ukDay = (iso: string) => new Date(iso).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

describe('Portal: the audit trail (R2)', function () {
  const browser = inRealBrowser();

  it('R2, R1: an administrator searches the audit trail by who acted and by day, sees their organisations only, and is told what is wrong with a search', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const mine = await apiCreated(h, TOKENS.gstt);
      const theirs = await apiCreated(h, TOKENS.uclhManchester, {
        organisation: 'RRV',
        site: undefined,
        organisationalUnit: undefined,
      });
      const notes = await h.api
        .put(`/v1/accounts/${mine}/notes`)
        .set(bearer(TOKENS.gstt))
        .send({ notes: 'x' });
      assert.equal(notes.status, 200);
      const history = await h.api.get(`/v1/accounts/${mine}/history`).set(bearer(TOKENS.gstt));
      const changedAt = (history.body.items as { at: string; action: string }[]).find(
        (e) => e.action === 'Notes changed',
      )!.at;

      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.getByRole('link', { name: 'Audit trail' }).click();
      await assert.doesNotReject(page.getByRole('heading', { name: 'Audit trail' }).waitFor());
      await look(page, 'audit-trail');

      await page.getByLabel('Who acted (optional)').fill('alex.admin@nhs.net');
      await page.getByLabel('From (optional)').fill(ukDay(changedAt));
      await page.getByLabel('To (optional)').fill(ukDay(changedAt));
      await page.getByRole('button', { name: 'Search the audit trail' }).click();
      const rows = page.locator('tbody tr');
      await assert.doesNotReject(rows.first().waitFor());
      const text = await page.locator('table').innerText();
      assert.match(text, /Notes changed/);
      assert.ok(text.includes(mine), 'the account changed');
      assert.ok(!text.includes(theirs), "never another organisation's account");
      assert.ok((await rows.allInnerTexts()).every((r) => r.includes('RJ1')));
      await look(page, 'audit-trail-found');

      // Days to come: the days before hold other tests' entries where a test run shares its stores.
      const dayAfter = new Date(Date.parse(changedAt) + 86_400_000 * 2).toISOString();
      await page.getByLabel('From (optional)').fill(ukDay(dayAfter));
      await page.getByLabel('To (optional)').fill('');
      await page.getByRole('button', { name: 'Search the audit trail' }).click();
      await assert.doesNotReject(page.getByText('No entry matches this search.').waitFor());

      await page.goto('/audit-trail?from=tomorrow&actor=');
      assert.equal(
        (await page.locator('#from-error').innerText()).replace(/^Error:\s*/, '').trim(),
        'From must be a date, such as 2026-12-05',
      );
      await look(page, 'audit-trail-bad-date');
      await page.goto('/audit-trail?org=RRV');
      await assert.doesNotReject(page.getByText('You do not administer accounts of RRV.').first().waitFor());
      assert.equal(await page.locator('table').count(), 0);
    });
  });
});
