import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { BULK_COLUMNS } from '../../src/bulk/bulk-file';
import { csv, line } from '../bulk/bulk-helpers';
import { inRealBrowser, look } from '../helpers/browser';
import { portalHarness, signInAs, type PortalHarness } from '../helpers/portal-harness';

const asFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Clicks a download link and reads the file the browser saved. */
async function download(page: Page, link: string): Promise<string> {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ]);
  return fs.readFileSync((await saved.path())!, 'utf8');
}

const accountsNamed = async (h: PortalHarness, lastName: string) =>
  (await h.directory.search({ q: lastName, limit: 100 })).entries.filter((e) => e.lastName === lastName);

describe('Portal: the Bulk upload page in a real browser', function () {
  const browser = inRealBrowser();

  it('R31, R4: the sample downloads; Validate lists each line and column at fault and creates nothing; a wrong header is named under the file', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.getByRole('link', { name: 'Bulk upload' }).first().click();
      await page.waitForURL('**/bulk-upload');
      await look(page, 'bulk-upload');

      const sample = await download(page, 'Download the sample CSV file');
      assert.equal(sample.split(/\r?\n/)[0], BULK_COLUMNS.join(','), 'the header, in order');
      assert.equal(parse(sample, { columns: true }).length, 2, 'two example rows');

      const good = line({ LastName: 'Validateonly' });
      const bad = line({ Title: '', ClinicalRoles: 'R8001;NOPE' });
      await page.getByLabel('Organisation', { exact: true }).selectOption('RJ1');
      await page
        .getByLabel('CSV file', { exact: true })
        .setInputFiles(asFile('intake.csv', csv([good, bad])));
      await page.getByRole('button', { name: 'Validate', exact: true }).click();
      await page.locator('#validation').waitFor();
      const rows = await page.locator('#validation tbody tr').allInnerTexts();
      assert.deepEqual(
        rows.map((r) => r.split('\t').slice(0, 2).join(' ')),
        ['3 Title', '3 ClinicalRoles'],
        'line 3 (the second row after the header): Title and ClinicalRoles',
      );
      assert.match(
        await page.locator('#validation').innerText(),
        /2 rows: 1 valid 1 with errors\s+Nothing was created\./,
      );
      await look(page, 'bulk-upload-validated');
      assert.equal((await accountsNamed(h, 'Validateonly')).length, 0, 'Validate created nothing');

      await page
        .getByLabel('CSV file', { exact: true })
        .setInputFiles(asFile('wrong.csv', 'Name,Surname\nA,B\n'));
      await page.getByRole('button', { name: 'Validate', exact: true }).click();
      const under = (await page.locator('#file-error').innerText()).replace(/^Error:\s*/, '');
      assert.match(under, /line 1/i, 'the header line is named');
      assert.match(await page.locator('.nhsuk-error-summary').innerText(), /line 1/i);
      await look(page, 'bulk-upload-wrong-header');
    });
  });

  it('R31, R13, Security 13: Create shows the progress until Completed; the results file gives each address and the temporary passwords until the uploader confirms them saved', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto('/bulk-upload');
      const lines = [
        line({ LastName: 'Cohortone' }),
        line({ LastName: 'Cohorttwo' }),
        line({ Organisation: 'NOPE' }),
      ];
      await page.getByLabel('Organisation', { exact: true }).selectOption('RJ1');
      await page.getByLabel('CSV file', { exact: true }).setInputFiles(asFile('cohort.csv', csv(lines)));
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.waitForURL(/\/bulk-upload\/RJ1-/);
      assert.match(
        await page.locator('.nhsuk-notification-banner').innerText(),
        /started: 2 accounts to create/,
      );
      await page.getByText('Completed', { exact: true }).waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('progress').getAttribute('value'), '3');
      assert.match(await page.locator('#upload-status').innerText(), /Accounts created\s+2/);
      assert.equal(await page.getByRole('button', { name: 'Cancel upload' }).count(), 0, 'nothing to cancel');
      await look(page, 'bulk-upload-completed');

      const first = parse(await download(page, 'Download the results file'), { columns: true }) as Record<
        string,
        string
      >[];
      assert.equal(first.length, 3);
      const [one, two, three] = first;
      assert.match(one!.Result!, /^bulka\.cohortone\d*@nhs\.net$/);
      assert.equal((await accountsNamed(h, 'Cohortone'))[0]?.email, one!.Result);
      assert.equal((await accountsNamed(h, 'Cohorttwo'))[0]?.email, two!.Result);
      assert.match(three!.Result!, /Organisation/);
      assert.ok(one!.TemporaryPassword && two!.TemporaryPassword, 'the first download carries the passwords');
      assert.equal(three!.TemporaryPassword, '');
      const again = parse(await download(page, 'Download the results file'), { columns: true }) as Record<
        string,
        string
      >[];
      assert.equal(again[0]!.TemporaryPassword, one!.TemporaryPassword, 'kept until confirmed (R13)');
      assert.match(
        await page.locator('#passwords-held').innerText(),
        /carries the 2 temporary passwords .* until you confirm you have saved it, or until /,
      );
      await page.getByRole('button', { name: 'I have saved the passwords: delete them' }).click();
      await page.waitForURL(/\/bulk-upload\/RJ1-[^/]+$/);
      assert.match(
        await page.locator('.nhsuk-notification-banner').innerText(),
        /The 2 temporary passwords of upload RJ1-\S+ were deleted/,
      );
      assert.match(await page.locator('#passwords-held').innerText(), /No temporary password of this upload/);
      await look(page, 'bulk-upload-passwords-confirmed');
      const after = parse(await download(page, 'Download the results file'), { columns: true }) as Record<
        string,
        string
      >[];
      assert.ok(
        after.every((r) => !r.TemporaryPassword),
        'Security 13: none once confirmed',
      );
    });
  });
});
