import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';

describe('API: reference data, health and description', () => {
  it('R9, R10: lists the organisations a caller may choose, with units and sites, and the clinical lists', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const mine = await h.api.get('/v1/reference/organisations').set(bearer(TOKENS.gstt));
      assert.equal(mine.status, 200);
      assert.deepEqual(
        mine.body.map((o: { code: string }) => o.code),
        ['RJ1'],
      );
      const gstt = mine.body[0];
      assert.deepEqual(Object.keys(gstt).sort(), [
        'code',
        'connectorManaged',
        'emailDomains',
        'kind',
        'name',
        'nasManaged',
        'sites',
        'units',
      ]);
      assert.ok(
        gstt.units.some((u: { children?: unknown[] }) => (u.children ?? []).length > 0),
        'a unit tree',
      );
      const all = await h.api.get('/v1/reference/organisations').set(bearer(TOKENS.national));
      const kinds = new Set(all.body.map((o: { kind: string }) => o.kind));
      for (const kind of [
        'NHS trust',
        'GP practice',
        'Community pharmacy',
        'Optometry practice',
        'Dental practice',
      ]) {
        assert.ok(kinds.has(kind), kind);
      }
      assert.ok(
        all.body.filter((o: { nasManaged: boolean }) => o.nasManaged).length >= 3,
        'PODS organisations',
      );
      for (const list of ['specialities', 'roles', 'work-areas']) {
        const res = await h.api.get(`/v1/reference/${list}`).set(bearer(TOKENS.gstt));
        assert.equal(res.status, 200);
        assert.ok(
          res.body.length > 0 && res.body.every((i: { code: string; name: string }) => i.code && i.name),
        );
      }
      assert.equal((await h.api.get('/v1/reference/roles')).status, 401);
      assert.equal((await h.api.get('/v1/reference/roles').set(bearer(TOKENS.identity))).status, 403, 'R1');
    });
  });

  it('answers health, readiness and the OpenAPI description without a token', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      assert.equal((await h.api.get('/healthz')).status, 200);
      const ready = await h.api.get('/readyz');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { temporal: true, worker: true });
      const doc = await h.api.get('/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.body.openapi, '3.1.0');
      const create = doc.body.paths['/v1/accounts'].post;
      const { $ref } = create.requestBody.content['application/json'].schema;
      const schema = doc.body.components.schemas[$ref.replace('#/components/schemas/', '')];
      assert.deepEqual(schema.required, ['title', 'firstName', 'lastName', 'emailAlias', 'organisation']);
      assert.equal(schema.additionalProperties, false);
      assert.ok(doc.body.paths['/v1/accounts/{id}/mfa-exceptions'].post);
      const unknown = await h.api.get('/v2/nothing');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.type, 'application/problem+json');
    });
  });

  it('refuses a body that is not JSON, or too large, with a problem answer', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const broken = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'application/json')
        .send('{"title":');
      assert.equal(broken.status, 400);
      assert.equal(broken.body.errors[0].path, '(body)');
      const huge = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .send({ notes: 'x'.repeat(100_000) });
      assert.equal(huge.status, 413);
      assert.equal(h.starts(), 0);
    });
  });
});
