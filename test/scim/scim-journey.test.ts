import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';
import { engineState, entraUser, scim, untilActive } from './scim-client';

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
      const state = await engineState(h, id);
      assert.equal(state.status, 'Leaver', 'R28: marked as a leaver');
      assert.ok(state.leaverWindowEndsAt);

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
