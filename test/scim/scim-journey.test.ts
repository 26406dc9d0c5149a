import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, type ApiHarness } from '../helpers/api-harness';

/** The demo SCIM client of RJ1 (config/dev-principals.json). */
export const SCIM_TOKEN = 'dev-scim-client-gstt-0006';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ENGINE = 'urn:nhs:params:scim:schemas:extension:nhsmail:2.0:User';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let people = 0;
/** An Entra ID-shaped create: userName its UPN, the names, a job title, a work phone and a mobile. */
export function entraUser(overrides: Record<string, unknown> = {}) {
  const n = ++people;
  const letters = String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + (Math.floor(n / 26) % 26));
  return {
    schemas: [USER, ENTERPRISE],
    externalId: `ESR-${process.pid}-${n}`,
    userName: `feed.person${letters}@gstt.nhs.uk`,
    active: true,
    name: { givenName: 'Feeda', familyName: `Person${letters}${n}`, honorificPrefix: 'Dr' },
    title: 'Staff Nurse',
    phoneNumbers: [{ type: 'mobile', value: `074003${String(n % 100000).padStart(5, '0')}` }],
    [ENTERPRISE]: { employeeNumber: `1234567${n}`, department: 'RJ1-CARD-CCU' },
    ...overrides,
  };
}

export const scim = (h: ApiHarness) => ({
  post: (path: string, body: unknown) =>
    h.api
      .post(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(body)),
  get: (path: string) => h.api.get(`/scim/v2${path}`).set(bearer(SCIM_TOKEN)),
  put: (path: string, body: unknown) =>
    h.api
      .put(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(body)),
  patch: (path: string, operations: unknown[]) =>
    h.api
      .patch(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ schemas: [PATCH], Operations: operations })),
  delete: (path: string) => h.api.delete(`/scim/v2${path}`).set(bearer(SCIM_TOKEN)),
});

export async function untilActive(h: ApiHarness, id: string): Promise<void> {
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    const res = await scim(h).get(`/Users/${encodeURIComponent(id)}`);
    if (res.body[ENGINE]?.status === 'Active') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('not Active');
}

describe('R33: SCIM 2.0, an Entra ID-shaped client journey', () => {
  it('R33: POST, PATCH replace of a phone, PATCH active:false, a filter by externalId, DELETE; a repeated POST after a lost answer makes no second account', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const s = scim(h);
      const user = entraUser();
      const created = await s.post('/Users', user);
      assert.equal(created.status, 201, created.text);
      assert.match(String(created.headers['content-type']), /application\/scim\+json/);
      const id = created.body.id as string;
      assert.match(
        created.body.userName,
        /^feeda\.person.*@nhs\.net$/,
        'the address R11 allocates, not the UPN',
      );
      assert.equal(created.body.externalId, user.externalId);
      assert.equal(created.headers.location, `${created.body.meta.location}`);
      assert.ok(created.headers.etag);

      // The answer was lost: the client sends the same POST again.
      const again = await s.post('/Users', user);
      assert.equal(again.status, 409, again.text);
      assert.equal(again.body.scimType, 'uniqueness');
      assert.ok(String(again.body.detail).includes(id), 'the existing id is named');
      const found = await s.get(`/Users?filter=${encodeURIComponent(`externalId eq "${user.externalId}"`)}`);
      assert.equal(found.status, 200, found.text);
      assert.equal(found.body.totalResults, 1, 'one account, never a second');
      assert.equal(found.body.Resources[0].id, id);

      await untilActive(h, id);
      const phone = await s.patch(`/Users/${encodeURIComponent(id)}`, [
        { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '020 7188 7188' },
      ]);
      assert.equal(phone.status, 200, phone.text);
      const work = (phone.body.phoneNumbers as { type: string; value: string }[]).find(
        (p) => p.type === 'work',
      );
      assert.ok(work, 'the work phone is set');
      const admin = await h.api.get(`/v1/accounts/${encodeURIComponent(id)}`).set(bearer(TOKENS.gstt));
      assert.ok(admin.body.profile.telephone, 'the account has the telephone (R25)');

      const leaver = await s.patch(`/Users/${encodeURIComponent(id)}`, [
        { op: 'Replace', path: 'active', value: 'False' },
      ]);
      assert.equal(leaver.status, 200, leaver.text);
      assert.equal(leaver.body.active, false);
      assert.equal(leaver.body[ENGINE].status, 'Leaver', 'R28: marked as a leaver');
      assert.ok(leaver.body[ENGINE].leaverWindowEndsAt);

      const history = await h.api
        .get(`/v1/accounts/${encodeURIComponent(id)}/history`)
        .set(bearer(TOKENS.gstt));
      const byFeed = (history.body.items as { action: string; actor: { name: string } }[]).filter(
        (e) => e.actor.name === 'GSTT ESR feed (SCIM client)',
      );
      assert.ok(byFeed.length >= 3, 'R2: every change audited with the client name');

      const deleted = await s.delete(`/Users/${encodeURIComponent(id)}`);
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal((await s.get(`/Users/${encodeURIComponent(id)}`)).status, 404, 'R32: gone for the feed');
      const afterDelete = await s.get(
        `/Users?filter=${encodeURIComponent(`externalId eq "${user.externalId}"`)}`,
      );
      assert.equal(afterDelete.body.totalResults, 0);
      const national = await h.api.get(`/v1/accounts/${encodeURIComponent(id)}`).set(bearer(TOKENS.national));
      assert.equal(national.body.status, 'Deleted', 'R32: restorable, as every deletion');
    });
  });
});
