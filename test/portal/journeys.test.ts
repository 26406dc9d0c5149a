import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, bearer, newPerson } from '../helpers/api-harness';
import { inRealBrowser, look, tabTo } from '../helpers/browser';
import { fakeOidcProvider } from '../helpers/fake-oidc-provider';
import { portalHarness, signInAs, untilStatus, type PortalHarness } from '../helpers/portal-harness';

const R17_WORDS =
  'The account cannot be edited until it is Active with a mailbox location of Exchange Online';

/** An account created through the API, as another administrator or a script would. */
async function apiCreated(h: PortalHarness, overrides: Record<string, unknown> = {}, token = TOKENS.gstt) {
  const person = newPerson(overrides);
  const res = await h.api.post('/v1/accounts').set(bearer(token)).send(person);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id as string, person };
}

/** Follows the account through the API until it has `status` (work after a timer may still be finishing). */
/** The mailbox is ready (the simulated one takes 3 hours) and the user passed the first three gates. */
async function activeWithFirstGates(h: PortalHarness, id: string) {
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await untilStatus(h, id, 'Active');
  for (const type of ['PasswordChanged', 'AupAccepted', 'SecretSet']) {
    const res = await h.api.post(`/v1/accounts/${id}/events`).set(bearer(TOKENS.identity)).send({ type });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
}

async function accountsOf(h: PortalHarness, organisation: string) {
  return (await h.directory.search({ organisations: [organisation], limit: 100 })).entries;
}

/** The message shown under a field (NHS.UK's inline error), without its visually hidden "Error:". */
async function errorUnder(page: Page, field: string): Promise<string> {
  const text = await page.locator(`#${field}-error`).innerText();
  return text.replace(/^Error:\s*/, '').trim();
}

describe('Portal: journeys in a real browser', function () {
  const browser = inRealBrowser();

  it('R1: a local administrator signs in with a development principal, sees only their organisation, and signs out', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'a page without a session goes to sign-in');
      await assert.doesNotReject(page.getByLabel('Token', { exact: true }).waitFor());
      await look(page, 'sign-in');

      await page.getByLabel('Token', { exact: true }).fill('not-a-token-at-all');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      assert.equal(await errorUnder(page, 'token'), 'The token is not known.');
      await look(page, 'sign-in-unknown-token');

      await page.getByLabel('Token', { exact: true }).fill(TOKENS.gstt);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await assert.doesNotReject(page.getByRole('heading', { name: 'User Management' }).waitFor());
      const organisations = await page
        .getByLabel('Organisation', { exact: true })
        .locator('option')
        .allInnerTexts();
      assert.deepEqual(organisations, [
        'All your organisations',
        "Guy's and St Thomas' NHS Foundation Trust",
      ]);
      const cookie = (await page.context().cookies()).find((c) => c.name === 'nhsmail-portal');
      assert.ok(cookie, 'a session cookie');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
      await look(page, 'user-management');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await assert.doesNotReject(page.getByText('You have signed out.').waitFor());
      await look(page, 'signed-out');
      await page.goto('/users/new');
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out: the pages need a sign-in again');
    });
  });

  it('R4, R3, issue 27 item 7: Add user with nothing filled shows the summary and an error under Title, First Name and Last Name (the only organisation and alias are chosen), and creates nothing', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      const before = (await accountsOf(h, 'RJ1')).length;
      await page.getByRole('link', { name: 'Add user' }).first().click();
      await look(page, 'add-user');
      assert.deepEqual(
        await page
          .getByRole('combobox', { name: 'Organisation', exact: true })
          .locator('option')
          .allInnerTexts(),
        ["Guy's and St Thomas' NHS Foundation Trust (RJ1)"],
        'R1: only the organisations the caller administers; the only one is chosen',
      );
      assert.deepEqual(
        await page
          .getByRole('combobox', { name: 'Email Alias', exact: true })
          .locator('option')
          .allInnerTexts(),
        ['nhs.net'],
        'the only alias is chosen',
      );
      await page.getByRole('button', { name: 'Create' }).click();

      const summary = page.locator('.nhsuk-error-summary');
      await assert.doesNotReject(summary.waitFor());
      assert.deepEqual(await summary.locator('a').allInnerTexts(), [
        'Title is required',
        'First name is required',
        'Last name is required',
      ]);
      for (const [field, message] of [
        ['title', 'Title is required'],
        ['firstName', 'First name is required'],
        ['lastName', 'Last name is required'],
      ]) {
        assert.equal(await errorUnder(page, field!), message);
      }
      await summary.getByRole('link', { name: 'Last name is required' }).click();
      assert.equal(
        await page.evaluate('document.activeElement?.id'),
        'lastName',
        'the summary links to the field',
      );
      await look(page, 'add-user-nothing-filled');
      assert.equal((await accountsOf(h, 'RJ1')).length, before, 'nothing was created');

      // Every value typed is kept when the form comes back with an error.
      await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Dr');
      await page.getByRole('textbox', { name: 'First Name', exact: true }).fill('Ada');
      await page.getByRole('textbox', { name: 'Last Name', exact: true }).fill('Lovelace!');
      await page.getByLabel('Mobile', { exact: true }).fill('12345');
      await page.getByRole('checkbox', { name: 'Emergency Medicine' }).check();
      await page.getByRole('button', { name: 'Create' }).click();
      await assert.doesNotReject(page.locator('.nhsuk-error-summary').waitFor());
      assert.match(await errorUnder(page, 'lastName'), /Last name must only contain letters or numbers/);
      assert.match(
        await errorUnder(page, 'mobile'),
        /Mobile is not a valid UK mobile number: give one such as 07400 123456/,
      );
      assert.equal(await page.getByRole('textbox', { name: 'Title', exact: true }).inputValue(), 'Dr');
      assert.equal(
        await page.getByRole('textbox', { name: 'Last Name', exact: true }).inputValue(),
        'Lovelace!',
      );
      assert.equal(await page.getByLabel('Mobile', { exact: true }).inputValue(), '12345');
      assert.equal(await page.getByRole('checkbox', { name: 'Emergency Medicine' }).isChecked(), true);
      assert.equal(await page.getByLabel('Display Name', { exact: true }).inputValue(), 'Ada Lovelace!');
      assert.equal((await accountsOf(h, 'RJ1')).length, before, 'still nothing was created');
    });
  });

  it('R3, R5, R13, R15: a valid user is created with the temporary password shown once, and is Pending in User Management', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto('/users/new');
      await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Dr');
      await page.getByRole('textbox', { name: 'First Name', exact: true }).fill('Grace');
      await page.getByRole('textbox', { name: 'Last Name', exact: true }).fill('Hopper-Jones');
      assert.equal(
        await page.getByLabel('Display Name', { exact: true }).inputValue(),
        'Grace Hopper-Jones',
        'R5: filled as typed',
      );
      assert.equal(await page.getByLabel('Display Name', { exact: true }).isEditable(), false, 'read-only');
      await page.getByLabel('Mobile', { exact: true }).fill('07400 654321');
      await page.getByLabel('Job Title', { exact: true }).fill('Staff Nurse');
      await page.getByRole('combobox', { name: 'Email Alias', exact: true }).selectOption('nhs.net');
      await page.getByRole('combobox', { name: 'Organisation', exact: true }).selectOption('RJ1');
      // The unit tree: + opens Cardiovascular, and its Coronary Care Unit is chosen (R9).
      const ccu = page.getByRole('radio', { name: 'Coronary Care Unit' });
      assert.equal(await ccu.isVisible(), false, 'children start closed');
      await page.getByRole('button', { name: /Show the units of Cardiovascular/ }).click();
      await ccu.check();
      // Multi-selects can be deselected (the seed's step 9).
      await page.getByRole('checkbox', { name: 'Emergency Medicine' }).check();
      await page.getByRole('checkbox', { name: 'Urology' }).check();
      await page.getByRole('checkbox', { name: 'Urology' }).uncheck();
      await page.getByRole('checkbox', { name: 'Nurse Access Role' }).check();
      await page.getByRole('checkbox', { name: 'Inpatient ward' }).check();
      await page.getByLabel('Site', { exact: true }).selectOption('RJ121');
      await page.getByRole('textbox', { name: 'Notes', exact: true }).fill('Starts on Ward 5 in January');
      await look(page, 'add-user-filled');
      await page.getByRole('button', { name: 'Create' }).click();

      await assert.doesNotReject(page.getByRole('heading', { name: 'Account created' }).waitFor());
      const address = 'grace.hopper-jones@nhs.net';
      assert.match(await page.locator('.nhsuk-panel').innerText(), new RegExp(address.replace('.', '\\.')));
      const password = (await page.locator('#temporary-password').innerText()).trim();
      assert.match(
        password,
        /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z\d]).{12,}$/,
        'R13: a strong password',
      );
      const text = await page.locator('main').innerText();
      assert.match(text, /shown once only/);
      assert.match(text, /at least 1 hour, and can take up to 24 hours/);
      assert.match(text, /accept the Acceptable Use Policy/);
      assert.match(text, /set their account secret/);
      await look(page, 'add-user-created');

      await page.getByRole('link', { name: 'User Management' }).first().click();
      await page.getByLabel('Name or email', { exact: true }).fill('Hopper');
      await page.getByRole('button', { name: 'Search' }).click();
      const row = page.locator('tbody tr', { hasText: address });
      await assert.doesNotReject(row.waitFor());
      assert.match(await row.innerText(), /Pending/);
      await look(page, 'user-management-pending');
      await row.getByRole('link').click();
      await assert.doesNotReject(page.getByRole('heading', { name: 'Grace Hopper-Jones' }).waitFor());
      assert.doesNotMatch(
        await page.content(),
        new RegExp(password.replace(/[^A-Za-z0-9]/g, '\\$&')),
        'shown once',
      );
      assert.match(
        await page.locator('#account-status').innerText(),
        /Waiting for the mailbox to be created/,
      );
      assert.match(await page.locator('main').innerText(), /Coronary Care Unit/);
    });
  });

  it('R17, R14, R15: the Account page refuses an edit while Pending with the R17 words, accepts notes, and shows Active by itself when the mailbox is ready', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const { id } = await apiCreated(h);
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto(`/accounts/${encodeURIComponent(id)}`);
      await look(page, 'account-pending');
      await page.getByRole('link', { name: 'Edit details' }).click();
      await page.getByLabel('Job Title', { exact: true }).fill('Ward Manager');
      await page.getByRole('button', { name: 'Save changes' }).click();
      const summary = page.locator('.nhsuk-error-summary');
      await assert.doesNotReject(summary.waitFor());
      assert.match(await summary.innerText(), new RegExp(R17_WORDS));
      assert.equal(
        await page.getByLabel('Job Title', { exact: true }).inputValue(),
        'Ward Manager',
        'what was typed is kept',
      );
      await look(page, 'account-edit-refused-pending');
      assert.equal(
        (await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).body.profile.jobTitle,
        'Staff Nurse',
      );

      // The page's own clock, so its 15-second refresh can be skipped to below rather than waited for.
      await page.clock.install();
      await page.goto(`/accounts/${encodeURIComponent(id)}`);
      await page
        .getByRole('textbox', { name: 'Notes', exact: true })
        .fill('On maternity leave until 20 June 2027');
      await page.getByRole('button', { name: 'Save notes' }).click();
      await assert.doesNotReject(page.getByText('Notes saved.').waitFor());
      assert.equal(
        await page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
        'On maternity leave until 20 June 2027',
      );
      assert.match(await page.locator('table', { hasText: 'Notes changed' }).innerText(), /Alex Admin/);
      await look(page, 'account-notes-saved');

      // The mailbox becomes ready while the page is open: the status refreshes itself (R15).
      await h.sleep(3 * HOUR + 30 * MINUTE);
      await untilStatus(h, id, 'Active');
      await page.clock.fastForward(15_000);
      await page.locator('#account-status .nhsuk-tag', { hasText: 'Active' }).waitFor({ timeout: 10_000 });
      assert.doesNotMatch(await page.locator('#account-status').innerText(), /Waiting for the mailbox/);
    });
  });

  it('R12: a duplicate shows the existing account, or the same-name candidates with "this is a different person"', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const { id, person } = await apiCreated(h);
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      const fill = async (mobile: string) => {
        await page.goto('/users/new');
        await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Mr');
        await page.getByRole('textbox', { name: 'First Name', exact: true }).fill(person.firstName);
        await page.getByRole('textbox', { name: 'Last Name', exact: true }).fill(person.lastName);
        await page.getByLabel('Mobile', { exact: true }).fill(mobile);
        await page.getByRole('combobox', { name: 'Email Alias', exact: true }).selectOption('nhs.net');
        await page.getByRole('combobox', { name: 'Organisation', exact: true }).selectOption('RJ1');
        await page.getByRole('button', { name: 'Create' }).click();
      };
      await fill(person.mobile);
      const callout = page.locator('#duplicate');
      await assert.doesNotReject(callout.waitFor());
      assert.match(await callout.innerText(), /An account with this mobile number already exists/);
      assert.equal(
        await callout
          .getByRole('link', { name: `${person.firstName} ${person.lastName}` })
          .getAttribute('href'),
        `/accounts/${encodeURIComponent(id)}`,
      );
      assert.equal(
        await page.getByRole('textbox', { name: 'Last Name', exact: true }).inputValue(),
        person.lastName,
        'what was typed is kept',
      );
      await look(page, 'add-user-duplicate-mobile');

      await fill('07400 777123');
      await assert.doesNotReject(
        callout.getByText('Accounts with the same first and last name exist').waitFor(),
      );
      assert.match(await callout.innerText(), new RegExp(id.replace('.', '\\.')));
      await look(page, 'add-user-possible-duplicate');
      await page.getByRole('checkbox', { name: /This is a different person/ }).check();
      await page.getByRole('button', { name: 'Create' }).click();
      await assert.doesNotReject(page.getByRole('heading', { name: 'Account created' }).waitFor());
      assert.match(await page.locator('.nhsuk-panel').innerText(), /1@nhs\.net/, 'R11: the next address');
    });
  });

  it("R1: another organisation's account is not reachable: a 403 page, and no action on it", async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const { id } = await apiCreated(
        h,
        { organisation: 'RRV', site: 'RRV-UCH', organisationalUnit: 'RRV-IMG' },
        TOKENS.uclhManchester,
      );
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      const answer = await page.goto(`/accounts/${encodeURIComponent(id)}`);
      assert.equal(answer?.status(), 403);
      assert.match(await page.locator('main').innerText(), /You do not administer accounts of RRV\./);
      await look(page, 'account-other-organisation-403');
      const post = await page.request.post(`/accounts/${encodeURIComponent(id)}/notes`, {
        form: { notes: 'x' },
      });
      assert.equal(post.status(), 403, 'a form without its CSRF token is refused');
      const search = await page.goto('/?org=RRV');
      assert.equal(search?.status(), 403);
    });
  });

  it('R22, R23: an MFA exception needs its risk assessment reference, and then starts with it', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const { id } = await apiCreated(h);
      await activeWithFirstGates(h, id);
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto(`/accounts/${encodeURIComponent(id)}`);
      await page.getByRole('radio', { name: 'Short term (24 hours)' }).check();
      await page.getByRole('button', { name: 'Start MFA exception' }).click();
      await assert.doesNotReject(page.locator('.nhsuk-error-summary').waitFor());
      assert.equal(await errorUnder(page, 'riskAssessmentRef'), 'A risk assessment reference is required');
      assert.equal(await page.getByRole('radio', { name: 'Short term (24 hours)' }).isChecked(), true);
      await look(page, 'account-mfa-needs-risk-assessment');

      await page.getByLabel('Risk assessment reference', { exact: true }).fill('RA-2027-117');
      await page.getByRole('button', { name: 'Start MFA exception' }).click();
      await assert.doesNotReject(page.getByText(/MFA exception started, until/).waitFor());
      assert.match(
        await page.locator('#account-status').innerText(),
        /MFA exception \(short term, risk assessment RA-2027-117\)/,
      );
      assert.match(
        await page.locator('table', { hasText: 'MFA exception started' }).innerText(),
        /RA-2027-117/,
      );
      await look(page, 'account-mfa-exception');
      await page.getByRole('button', { name: 'End MFA exception now' }).click();
      await assert.doesNotReject(
        page
          .getByText(/MFA exception ended/)
          .first()
          .waitFor(),
      );
    });
  });

  it("R28: a leaver is marked on the Account page, found on the Joiners page and accepted into the caller's organisation", async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const { id, person } = await apiCreated(h);
      await activeWithFirstGates(h, id);
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto(`/accounts/${encodeURIComponent(id)}`);
      await page.getByRole('button', { name: 'Mark as leaver' }).click();
      await assert.doesNotReject(
        page
          .getByText(/Marked as a leaver until/)
          .first()
          .waitFor(),
      );
      assert.match(
        await page.locator('#account-status').innerText(),
        /another organisation can accept them as a joiner/,
      );
      await look(page, 'account-leaver');
      await page.getByRole('button', { name: 'Sign out' }).click();

      await signInAs(page, /Sam Admin/);
      await page.getByRole('link', { name: 'Joiners' }).click();
      await page.getByLabel('Name, email address or mobile number', { exact: true }).fill(person.mobile);
      await page.getByRole('button', { name: 'Find leaver' }).click();
      const row = page.locator('tbody tr', { hasText: id });
      await assert.doesNotReject(row.waitFor());
      assert.match(await row.innerText(), /Guy's and St Thomas'/);
      await look(page, 'joiners-found');
      await row.getByRole('link', { name: /Accept/ }).click();
      await page.getByRole('combobox', { name: 'Organisation', exact: true }).selectOption('RRV');
      await page.getByRole('radio', { name: 'Imaging' }).check();
      await page.getByLabel('Site', { exact: true }).selectOption('RRV-UCH');
      await page.getByLabel('Job Title', { exact: true }).fill('Radiographer');
      await look(page, 'joiner-accept');
      await page.getByRole('button', { name: 'Accept joiner' }).click();
      await assert.doesNotReject(
        page.getByText(/joined your organisation from Guy's and St Thomas'/).waitFor(),
      );
      const details = await page.locator('main').innerText();
      assert.match(details, /University College London Hospitals NHS Foundation Trust \(RRV\)/);
      assert.match(details, /Imaging/);
      assert.match(details, /Radiographer/);
      await look(page, 'account-joined');
    });
  });

  it('WCAG 2.2: Add user is completed with the keyboard alone', async () => {
    const h = await portalHarness(browser());
    await h.runInBrowser(async () => {
      const page = await h.newPage();
      await signInAs(page, /Alex Admin/);
      await page.goto('/users/new');
      const type = async (selector: string, text: string) => {
        await tabTo(page, selector);
        await page.keyboard.type(text);
      };
      await type('#title', 'Ms');
      await type('#firstName', 'Keyboard');
      await type('#lastName', 'Only');
      await type('#mobile', '07400 888999');
      await tabTo(page, '#emailAlias');
      await page.keyboard.press('ArrowDown');
      await tabTo(page, '#organisation');
      await page.keyboard.press('ArrowDown');
      await tabTo(page, '.portal-tree__toggle');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate('document.activeElement?.id'), 'organisationalUnit');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await tabTo(page, '#clinicalSpecialities');
      await page.keyboard.press('Space');
      await tabTo(page, '#clinicalRoles');
      await page.keyboard.press('Space');
      await tabTo(page, 'button.nhsuk-button');
      await page.keyboard.press('Enter');
      await assert.doesNotReject(page.getByRole('heading', { name: 'Account created' }).waitFor());
      const created = (await h.api.get('/v1/accounts/keyboard.only@nhs.net').set(bearer(TOKENS.gstt))).body;
      assert.equal(created.organisation.code, 'RJ1');
      assert.equal(created.profile.organisationalUnit, 'RJ1-CARD-CCU');
      assert.deepEqual(created.profile.clinicalSpecialities, ['100']);
      assert.deepEqual(created.profile.clinicalRoles, ['R8000']);
    });
  });

  it('R1: with OpenID Connect configured, an administrator signs in at the provider with the rights of their principal; anyone else is refused', async () => {
    const who = { email: 'sam.admin@nhs.net' };
    const provider = await fakeOidcProvider(who);
    const h = await portalHarness(browser(), (baseURL) => ({
      devPrincipals: [],
      oidc: {
        issuer: provider.issuer,
        clientId: provider.client.id,
        clientSecret: provider.client.secret,
        principalClaim: 'email',
        redirectUri: `${baseURL}/sign-in/callback`,
        name: 'Test identity provider',
      },
    }));
    try {
      await h.runInBrowser(async () => {
        const page = await h.newPage();
        await page.goto('/sign-in');
        assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'no token sign-in');
        assert.equal(
          await page.getByRole('button', { name: /Sign in as/ }).count(),
          0,
          'no development principals',
        );
        await look(page, 'sign-in-openid-connect');
        await page.getByRole('link', { name: 'Sign in with Test identity provider' }).click();
        await page.waitForURL((url) => url.pathname === '/');
        await assert.doesNotReject(page.getByRole('heading', { name: 'User Management' }).waitFor());
        assert.match(await page.locator('header').innerText(), /Sam Admin/);
        const organisations = await page
          .getByLabel('Organisation', { exact: true })
          .locator('option')
          .allInnerTexts();
        assert.deepEqual(organisations.slice(1).sort(), [
          'Manchester University NHS Foundation Trust',
          'University College London Hospitals NHS Foundation Trust',
        ]);
        await page.getByRole('button', { name: 'Sign out' }).click();

        who.email = 'someone.else@nhs.net';
        await page.getByRole('link', { name: 'Sign in with Test identity provider' }).click();
        await assert.doesNotReject(
          page.getByText(/your email is not an administrator of this portal/).waitFor(),
        );
        await look(page, 'sign-in-openid-connect-refused');
        await page.goto('/');
        assert.equal(new URL(page.url()).pathname, '/sign-in', 'not signed in');
      });
    } finally {
      await provider.close();
    }
  });
});
