import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS } from '../../src/http/rate-limit';
import { TOKENS, apiHarness, bearer, type ApiHarness } from '../helpers/api-harness';
import { ENGINE, engineState, ENTERPRISE, entraUser, scim, SCIM_TOKEN, USER } from './scim-client';

const filtered = (h: ApiHarness, filter: string, extra = '') =>
  scim(h).get(`/Users?filter=${encodeURIComponent(filter)}${extra}`);

/** Creates one user of `family` for each given name, through the feed; their ids in that order. */
async function usersOf(h: ApiHarness, family: string, givens: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const given of givens) {
    const res = await scim(h).post(
      '/Users',
      entraUser({ name: { givenName: given, familyName: family, honorificPrefix: 'Ms' } }),
    );
    assert.equal(res.status, 201, res.text);
    ids.push(res.body.id);
  }
  return ids;
}

describe('R33: the SCIM protocol (RFC 7644)', () => {
  it('R33: filters on userName, externalId, emails.value, names, active and meta.lastModified are evaluated by the directory, with and/or/not and paging', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const family = `Filterson${process.pid}`;
      const ids = await usersOf(h, family, ['Alma', 'Bea', 'Cleo']);
      const byFamily = await filtered(h, `name.familyName eq "${family.toUpperCase()}"`);
      assert.equal(byFamily.body.totalResults, 3, 'names compare without regard to case');
      const page = await filtered(h, `name.familyName eq "${family}"`, '&startIndex=2&count=1');
      assert.equal(page.body.totalResults, 3);
      assert.equal(page.body.startIndex, 2);
      assert.equal(page.body.itemsPerPage, 1);
      assert.equal(page.body.Resources[0].id, [...ids].sort()[1], 'the second in address order');
      assert.equal((await filtered(h, `userName eq "${ids[0]}"`)).body.totalResults, 1);
      assert.equal((await filtered(h, `emails[value eq "${ids[1]}"]`)).body.totalResults, 1);
      assert.equal((await filtered(h, `emails.value co "${family.toLowerCase()}"`)).body.totalResults, 3);
      const two = await filtered(
        h,
        `name.familyName eq "${family}" and (name.givenName sw "A" or name.givenName ew "o")`,
      );
      assert.equal(two.body.totalResults, 2);
      const notAlma = await filtered(h, `name.familyName eq "${family}" and not (name.givenName eq "Alma")`);
      assert.equal(notAlma.body.totalResults, 2);
      assert.equal(
        (await filtered(h, `name.familyName eq "${family}" and active eq true`)).body.totalResults,
        3,
      );
      assert.equal(
        (await filtered(h, `name.familyName eq "${family}" and active eq false`)).body.totalResults,
        0,
      );
      assert.equal(
        (await filtered(h, `name.familyName eq "${family}" and externalId pr`)).body.totalResults,
        3,
      );
      const since = await filtered(
        h,
        `name.familyName eq "${family}" and meta.lastModified ge "2000-01-01T00:00:00Z"`,
      );
      assert.equal(since.body.totalResults, 3);
      const future = await filtered(
        h,
        `name.familyName eq "${family}" and meta.lastModified gt "2999-01-01T00:00:00Z"`,
      );
      assert.equal(future.body.totalResults, 0);
      const search = await scim(h).post('/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: `name.familyName eq "${family}"`,
        attributes: ['userName'],
        count: 2,
      });
      assert.equal(search.status, 200, search.text);
      assert.equal(search.body.totalResults, 3);
      assert.equal(search.body.Resources.length, 2);
      assert.deepEqual(Object.keys(search.body.Resources[0]).sort(), ['id', 'meta', 'schemas', 'userName']);
      const unknown = await filtered(h, 'title eq "x"');
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.scimType, 'invalidFilter');
      const broken = await filtered(h, 'userName eq');
      assert.equal(broken.status, 400);
      assert.equal(broken.body.scimType, 'invalidFilter');
    });
  });

  it('R33: ETag and If-Match: a stale version answers 412 and changes nothing; attributes and excludedAttributes choose what is returned', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const created = await scim(h).post('/Users', entraUser());
      const path = `/Users/${encodeURIComponent(created.body.id)}`;
      const etag = created.headers.etag as string;
      assert.equal(etag, created.body.meta.version);
      const changed = await scim(h)
        .patch(path, [{ op: 'replace', path: 'title', value: 'Nurse' }])
        .set('If-Match', etag);
      assert.equal(changed.status, 200, changed.text);
      assert.notEqual(changed.headers.etag, etag);
      const stale = await scim(h)
        .patch(path, [{ op: 'replace', path: 'title', value: 'Doctor' }])
        .set('If-Match', etag);
      assert.equal(stale.status, 412, stale.text);
      assert.equal((await scim(h).get(path)).body.title, 'Nurse', 'nothing changed');
      const whole = await scim(h).patch(path, [
        {
          op: 'replace',
          path: ENTERPRISE,
          value: { schemas: [ENTERPRISE], employeeNumber: 'ESR-77', department: 'RJ1-ED' },
        },
      ]);
      assert.equal(whole.status, 200, whole.text);
      assert.deepEqual(
        whole.body[ENTERPRISE],
        { schemas: [ENTERPRISE], organization: 'RJ1', employeeNumber: 'ESR-77', department: 'RJ1-ED' },
        'a whole extension patched',
      );
      const some = await scim(h).get(`${path}?attributes=name.givenName,${ENGINE}:status`);
      assert.deepEqual(Object.keys(some.body).sort(), ['id', 'meta', 'name', 'schemas', ENGINE].sort());
      assert.deepEqual(Object.keys(some.body.name), ['givenName']);
      assert.deepEqual(Object.keys(some.body[ENGINE]), ['status']);
      const less = await scim(h).get(`${path}?excludedAttributes=phoneNumbers,${ENGINE}`);
      assert.equal(less.body.phoneNumbers, undefined);
      assert.equal(less.body[ENGINE], undefined);
      assert.ok(less.body.userName);
      const config = await scim(h).get('/ServiceProviderConfig');
      assert.equal(config.body.etag.supported, true);
      assert.equal(config.body.bulk.supported, false);
      assert.equal((await scim(h).get('/Groups')).status, 404, 'no Group resource');
      assert.equal(
        (await h.api.post('/scim/v2/Schemas').set({ Authorization: `Bearer ${SCIM_TOKEN}` })).status,
        405,
      );
    });
  });

  it("R33, R28: the schemas declare what every user has (active, organization, emailAlias, the enterprise and engine extensions) required and the engine extension's status attributes read only (returned when asked for); a PATCH removing the one or touching the other answers 400; a PUT holding them ignores them and changes nothing; a body not JSON, 415", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const types = await scim(h).get('/ResourceTypes/User');
      assert.deepEqual(types.body.schemaExtensions, [
        { schema: ENTERPRISE, required: true },
        { schema: ENGINE, required: true },
      ]);
      assert.deepEqual(
        (await scim(h).get('/Schemas')).body.Resources.map((s: { id: string }) => s.id).sort(),
        [ENGINE, ENTERPRISE, USER].sort(),
        'no schema but the three a user has',
      );
      const schemas = (await scim(h).get('/Schemas')).body.Resources as {
        id: string;
        attributes: { name: string; required: boolean; mutability: string }[];
      }[];
      const attribute = (id: string, name: string) =>
        schemas.find((s) => s.id === id)!.attributes.find((a) => a.name === name)!;
      assert.equal(attribute(USER, 'active').required, true);
      assert.equal(attribute(ENTERPRISE, 'organization').required, true);
      assert.equal(attribute(ENGINE, 'emailAlias').required, true);
      const readOnly = ['status', 'pendingGates', 'canSendEmail', 'leaverWindowEndsAt', 'mfaException'];
      for (const name of [...readOnly, 'restorableUntil', 'pendingChanges'])
        assert.equal(attribute(ENGINE, name).mutability, 'readOnly', name);
      // A create may still leave them out: active, the organisation and the domain have their defaults.
      const { active: _active, [ENTERPRISE]: _enterprise, ...bare } = entraUser();
      const user = (await scim(h).post('/Users', bare)).body;
      assert.equal(user.active, true);
      assert.equal(user[ENTERPRISE].organization, 'RJ1');
      const path = `/Users/${encodeURIComponent(user.id)}`;
      const refusals: [unknown, string, RegExp][] = [
        [{ op: 'remove', path: 'active' }, 'invalidValue', /active is required .*false marks a leaver/],
        [{ op: 'replace', path: 'active', value: null }, 'invalidValue', /active is required/],
        [{ op: 'remove', path: `${USER}:active` }, 'invalidValue', /active is required/],
        [{ op: 'remove', path: 'name.givenName' }, 'invalidValue', /name\.givenName is required/],
        [{ op: 'remove', path: ENTERPRISE }, 'invalidValue', /required extension/],
        [{ op: 'remove', path: ENGINE }, 'invalidValue', /required extension/],
        [{ op: 'remove', path: `${ENTERPRISE}:organization` }, 'invalidValue', /organization is required/],
        [{ op: 'remove', path: `${ENGINE}:emailAlias` }, 'invalidValue', /emailAlias is required/],
        [{ op: 'replace', path: `${ENGINE}:status`, value: 'Active' }, 'mutability', /:status is read only/],
        [{ op: 'remove', path: `${ENGINE}:pendingGates` }, 'mutability', /:pendingGates is read only/],
        [{ op: 'add', path: `${ENGINE}:canSendEmail`, value: true }, 'mutability', /read only/],
        [
          { op: 'replace', path: `${ENGINE}:mfaException.term`, value: 'long' },
          'mutability',
          /:mfaException is read only/,
        ],
      ];
      for (const [operation, scimType, detail] of refusals) {
        const res = await scim(h).patch(path, [{ op: 'replace', path: 'title', value: 'Matron' }, operation]);
        assert.equal(res.status, 400, `${JSON.stringify(operation)}: ${res.text}`);
        assert.equal(res.body.scimType, scimType, JSON.stringify(operation));
        assert.match(res.body.detail, detail);
      }
      const after = (await scim(h).get(path)).body;
      assert.equal(after.active, true);
      assert.equal(after.title, 'Staff Nurse', 'nothing changed, not even the operation before');
      assert.equal(after[ENTERPRISE].organization, 'RJ1');
      const { meta: _meta, ...echoed } = after;
      assert.equal(after[ENGINE].status, undefined, 'the state is returned only when asked for');
      const state = await engineState(h, user.id);
      assert.equal(state.status, 'Pending');
      assert.ok(state.pendingGates.length > 0);
      const put = await scim(h).put(path, {
        ...echoed,
        [ENGINE]: { ...after[ENGINE], status: 'Leaver', canSendEmail: true, pendingGates: [] },
      });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(
        await engineState(h, user.id),
        state,
        'a PUT echoing the user with its read-only attributes changed ignores them (RFC 7644 3.5.1)',
      );
      const form = await h.api
        .patch(`/scim/v2${path}`)
        .set(bearer(SCIM_TOKEN))
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('active=false');
      assert.equal(form.status, 415, "a body that is not JSON is refused, in SCIM's shape");
      assert.equal(form.body.status, '415');
      const leaver = await scim(h).patch(path, [{ op: 'replace', path: 'active', value: false }]);
      assert.equal(leaver.status, 200, leaver.text);
      assert.equal(leaver.body.active, false, 'a leaver is marked by active: false (R28)');
    });
  });

  it("R33: a SCIM client has a rate limit of its own (RATE_LIMIT_SCIM_PER_MINUTE), answered 429 in SCIM's shape", async () => {
    const h = await apiHarness({ rateLimits: { ...DEFAULT_RATE_LIMITS, scimPerClientPerMinute: 2 } });
    await h.run(async () => {
      assert.equal((await scim(h).get('/ServiceProviderConfig')).status, 200);
      assert.equal((await scim(h).get('/ServiceProviderConfig')).status, 200);
      const third = await scim(h).get('/ServiceProviderConfig');
      assert.equal(third.status, 429, third.text);
      assert.equal(third.body.status, '429');
      assert.ok(third.headers['retry-after'] || third.headers['ratelimit'], 'says when to come back');
      const admin = await h.api.get('/v1/reference/roles').set(bearer(TOKENS.gstt));
      assert.equal(admin.status, 200, "the administrators' limit is their own");
    });
  });

  it('R33, R32: a list is answered when an account it finds in the directory was deleted a moment ago (the directory not yet told): that account is left out', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const family = `Lagson${process.pid}`;
      const ids = await usersOf(h, family, ['Ada', 'Bo', 'Cy']);
      const [kept, deleted] = [ids[0]!, ids[1]!];
      const before = await h.directory.get(deleted);
      assert.ok(before);
      assert.equal((await scim(h).delete(`/Users/${encodeURIComponent(deleted)}`)).status, 204);
      for (let i = 0; (await h.directory.locate(deleted))?.status !== 'Deleted'; i++) {
        assert.ok(i < 100, 'the directory is told of the deletion');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The directory as it was a moment before it heard: the lifecycle has Deleted, the directory not yet.
      await h.directory.upsert(before);

      const list = await filtered(h, `name.familyName eq "${family}"`);
      assert.equal(list.status, 200, list.text);
      const listed = (list.body.Resources as { id: string }[]).map((r) => r.id);
      assert.deepEqual(listed, ids.filter((id) => id !== deleted).sort());
      assert.ok(listed.includes(kept));
      assert.equal(list.body.totalResults, 2, 'the total counts what is there');
      assert.equal((await scim(h).get(`/Users/${encodeURIComponent(deleted)}`)).status, 404);
    });
  });
});
