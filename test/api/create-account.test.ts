import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

describe('API: POST /v1/accounts', () => {
  it('R3, R5, R11, R13: creates a Pending account with its address, display name and a temporary password shown once', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson({ firstName: 'Zoë', lastName: "O'Neil-Brown" });
      const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.status, 'Pending');
      assert.equal(res.body.displayName, "Zoë O'Neil-Brown");
      assert.match(res.body.email, /^zoe\.oneil-brown\d*@nhs\.net$/);
      assert.equal(res.body.id, res.body.email);
      assert.equal(res.headers.location, `/v1/accounts/${encodeURIComponent(res.body.email)}`);
      assert.ok(res.body.temporaryPassword.length >= 12);
      assert.ok(
        (await h.platform.inspect(res.body.id)).passwordMatches(res.body.temporaryPassword),
        'set on the account',
      );

      const got = await h.api.get(`/v1/accounts/${res.body.id}`).set(bearer(TOKENS.gstt));
      assert.equal(got.status, 200);
      assert.equal(got.body.status, 'Pending');
      assert.equal(got.body.profile.mobile, `+44${person.mobile.slice(1)}`, 'mobile stored in E.164');
      assert.equal(JSON.stringify(got.body).includes(res.body.temporaryPassword), false, 'never shown again');
    });
  });

  it('R4, R3: a body missing every mandatory field gets one error per field, all at once, and creates nothing', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send({});
      assert.equal(res.status, 400);
      assert.equal(res.type, 'application/problem+json');
      assert.deepEqual(
        res.body.errors.map((e: { path: string }) => e.path),
        ['title', 'firstName', 'lastName', 'emailAlias', 'organisation'],
      );
      assert.equal(h.starts(), 0);
    });
  });

  it('R3, R7, R9, R10, R5: each field at fault is named: names, mobile, codes, unit, site, alias, display name', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send(
          newPerson({
            firstName: 'J0hn!',
            lastName: 'Smith  Jones',
            mobile: '+33 6 12 34 56 78',
            telephone: '12',
            clinicalSpecialities: ['300', '999'],
            clinicalRoles: ['R8000', 'NOPE'],
            workAreas: ['WA-ED', 'WA-NOWHERE'],
            organisationalUnit: 'RRV-ONC',
            site: 'RRV-UCH',
            emailAlias: 'gmail.com',
            displayName: 'Dr Who',
          }),
        );
      assert.equal(res.status, 400);
      const byPath = Object.fromEntries(
        res.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
      );
      assert.deepEqual(Object.keys(byPath).sort(), [
        'clinicalRoles.1',
        'clinicalSpecialities.1',
        'displayName',
        'emailAlias',
        'firstName',
        'lastName',
        'mobile',
        'organisationalUnit',
        'site',
        'telephone',
        'workAreas.1',
      ]);
      assert.match(byPath.mobile, /UK mobile/);
      assert.match(byPath.firstName, /letters or numbers/);
      assert.match(byPath.displayName, /first and last name/);
      assert.match(byPath['clinicalRoles.1'], /Unknown clinical role code "NOPE"/);
      assert.equal(h.starts(), 0, 'nothing started');
      assert.equal((await h.directory.search({ q: 'j0hn', limit: 5 })).entries.length, 0, 'nothing reserved');
    });
  });

  it('R10: duplicate codes in a list are collapsed', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send(newPerson({ clinicalRoles: ['R8000', 'R8003', 'R8000'] }));
      assert.equal(res.status, 201);
      const got = await h.api.get(`/v1/accounts/${res.body.id}`).set(bearer(TOKENS.gstt));
      assert.deepEqual(got.body.profile.clinicalRoles, ['R8000', 'R8003']);
    });
  });

  it('R6, R8: contact numbers are optional; without a mobile the answer warns that registration needs one', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { mobile: _m, ...person } = newPerson();
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send({ ...person, jobTitle: undefined });
      assert.equal(res.status, 201);
      assert.ok(res.body.warnings.some((w: string) => w.includes('UK mobile')));
    });
  });

  it('R27: an account of a connector-managed organisation is created with a warning', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.uclhManchester))
        .send(newPerson({ organisation: 'R0A', site: 'R0A-MRI', organisationalUnit: 'R0A-PAED' }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.ok(res.body.warnings.some((w: string) => w.includes('connector managed')));
    });
  });

  it('R12: the same mobile number is a certain duplicate: 409 with the existing account and the joiner route', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson();
      const first = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(first.status, 201);
      const again = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send({ ...person, firstName: 'Other', confirmNotDuplicate: true });
      assert.equal(again.status, 409);
      assert.equal(again.body.existing.id, first.body.id);
      assert.match(again.body.detail, /marks it as a leaver \(POST \S+\/leaver\).*\(POST \S+\/joiner\)/);
      assert.equal(h.starts(), 1);
    });
  });

  it('R12, R11: the same name is a possible duplicate until confirmed; then the next address is used', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson();
      const first = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      const { mobile: _m, ...sameName } = person;
      const possible = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(sameName);
      assert.equal(possible.status, 409);
      assert.deepEqual(
        possible.body.candidates.map((c: { id: string }) => c.id),
        [first.body.id],
      );
      const confirmed = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send({ ...sameName, confirmNotDuplicate: true });
      assert.equal(confirmed.status, 201);
      assert.equal(confirmed.body.email, first.body.email.replace('@', '1@'));
    });
  });

  it('R12, R1: a same-mobile duplicate in another organisation is reported without its id, name or organisation', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const elsewhere = newPerson({ organisation: 'R0A', site: undefined, organisationalUnit: undefined });
      const first = await h.api.post('/v1/accounts').set(bearer(TOKENS.uclhManchester)).send(elsewhere);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const probe = { ...newPerson(), mobile: elsewhere.mobile };
      const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(probe);
      assert.equal(res.status, 409);
      assert.equal(res.body.existing, undefined);
      assert.equal(res.body.existingInAnotherOrganisation, true);
      assert.match(res.body.detail, /GET \/v1\/leavers and accept them as a joiner/);
      assert.match(res.body.detail, /national administrator/);
      const text = JSON.stringify(res.body);
      for (const leak of [first.body.id, elsewhere.lastName, 'R0A', 'Manchester']) {
        assert.ok(!text.includes(leak), `the answer shows ${leak}`);
      }
      const national = await h.api.post('/v1/accounts').set(bearer(TOKENS.national)).send(probe);
      assert.equal(national.status, 409);
      assert.equal(national.body.existing.id, first.body.id, 'a national administrator is told which');
      assert.equal(h.starts(), 1);
    });
  });

  it('R12, R1: possible duplicates list only accounts the caller administers, and count the others', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { mobile: _m, ...person } = newPerson();
      const elsewhere = { ...person, organisation: 'R0A', site: undefined, organisationalUnit: undefined };
      const other = await h.api.post('/v1/accounts').set(bearer(TOKENS.uclhManchester)).send(elsewhere);
      assert.equal(other.status, 201, JSON.stringify(other.body));
      const own = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send({ ...person, confirmNotDuplicate: true });
      assert.equal(own.status, 201);
      const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(res.status, 409);
      assert.deepEqual(
        res.body.candidates.map((c: { id: string }) => c.id),
        [own.body.id],
      );
      assert.equal(res.body.otherCandidates, 1);
      assert.match(res.body.detail, /1 of them in organisations you do not administer/);
      assert.ok(!JSON.stringify(res.body).includes(other.body.id), 'the other account is not named');
      assert.ok(!JSON.stringify(res.body).includes('R0A'));
      const national = await h.api.post('/v1/accounts').set(bearer(TOKENS.national)).send(person);
      assert.equal(national.body.candidates.length, 2);
      assert.equal(national.body.otherCandidates, 0);
    });
  });

  it('R1: a local administrator cannot create in an organisation they do not administer, and nothing is created', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.pharmacy))
        .send(newPerson({ organisation: 'RJ1' }));
      assert.equal(res.status, 403);
      assert.equal(h.starts(), 0);
      const platform = await h.api.post('/v1/accounts').set(bearer(TOKENS.identity)).send(newPerson());
      assert.equal(platform.status, 403, 'the identity platform cannot create accounts');
      const national = await h.api.post('/v1/accounts').set(bearer(TOKENS.national)).send(newPerson());
      assert.equal(national.status, 201, 'a national administrator can create anywhere');
    });
  });

  it('R1: no token, or an unknown one, is 401', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const none = await h.api.post('/v1/accounts').send(newPerson());
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      const unknown = await h.api.get('/v1/accounts').set(bearer('not-a-real-token-at-all'));
      assert.equal(unknown.status, 401);
      assert.equal(h.starts(), 0);
    });
  });

  it('R16: a failed provisioning can be retried through the API, with a new temporary password', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      h.platform.settings.mailboxDelayMs = null;
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      const early = await h.api
        .post(`/v1/accounts/${created.body.id}/provisioning-retries`)
        .set(bearer(TOKENS.gstt));
      assert.equal(early.status, 409, 'nothing to retry yet');
      await h.sleep(72 * HOUR + 30 * MINUTE);
      const retried = await h.api
        .post(`/v1/accounts/${created.body.id}/provisioning-retries`)
        .set(bearer(TOKENS.gstt));
      assert.equal(retried.status, 201);
      assert.equal(retried.body.status, 'Pending');
      assert.notEqual(retried.body.temporaryPassword, created.body.temporaryPassword);
      assert.ok((await h.platform.inspect(created.body.id)).passwordMatches(retried.body.temporaryPassword));
    });
  });
});
