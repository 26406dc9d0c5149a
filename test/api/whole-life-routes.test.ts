import assert from 'node:assert/strict';
import { DAY, HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';

/** An account created through the API and brought to Active (the simulated mailbox takes 3 hours). */
async function activated(h: ApiHarness, overrides: Record<string, unknown> = {}, token = TOKENS.gstt) {
  const person = newPerson(overrides);
  const res = await h.api.post('/v1/accounts').set(bearer(token)).send(person);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    const got = await h.api.get(`/v1/accounts/${res.body.id}`).set(bearer(token));
    if (got.body.status === 'Active') return { id: res.body.id as string, person };
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the account did not become Active');
}

const as = (token: string) => bearer(token);

describe('API: leavers, joiners, resecure, inactivity and restore', () => {
  it('R28: mark a leaver, find it by name or mobile, accept it into another organisation; refusals by right and by status', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await activated(h);
      const leaver = `/v1/accounts/${id}/leaver`;
      assert.equal(
        (await h.api.post(leaver).set(as(TOKENS.uclhManchester))).status,
        403,
        'not their account',
      );
      assert.equal((await h.api.post(leaver).set(as(TOKENS.identity))).status, 403, 'not an administrator');
      assert.equal(
        (
          await h.api
            .post(`/v1/accounts/${id}/joiner`)
            .set(as(TOKENS.uclhManchester))
            .send({ organisation: 'RRV' })
        ).status,
        403,
        'not a leaver: another organisation cannot reach it',
      );
      const marked = await h.api.post(leaver).set(as(TOKENS.gstt));
      assert.equal(marked.status, 200, JSON.stringify(marked.body));
      assert.equal(marked.body.status, 'Leaver');
      assert.equal((await h.api.post(leaver).set(as(TOKENS.gstt))).status, 409, 'already a leaver');

      const byName = await h.api.get(`/v1/leavers?q=${person.lastName}`).set(as(TOKENS.uclhManchester));
      assert.equal(byName.status, 200);
      assert.deepEqual(byName.body.items, [
        {
          id,
          email: id,
          displayName: `${person.firstName} ${person.lastName}`,
          formerOrganisation: { code: 'RJ1', name: "Guy's and St Thomas' NHS Foundation Trust" },
          windowEndsAt: marked.body.leaver.windowEndsAt,
        },
      ]);
      const byMobile = await h.api
        .get(`/v1/leavers?q=${encodeURIComponent(person.mobile)}`)
        .set(as(TOKENS.pharmacy));
      assert.deepEqual(
        byMobile.body.items.map((i: { id: string }) => i.id),
        [id],
      );
      assert.equal(
        JSON.stringify(byMobile.body).includes(person.mobile.slice(-6)),
        false,
        'never a phone number',
      );
      assert.equal((await h.api.get('/v1/leavers?q=x').set(as(TOKENS.gstt))).status, 400);
      const oneCharacterOfTwoUnits = encodeURIComponent('\u{aaa91}'); // found by schemathesis
      assert.equal(
        (await h.api.get(`/v1/leavers?q=${oneCharacterOfTwoUnits}`).set(as(TOKENS.gstt))).status,
        400,
        'one character is too short, even when JavaScript writes it as two UTF-16 units',
      );
      assert.equal((await h.api.get('/v1/leavers?q=smith').set(as(TOKENS.identity))).status, 403);

      const joiner = `/v1/accounts/${id}/joiner`;
      const wrongOrg = await h.api.post(joiner).set(as(TOKENS.uclhManchester)).send({ organisation: 'RR8' });
      assert.equal(wrongOrg.status, 403, 'only an administrator of the receiving organisation');
      const badUnit = await h.api
        .post(joiner)
        .set(as(TOKENS.uclhManchester))
        .send({ organisation: 'RRV', organisationalUnit: 'RJ1-CARD-CCU', clinicalRoles: ['NOPE'] });
      assert.equal(badUnit.status, 400);
      assert.deepEqual(badUnit.body.errors.map((e: { path: string }) => e.path).sort(), [
        'clinicalRoles.0',
        'organisationalUnit',
      ]);
      const joined = await h.api
        .post(joiner)
        .set(as(TOKENS.uclhManchester))
        .send({ organisation: 'R0A', jobTitle: 'Registrar' });
      assert.equal(joined.status, 200, JSON.stringify(joined.body));
      assert.equal(joined.body.organisation.code, 'R0A');
      assert.ok(
        joined.body.warnings.some((w: string) => /connector managed/.test(w)),
        'R27 warning',
      );
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt))).status, 403, 'gone from RJ1');
      assert.equal(
        (await h.api.get(`/v1/leavers?q=${person.lastName}`).set(as(TOKENS.gstt))).body.items.length,
        0,
      );
    });
  });

  it('R28, R12: a create that finds a leaver by mobile names the joiner route with its id; a withdrawn mark is 200, then 409', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await activated(h);
      await h.api.post(`/v1/accounts/${id}/leaver`).set(as(TOKENS.gstt));
      const dup = await h.api
        .post('/v1/accounts')
        .set(as(TOKENS.uclhManchester))
        .send({
          ...newPerson({ organisation: 'RRV', site: undefined, organisationalUnit: undefined }),
          mobile: person.mobile,
        });
      assert.equal(dup.status, 409);
      assert.match(dup.body.detail, new RegExp(`POST /v1/accounts/${encodeURIComponent(id)}/joiner`));
      assert.equal(dup.body.existing.id, id);
      const withdrawn = await h.api.delete(`/v1/accounts/${id}/leaver`).set(as(TOKENS.gstt));
      assert.equal(withdrawn.status, 200);
      assert.equal(withdrawn.body.status, 'Active');
      assert.equal((await h.api.delete(`/v1/accounts/${id}/leaver`).set(as(TOKENS.gstt))).status, 409);
    });
  });

  it('R29, R13: resecure answers the new temporary password once with the account; 409 while Pending; 403 for another organisation', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const pending = await h.api.post('/v1/accounts').set(as(TOKENS.gstt)).send(newPerson());
      const early = await h.api.post(`/v1/accounts/${pending.body.id}/resecure`).set(as(TOKENS.gstt));
      assert.equal(early.status, 409);
      assert.match(early.body.detail, /R17/);
      const { id } = await activated(h);
      assert.equal((await h.api.post(`/v1/accounts/${id}/resecure`).set(as(TOKENS.pharmacy))).status, 403);
      const res = await h.api.post(`/v1/accounts/${id}/resecure`).set(as(TOKENS.gstt));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok((await h.platform.inspect(id)).passwordMatches(res.body.temporaryPassword));
      assert.deepEqual(res.body.account.pendingGates.slice(0, 3), [
        'PasswordChanged',
        'AupAccepted',
        'SecretSet',
      ]);
      const account = await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt));
      assert.equal(JSON.stringify(account.body).includes(res.body.temporaryPassword), false, 'shown once');
    });
  });

  it('R30, R32: SignedIn from the identity platform, reactivation by an administrator, restoration by a national administrator only', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      const signIn = () =>
        h.api.post(`/v1/accounts/${id}/events`).set(as(TOKENS.identity)).send({ type: 'SignedIn' });
      assert.equal((await signIn()).status, 200);
      const again = await signIn();
      assert.equal(again.status, 200, 'a second sign-in in a day is fine, and recorded no more');
      assert.equal(
        (await h.api.post(`/v1/accounts/${id}/reactivation`).set(as(TOKENS.gstt))).status,
        409,
        'not Inactive',
      );
      await h.sleep(31 * DAY);
      const inactive = await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt));
      assert.equal(inactive.body.status, 'Inactive');
      assert.equal(
        (await h.api.post(`/v1/accounts/${id}/reactivation`).set(as(TOKENS.pharmacy))).status,
        403,
      );
      const reactivated = await h.api.post(`/v1/accounts/${id}/reactivation`).set(as(TOKENS.gstt));
      assert.equal(reactivated.status, 200);
      assert.equal(reactivated.body.status, 'Active');
      await h.sleep(61 * DAY);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt))).body.status, 'Deleted');
      assert.equal(
        (await h.api.get('/v1/accounts?status=Deleted').set(as(TOKENS.gstt))).body.items.length >= 1,
        true,
      );
      assert.equal(
        (await h.api.post(`/v1/accounts/${id}/restoration`).set(as(TOKENS.gstt))).status,
        403,
        'national only',
      );
      const restored = await h.api.post(`/v1/accounts/${id}/restoration`).set(as(TOKENS.national));
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.equal(restored.body.status, 'Inactive');
      assert.equal(
        (await h.api.post(`/v1/accounts/${id}/restoration`).set(as(TOKENS.national))).status,
        409,
        'not deleted',
      );
    });
  });

  it('R32: after the restore window, the account is closed for good: changes answer 409, it can still be read', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activated(h);
      await h.sleep(60 * DAY + HOUR);
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt))).body.status, 'Deleted');
      await h.sleep(31 * DAY);
      for (let i = 0; i < 50; i++) {
        const got = await h.api.get(`/v1/accounts/${id}`).set(as(TOKENS.gstt));
        if (got.body.deletion?.closedAt) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const late = await h.api.post(`/v1/accounts/${id}/restoration`).set(as(TOKENS.national));
      assert.equal(late.status, 409, JSON.stringify(late.body));
      assert.match(late.body.detail, /closed for good/);
      assert.equal(
        (await h.api.put(`/v1/accounts/${id}/notes`).set(as(TOKENS.gstt)).send({ notes: 'x' })).status,
        409,
      );
    });
  });
});
