import assert from 'node:assert/strict';
import { DAY } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, type ApiHarness } from '../helpers/api-harness';
import { ENGINE, engineState, ENTERPRISE, entraUser, scim, SCIM_TOKEN, untilActive } from './scim-client';

const at = (id: string) => `/Users/${encodeURIComponent(id)}`;

async function created(h: ApiHarness, overrides: Record<string, unknown> = {}) {
  const res = await scim(h).post('/Users', entraUser(overrides));
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const adminView = async (h: ApiHarness, id: string) =>
  (await h.api.get(`/v1/accounts/${encodeURIComponent(id)}`).set(bearer(TOKENS.gstt))).body;

describe('R33: the SCIM mapping (docs/scim.md), one test per row', () => {
  it('R11, R33: userName is required at a create, the answer holds the address R11 allocates, and a replace cannot change it', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { userName: _u, ...without } = entraUser();
      const missing = await scim(h).post('/Users', without);
      assert.equal(missing.status, 400, missing.text);
      assert.equal(missing.body.scimType, 'invalidValue');
      assert.match(missing.body.detail, /userName is required/);
      const user = await created(h, { userName: 'someone.else@trust.nhs.uk' });
      assert.match(user.userName, /^feeda\.person[a-z]+\d+@nhs\.net$/);
      assert.deepEqual(user.emails, [{ value: user.userName, type: 'work', primary: true }]);
      const renamed = await scim(h).put(at(user.id), {
        ...entraUser(),
        userName: 'x@nhs.net',
        externalId: user.externalId,
      });
      assert.equal(renamed.status, 400, renamed.text);
      assert.equal(renamed.body.scimType, 'mutability');
    });
  });

  it('R3, R5, R4: name.givenName, name.familyName and name.honorificPrefix are the names and Title; displayName follows; a missing Title is named by its SCIM path', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      const view = await adminView(h, user.id);
      assert.equal(view.profile.title, 'Dr');
      assert.equal(view.profile.firstName, user.name.givenName);
      assert.equal(view.profile.lastName, user.name.familyName);
      assert.equal(user.displayName, `${user.name.givenName} ${user.name.familyName}`);
      const body = entraUser();
      const noTitle = await scim(h).post('/Users', {
        ...body,
        name: { givenName: 'Ann', familyName: 'Other' },
      });
      assert.equal(noTitle.status, 400, noTitle.text);
      assert.match(noTitle.body.detail, /name\.honorificPrefix: Title is required/);
    });
  });

  it('R3, R25: SCIM title is the job title', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h, { title: 'Ward Sister' });
      assert.equal(user.title, 'Ward Sister');
      assert.equal((await adminView(h, user.id)).profile.jobTitle, 'Ward Sister');
    });
  });

  it('R6, R7: phoneNumbers by type are the mobile, telephone, pager and fax; another type is refused, naming it', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const mobile = entraUser().phoneNumbers[0]!.value;
      const user = await created(h, {
        phoneNumbers: [
          { type: 'mobile', value: mobile },
          { type: 'work', value: '020 7188 7188' },
          { type: 'pager', value: '020 7188 7189' },
          { type: 'fax', value: '020 7188 7190' },
        ],
      });
      const profile = (await adminView(h, user.id)).profile;
      assert.ok(profile.mobile && profile.telephone && profile.pager && profile.fax, JSON.stringify(profile));
      assert.deepEqual(
        (user.phoneNumbers as { type: string }[]).map((p) => p.type),
        ['mobile', 'work', 'pager', 'fax'],
      );
      const removed = await scim(h).patch(at(user.id), [{ op: 'remove', path: 'phoneNumbers' }]);
      assert.equal(removed.status, 200, removed.text);
      assert.equal(
        removed.body.phoneNumbers,
        undefined,
        'a remove of phoneNumbers clears them (held while Pending)',
      );
      const home = await scim(h).post(
        '/Users',
        entraUser({ phoneNumbers: [{ type: 'home', value: '020 7188 7188' }] }),
      );
      assert.equal(home.status, 400, home.text);
      assert.match(home.body.detail, /phoneNumbers type must be mobile, work, pager or fax/);
      const bad = await scim(h).post(
        '/Users',
        entraUser({ phoneNumbers: [{ type: 'mobile', value: '020 7188 7188' }] }),
      );
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.body.detail, /phoneNumbers\[type eq "mobile"\]\.value: .*UK mobile/);
    });
  });

  it("R12: a same-name person needs the extension's confirmNotDuplicate; the same mobile is a duplicate", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const first = await created(h);
      const twin = entraUser({ name: first.name });
      const refused = await scim(h).post('/Users', twin);
      assert.equal(refused.status, 409, refused.text);
      assert.match(refused.body.detail, /confirmNotDuplicate/);
      const confirmed = await scim(h).post('/Users', { ...twin, [ENGINE]: { confirmNotDuplicate: true } });
      assert.equal(confirmed.status, 201, confirmed.text);
      assert.notEqual(confirmed.body.userName, first.userName);
      const sameMobile = await scim(h).post('/Users', entraUser({ phoneNumbers: first.phoneNumbers }));
      assert.equal(sameMobile.status, 409, sameMobile.text);
    });
  });

  it('R33: externalId is unique in the organisation: a replace to a key in use answers 409 uniqueness', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const a = await created(h);
      const b = await created(h);
      const taken = await scim(h).patch(at(b.id), [
        { op: 'replace', path: 'externalId', value: a.externalId },
      ]);
      assert.equal(taken.status, 409, taken.text);
      assert.equal(taken.body.scimType, 'uniqueness');
      const moved = await scim(h).patch(at(b.id), [
        { op: 'replace', path: 'externalId', value: 'ESR-NEW-KEY' },
      ]);
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.externalId, 'ESR-NEW-KEY');
    });
  });

  it('R9, R33: the enterprise extension: employeeNumber is the ESR assignment number, organization the ODS code (immutable), department the unit', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      const view = await adminView(h, user.id);
      assert.equal(view.organisation.code, 'RJ1', "the client's only organisation");
      assert.equal(view.profile.organisationalUnit, 'RJ1-CARD-CCU');
      assert.equal(view.profile.esrAssignmentNumber, user[ENTERPRISE].employeeNumber);
      const other = await scim(h).post('/Users', entraUser({ [ENTERPRISE]: { organization: 'RRV' } }));
      assert.equal(other.status, 403, other.text);
      const move = await scim(h).patch(at(user.id), [
        { op: 'replace', path: `${ENTERPRISE}:organization`, value: 'RRV' },
      ]);
      assert.equal(move.status, 400, move.text);
      assert.equal(move.body.scimType, 'mutability');
      const unit = await scim(h).patch(at(user.id), [
        { op: 'replace', path: `${ENTERPRISE}:department`, value: 'RRV-X' },
      ]);
      assert.equal(unit.status, 400, unit.text);
      assert.match(unit.body.detail, /department/);
    });
  });

  it("R17, R33: an edit while Pending is accepted, shown as pending, and applied once Active; an administrator's is still refused", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      const edited = await scim(h).patch(at(user.id), [{ op: 'replace', path: 'title', value: 'Matron' }]);
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.title, 'Matron', 'shown as it will be');
      const state = await engineState(h, user.id);
      assert.deepEqual(state.pendingChanges, ['jobTitle']);
      assert.equal(state.status, 'Pending');
      assert.notEqual((await adminView(h, user.id)).profile.jobTitle, 'Matron', 'not yet applied');
      const admin = await h.api
        .patch(`/v1/accounts/${encodeURIComponent(user.id)}`)
        .set(bearer(TOKENS.gstt))
        .send({ jobTitle: 'Sister' });
      assert.equal(admin.status, 409, 'R17 still holds for administrators');
      await untilActive(h, user.id);
      const view = await adminView(h, user.id);
      assert.equal(view.profile.jobTitle, 'Matron', 'applied once Active');
      assert.equal(view.heldEdit, null);
    });
  });

  it('R28: active false marks a leaver, true withdraws the mark', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      await untilActive(h, user.id);
      const off = await scim(h).patch(at(user.id), [{ op: 'replace', path: 'active', value: false }]);
      assert.equal(off.status, 200, off.text);
      assert.equal((await engineState(h, user.id)).status, 'Leaver');
      const on = await scim(h).patch(at(user.id), [{ op: 'replace', path: 'active', value: true }]);
      assert.equal(on.status, 200, on.text);
      assert.equal(on.body.active, true);
      assert.equal((await engineState(h, user.id)).status, 'Active');
    });
  });

  it("R28: the extension's leavingDate makes a future-dated leaver, shown on the account; a new date moves it, none withdraws it; a past one is refused", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      await untilActive(h, user.id);
      const now = await h.now();
      const date = new Date(now + 20 * DAY).toISOString();
      const path = `${ENGINE}:leavingDate`;
      const dated = await scim(h).patch(at(user.id), [{ op: 'add', path, value: date }]);
      assert.equal(dated.status, 200, dated.text);
      assert.equal(dated.body.active, true, 'active until the date');
      assert.equal(dated.body[ENGINE].leavingDate, date);
      assert.equal((await adminView(h, user.id)).leaverDue.on, date, 'the API shows it');
      const later = new Date(now + 30 * DAY).toISOString();
      const moved = await scim(h).patch(at(user.id), [{ op: 'replace', path, value: later }]);
      assert.equal(moved.body[ENGINE].leavingDate, later);
      const cleared = await scim(h).patch(at(user.id), [{ op: 'remove', path }]);
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal(cleared.body[ENGINE].leavingDate, undefined);
      assert.equal((await adminView(h, user.id)).leaverDue, null, 'withdrawn');
      const past = await scim(h).patch(at(user.id), [
        { op: 'add', path, value: new Date(now - DAY).toISOString() },
      ]);
      assert.equal(past.status, 409, past.text);
      assert.match(past.body.detail, /has passed/);
    });
  });

  it('R32: DELETE is the restorable deletion; the user then answers 404 on SCIM, and a restore brings it back', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const user = await created(h);
      await untilActive(h, user.id);
      assert.equal((await scim(h).delete(at(user.id))).status, 204);
      assert.equal((await scim(h).get(at(user.id))).status, 404);
      assert.equal((await scim(h).delete(at(user.id))).status, 404);
      const restored = await h.api
        .post(`/v1/accounts/${encodeURIComponent(user.id)}/restoration`)
        .set(bearer(TOKENS.national));
      assert.equal(restored.status, 200, restored.text);
      const back = await scim(h).get(at(user.id));
      assert.equal(back.status, 200, back.text);
      assert.equal((await engineState(h, user.id)).status, 'Active');
    });
  });

  it("R1, R33: a SCIM client is refused on /v1, administrators on /scim/v2, an unknown token is 401, and another organisation's account is not the feed's", async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const v1 = await h.api.get('/v1/accounts').set(bearer(SCIM_TOKEN));
      assert.equal(v1.status, 403, v1.text);
      assert.match(v1.body.detail, /SCIM client may only call \/scim\/v2/);
      const create = await h.api.post('/v1/accounts').set(bearer(SCIM_TOKEN)).send({});
      assert.equal(create.status, 403);
      const admin = await h.api.get('/scim/v2/Users').set(bearer(TOKENS.national));
      assert.equal(admin.status, 403, admin.text);
      assert.deepEqual(admin.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      const unknown = await h.api.get('/scim/v2/Users').set(bearer('not-a-known-token-at-all'));
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.status, '401');
      const elsewhere = await h.api.post('/v1/accounts').set(bearer(TOKENS.uclhManchester)).send({
        title: 'Dr',
        firstName: 'Other',
        lastName: 'Trust',
        emailAlias: 'nhs.net',
        organisation: 'RRV',
      });
      assert.equal(elsewhere.status, 201, elsewhere.text);
      const seen = await scim(h).get(at(elsewhere.body.id));
      assert.equal(seen.status, 403, seen.text);
      const listed = await scim(h).get(
        `/Users?filter=${encodeURIComponent(`userName eq "${elsewhere.body.id}"`)}`,
      );
      assert.equal(listed.body.totalResults, 0, 'not in its searches');
    });
  });
});
