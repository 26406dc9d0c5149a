import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';

async function created(h: ApiHarness, overrides: Record<string, unknown> = {}, token = TOKENS.gstt) {
  const res = await h.api.post('/v1/accounts').set(bearer(token)).send(newPerson(overrides));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; email: string; temporaryPassword: string };
}

async function activated(h: ApiHarness, overrides: Record<string, unknown> = {}, token = TOKENS.gstt) {
  const account = await created(h, overrides, token);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    const res = await h.api.get(`/v1/accounts/${account.id}`).set(bearer(token));
    if (res.body.status === 'Active') return account;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the account did not become Active');
}

const event = (h: ApiHarness, id: string, body: object) =>
  h.api.post(`/v1/accounts/${id}/events`).set(bearer(TOKENS.identity)).send(body);

describe('API: account routes', () => {
  it('R1: reading an account of another organisation is 403; an unknown account is 404', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await created(h);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).status, 200);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.national))).status, 200);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.pharmacy))).status, 403);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.uclhManchester))).status, 403);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.identity))).status, 403);
      assert.equal((await h.api.get(`/v1/accounts/${id}/history`).set(bearer(TOKENS.pharmacy))).status, 403);
      const missing = await h.api.get('/v1/accounts/no.one@nhs.net').set(bearer(TOKENS.national));
      assert.equal(missing.status, 404);
      assert.equal(missing.type, 'application/problem+json');
      assert.equal((await h.api.get('/v1/accounts/not-an-address').set(bearer(TOKENS.national))).status, 404);
    });
  });

  it("R1: every change to another organisation's account is 403 and changes nothing", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      const as = bearer(TOKENS.pharmacy);
      const attempts = [
        await h.api.patch(`/v1/accounts/${id}`).set(as).send({ jobTitle: 'Hacker' }),
        await h.api.put(`/v1/accounts/${id}/notes`).set(as).send({ notes: 'x' }),
        await h.api
          .post(`/v1/accounts/${id}/mfa-exceptions`)
          .set(as)
          .send({ term: 'short', riskAssessmentRef: 'RA' }),
        await h.api.delete(`/v1/accounts/${id}/mfa-exceptions/current`).set(as),
        await h.api.put(`/v1/accounts/${id}/directory-visibility`).set(as).send({ phonesHidden: true }),
        await h.api.post(`/v1/accounts/${id}/provisioning-retries`).set(as),
        await h.api
          .post(`/v1/accounts/${id}/events`)
          .set(bearer(TOKENS.gstt))
          .send({ type: 'PasswordChanged' }),
        await h.api.patch(`/v1/accounts/${id}`).set(bearer(TOKENS.identity)).send({ jobTitle: 'x' }),
      ];
      assert.deepEqual(
        attempts.map((r) => r.status),
        [403, 403, 403, 403, 403, 403, 403, 403],
      );
      const account = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(account.body.profile.jobTitle, 'Staff Nurse');
      assert.equal(account.body.notes, '');
      assert.equal(account.body.gates.PasswordChanged.passed, false);
      const history = await h.api.get(`/v1/accounts/${id}/history`).set(bearer(TOKENS.gstt));
      assert.equal(
        history.body.items.filter((e: { actor: { kind: string } }) => e.actor.kind !== 'system').length,
        1,
      );
    });
  });

  it('R17, R25, R5: PATCH is 409 while provisioning, then applies at once and updates the directory', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await created(h);
      const early = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({ jobTitle: 'Sister' });
      assert.equal(early.status, 409);
      assert.match(early.body.detail, /Exchange Online/);
      await h.sleep(3 * HOUR + 30 * MINUTE);
      const edited = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({ lastName: 'Married-Name', jobTitle: 'Sister', telephone: '020 7188 7188' });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.displayName, 'Testa Married-Name');
      const entry = await h.directory.get(id);
      assert.equal(entry?.jobTitle, 'Sister');
      assert.equal(entry?.telephone, '+442071887188');
    });
  });

  it('R4, R9: a bad PATCH names each field at fault, including an organisation or alias change, and changes nothing', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      const res = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({
          firstName: '',
          mobile: '+1 202 555 0123',
          organisation: 'RRV',
          emailAlias: 'nhs.net',
          clinicalRoles: ['??'],
        });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path).sort(), [
        'clinicalRoles.0',
        'emailAlias',
        'firstName',
        'mobile',
        'organisation',
      ]);
      const site = await h.api.patch(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt)).send({ site: 'RRV-UCH' });
      assert.equal(site.status, 400);
      assert.equal(site.body.errors[0].path, 'site');
      const empty = await h.api.patch(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt)).send({});
      assert.equal(empty.status, 400);
      const account = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(account.body.profile.firstName, 'Testa');
    });
  });

  it('R14: notes can be set while Pending', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await created(h);
      const res = await h.api
        .put(`/v1/accounts/${id}/notes`)
        .set(bearer(TOKENS.gstt))
        .send({ notes: 'Starts 1 March' });
      assert.equal(res.status, 200);
      assert.equal(res.body.notes, 'Starts 1 March');
      assert.equal(res.body.status, 'Pending');
      const bad = await h.api.put(`/v1/accounts/${id}/notes`).set(bearer(TOKENS.gstt)).send({ notes: 42 });
      assert.equal(bad.status, 400);
    });
  });

  it('R18, R19, R20, R7: the identity platform reports first-login events; out of order is 409; a non-UK number disables', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await created(h);
      const tooEarly = await event(h, id, { type: 'PasswordChanged' });
      assert.equal(tooEarly.status, 409);
      assert.deepEqual(tooEarly.body.missing, ['Active']);
      await h.sleep(3 * HOUR + 30 * MINUTE);
      const outOfOrder = await event(h, id, { type: 'SecretSet' });
      assert.equal(outOfOrder.status, 409);
      assert.match(outOfOrder.body.detail, /AupAccepted/);
      assert.equal((await event(h, id, { type: 'PasswordChanged' })).status, 200);
      assert.equal((await event(h, id, { type: 'AupAccepted' })).status, 200);
      assert.equal((await event(h, id, { type: 'SecretSet' })).status, 200);
      const badPhone = await event(h, id, { type: 'MfaRegistered', method: 'sms', phoneNumber: 'call me' });
      assert.equal(badPhone.status, 400);
      assert.equal(badPhone.body.errors[0].path, 'phoneNumber');
      const unknown = await event(h, id, { type: 'Teleported' });
      assert.equal(unknown.status, 400);
      const nonUk = await event(h, id, {
        type: 'MfaRegistered',
        method: 'sms',
        phoneNumber: '+33 6 12 34 56 78',
      });
      assert.equal(nonUk.status, 200);
      assert.equal(nonUk.body.status, 'Disabled');
      assert.equal(nonUk.body.disabledReason, 'NonUkMobile');
      const fixed = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({ mobile: '07400 123999' });
      assert.equal(fixed.body.status, 'Active');
      await event(h, id, { type: 'MfaRegistered', method: 'sms', phoneNumber: '07400 123999' });
      const done = await event(h, id, { type: 'ProfileUpdated' });
      assert.deepEqual(done.body.pendingGates, []);
      assert.equal(done.body.canSendEmail, false, 'sync not yet complete');
      await h.sleep(2 * HOUR);
      const after = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(after.body.canSendEmail, true);
      assert.equal(after.body.canUseTeams, true);
    });
  });

  it('R1: the identity platform is told whether its event was accepted, never the administrator view of the account', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h, { notes: 'Private: on long-term leave', mobile: '07400 765432' });
      const admin = bearer(TOKENS.gstt);
      await h.api.put(`/v1/accounts/${id}/directory-visibility`).set(admin).send({ phonesHidden: true });
      for (const type of ['PasswordChanged', 'AupAccepted', 'SecretSet']) await event(h, id, { type });
      const exception = await h.api
        .post(`/v1/accounts/${id}/mfa-exceptions`)
        .set(admin)
        .send({ term: 'short', riskAssessmentRef: 'RA-CONFIDENTIAL-7' });
      assert.equal(exception.status, 201);

      const repeated = await event(h, id, { type: 'PasswordChanged' });
      assert.equal(repeated.status, 200);
      assert.deepEqual(repeated.body, {
        type: 'PasswordChanged',
        accepted: true,
        status: 'Active',
        disabledReason: null,
        pendingGates: ['ProfileUpdated'],
        canSendEmail: false,
      });
      const text = JSON.stringify(repeated.body);
      for (const secret of ['Private', '7400765432', 'RA-CONFIDENTIAL-7', 'alex.admin', 'Testa']) {
        assert.ok(!text.includes(secret), `the answer shows ${secret}`);
      }
    });
  });

  it('R22, R23, R24: MFA exceptions through the API: refused before AUP and secret, 400 without a risk assessment, ended early', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      const exception = (body: object) =>
        h.api.post(`/v1/accounts/${id}/mfa-exceptions`).set(bearer(TOKENS.gstt)).send(body);
      const noRef = await exception({ term: 'short' });
      assert.equal(noRef.status, 400);
      assert.equal(noRef.body.errors[0].path, 'riskAssessmentRef');
      const badTerm = await exception({ term: 'forever', riskAssessmentRef: 'RA-1' });
      assert.equal(badTerm.status, 400);
      const early = await exception({ term: 'short', riskAssessmentRef: 'RA-1' });
      assert.equal(early.status, 409);
      assert.deepEqual(early.body.missing, ['AupAccepted', 'SecretSet']);
      await event(h, id, { type: 'PasswordChanged' });
      await event(h, id, { type: 'AupAccepted' });
      await event(h, id, { type: 'SecretSet' });
      const started = await exception({ term: 'long', riskAssessmentRef: 'RA-1' });
      assert.equal(started.status, 201);
      assert.equal(started.body.mfa.inGroup, false);
      assert.deepEqual((await h.platform.inspect(id)).groups, []);
      const ended = await h.api.delete(`/v1/accounts/${id}/mfa-exceptions/current`).set(bearer(TOKENS.gstt));
      assert.equal(ended.status, 200);
      assert.equal(ended.body.mfa.exception, null);
      assert.deepEqual((await h.platform.inspect(id)).groups, ['NHSmail-MFA-Standard-CA']);
      const again = await h.api.delete(`/v1/accounts/${id}/mfa-exceptions/current`).set(bearer(TOKENS.gstt));
      assert.equal(again.status, 409);
    });
  });

  it('R26: phone numbers can be hidden from the directory search and shown again', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      const hide = await h.api
        .put(`/v1/accounts/${id}/directory-visibility`)
        .set(bearer(TOKENS.gstt))
        .send({ phonesHidden: true });
      assert.equal(hide.status, 200);
      const search = await h.api.get('/v1/accounts').query({ q: id }).set(bearer(TOKENS.gstt));
      assert.equal(search.body.items[0].id, id);
      assert.equal(search.body.items[0].mobile, undefined);
      await h.api
        .put(`/v1/accounts/${id}/directory-visibility`)
        .set(bearer(TOKENS.gstt))
        .send({ phonesHidden: false });
      const shown = await h.api.get('/v1/accounts').query({ q: id }).set(bearer(TOKENS.gstt));
      assert.match(shown.body.items[0].mobile, /^\+447/);
      const bad = await h.api
        .put(`/v1/accounts/${id}/directory-visibility`)
        .set(bearer(TOKENS.gstt))
        .send({ phonesHidden: 'yes' });
      assert.equal(bad.status, 400);
    });
  });

  it('R26, R1: the directory search pages through results and keeps a local administrator to their organisations', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const tag = `Searchable${Date.now() % 100000}`;
      for (let i = 0; i < 3; i++) await created(h, { jobTitle: `${tag} nurse` });
      await created(
        h,
        { jobTitle: `${tag} nurse`, organisation: 'RRV', site: 'RRV-UCH', organisationalUnit: 'RRV-IMG' },
        TOKENS.national,
      );
      const first = await h.api.get('/v1/accounts').query({ q: tag, limit: 2 }).set(bearer(TOKENS.gstt));
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 2);
      assert.ok(first.body.nextCursor);
      const second = await h.api
        .get('/v1/accounts')
        .query({ q: tag, limit: 2, cursor: first.body.nextCursor })
        .set(bearer(TOKENS.gstt));
      assert.equal(second.body.items.length, 1, 'the RRV account is not shown to an RJ1 administrator');
      assert.equal(second.body.nextCursor, null);
      const all = await h.api.get('/v1/accounts').query({ q: tag }).set(bearer(TOKENS.national));
      assert.equal(all.body.items.length, 4);
      const byStatus = await h.api
        .get('/v1/accounts')
        .query({ q: tag, status: 'Active' })
        .set(bearer(TOKENS.national));
      assert.equal(byStatus.body.items.length, 0);
      assert.equal(
        (await h.api.get('/v1/accounts').query({ org: 'RRV' }).set(bearer(TOKENS.gstt))).status,
        403,
      );
      assert.equal(
        (await h.api.get('/v1/accounts').query({ status: 'Sleeping' }).set(bearer(TOKENS.gstt))).status,
        400,
      );
      assert.equal((await h.api.get('/v1/accounts').set(bearer(TOKENS.identity))).status, 403);
    });
  });

  it('R2: the history says who did what and when, in domain words', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      await h.api.patch(`/v1/accounts/${id}`).set(bearer(TOKENS.national)).send({ jobTitle: 'Matron' });
      const res = await h.api.get(`/v1/accounts/${id}/history`).set(bearer(TOKENS.gstt));
      assert.equal(res.status, 200);
      const actions = res.body.items.map((e: { action: string }) => e.action);
      assert.equal(actions[0], 'Account created');
      assert.ok(actions.includes('Mailbox active in Exchange Online'));
      const edit = res.body.items.find((e: { action: string }) => e.action === 'Attributes edited');
      assert.equal(edit.actor.kind, 'national-admin');
      assert.deepEqual(edit.changes.jobTitle, { from: 'Staff Nurse', to: 'Matron' });
      assert.ok(!Number.isNaN(Date.parse(edit.at)));
    });
  });
});
