import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

describe('API: caching', () => {
  it('security: every answer under /v1 and /codec, errors included, is Cache-Control: no-store, with no ETag to revalidate by', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201);
      assert.ok(created.body.temporaryPassword, 'the answer that shows the temporary password');
      const answers = {
        create: created,
        account: await h.api.get(`/v1/accounts/${created.body.id}`).set(bearer(TOKENS.gstt)),
        history: await h.api.get(`/v1/accounts/${created.body.id}/history`).set(bearer(TOKENS.gstt)),
        list: await h.api.get('/v1/accounts').set(bearer(TOKENS.gstt)),
        reference: await h.api.get('/v1/reference/organisations').set(bearer(TOKENS.gstt)),
        unauthenticated: await h.api.get('/v1/accounts'),
        forbidden: await h.api.get(`/v1/accounts/${created.body.id}`).set(bearer(TOKENS.pharmacy)),
        invalid: await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send({}),
        codec: await h.api.post('/codec/decode').set(bearer(TOKENS.national)).send({ payloads: [] }),
        codecRefused: await h.api.post('/codec/decode').send({ payloads: [] }),
        unknownRoute: await h.api.get('/portal/accounts'),
      };
      for (const [name, res] of Object.entries(answers)) {
        assert.equal(res.headers['cache-control'], 'no-store', `${name} (${res.status})`);
        assert.equal(res.headers.etag, undefined, `${name} (${res.status}) has no ETag`);
      }
    });
  });
});
