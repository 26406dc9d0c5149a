import assert from 'node:assert/strict';
import { csv, line } from '../bulk/bulk-helpers';
import { apiHarness } from '../helpers/api-harness';
import { inRealBrowser, look } from '../helpers/browser';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';
import { portalHarness, signInAs, type PortalHarness } from '../helpers/portal-harness';

const asFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

const accountsNamed = async (h: PortalHarness, lastName: string) =>
  (await h.directory.search({ q: lastName, limit: 100 })).entries.filter((e) => e.lastName === lastName);

describe('Portal: Create what was just validated', function () {
  const browser = inRealBrowser();

  it('Issue 27 item 4, R31: after Validate, Create creates the validated file without choosing it again', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto('/bulk-upload');
      await page.getByLabel('Organisation', { exact: true }).selectOption('RJ1');
      const lines = [line({ LastName: 'Keptone' }), line({ LastName: 'Kepttwo' })];
      await page.getByLabel('CSV file', { exact: true }).setInputFiles(asFile('kept.csv', csv(lines)));
      await page.getByRole('button', { name: 'Validate', exact: true }).click();
      await page.locator('#validation').waitFor();
      assert.match(await page.locator('#validation').innerText(), /2 rows: 2 valid/);
      assert.match(await page.locator('#validation').innerText(), /Click Create to create the accounts/);
      assert.match(
        await page.locator('#file-hint').innerText(),
        /Create uses kept\.csv, the file you validated/,
      );
      assert.equal(
        await page
          .getByLabel('CSV file', { exact: true })
          .evaluate((input) => (input as never as { files: unknown[] }).files.length),
        0,
        'no file is chosen on the page',
      );
      await look(page, 'bulk-upload-validated-kept');

      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.waitForURL(/\/bulk-upload\/RJ1-/);
      assert.match(
        await page.locator('.nhsuk-notification-banner').innerText(),
        /started: 2 accounts to create/,
      );
      await page.getByText('Completed', { exact: true }).waitFor({ timeout: 20_000 });
      assert.equal((await accountsNamed(h, 'Keptone')).length, 1);
      assert.equal((await accountsNamed(h, 'Kepttwo')).length, 1);
      await look(page, 'bulk-upload-created-from-validated');
    });
  });

  it('Issue 27 item 4, R1, Security 19: a validated file is its session’s only: another session posting its id is asked to choose a file, and nothing is created', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const alex = await signedInAgent(h.app);
      const other = await signedInAgent(h.app);
      const form = await alex.get('/bulk-upload');
      const validated = await alex
        .post('/bulk-upload')
        .field('_csrf', csrfOf(form.text))
        .field('organisation', 'RJ1')
        .field('mode', 'validate')
        .attach('file', Buffer.from(csv([line({ LastName: 'Notyours' })])), {
          filename: 'mine.csv',
          contentType: 'text/csv',
        });
      const id = /name="validatedFile" value="([^"]+)"/.exec(validated.text)?.[1];
      assert.ok(id, 'Validate keeps the file under an id');
      const theirs = await other.get('/bulk-upload');
      const refused = await other
        .post('/bulk-upload')
        .field('_csrf', csrfOf(theirs.text))
        .field('organisation', 'RJ1')
        .field('mode', 'create')
        .field('validatedFile', id);
      assert.equal(refused.status, 400);
      assert.match(refused.text, /The validated file is no longer held here: choose it again/);
      assert.equal((await h.directory.search({ q: 'Notyours', limit: 10 })).entries.length, 0);
    });
  });
});
