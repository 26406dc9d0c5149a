import assert from 'node:assert/strict';
import { IdempotencyKeys } from '../../src/ports/idempotency-keys';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

let keys = 0;
/** A key of this test's own: the harnesses of one run share their store. */
const newKey = () => `shared-key-${process.pid}-${++keys}`;

describe('API: Idempotency-Key belongs to its caller', () => {
  it('Security 20: two administrators sending different notes to one account with the same Idempotency-Key both apply, each answered with its own', async () => {
    const h = await apiHarness();
    const KEY = newKey();
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201);
      const notes = `/v1/accounts/${created.body.id}/notes`;
      const local = await h.api
        .put(notes)
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', KEY)
        .send({ notes: 'Starts on Monday.' });
      assert.equal(local.status, 200, local.text);
      assert.equal(local.body.notes, 'Starts on Monday.');
      const national = await h.api
        .put(notes)
        .set(bearer(TOKENS.national))
        .set('Idempotency-Key', KEY)
        .send({ notes: 'Moved to the coronary care unit.' });
      assert.equal(national.status, 200, national.text);
      assert.equal(national.body.notes, 'Moved to the coronary care unit.', 'applied, not the first answer');

      const account = await h.api.get(`/v1/accounts/${created.body.id}`).set(bearer(TOKENS.gstt));
      assert.equal(account.body.notes, 'Moved to the coronary care unit.');
      const history = await h.api.get(`/v1/accounts/${created.body.id}/history`).set(bearer(TOKENS.gstt));
      const changes = (history.body.items as { action: string; actor: { id: string } }[]).filter((e) =>
        /notes/i.test(e.action),
      );
      assert.deepEqual(
        changes.map((e) => e.actor.id),
        ['alex.admin@nhs.net', 'nas.admin@nhs.net'],
        'two changes, one by each',
      );

      const repeat = await h.api
        .put(notes)
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', KEY)
        .send({ notes: 'Starts on Monday.' });
      assert.equal(repeat.status, 200);
      assert.equal(
        repeat.body.notes,
        'Starts on Monday.',
        "the first caller's repeat is still its own answer",
      );
      const reused = await h.api
        .put(notes)
        .set(bearer(TOKENS.national))
        .set('Idempotency-Key', KEY)
        .send({ notes: 'Something else.' });
      assert.equal(reused.status, 422, 'each caller may use its key for one request only');
    });
  });

  it('Security 20: two administrators creating different people with the same Idempotency-Key get two accounts', async () => {
    const h = await apiHarness();
    const KEY = newKey();
    await h.run(async () => {
      const [first, second] = [newPerson(), newPerson()];
      const local = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', KEY)
        .send(first);
      assert.equal(local.status, 201, local.text);
      const national = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.national))
        .set('Idempotency-Key', KEY)
        .send(second);
      assert.equal(national.status, 201, national.text);
      assert.equal(national.headers['idempotent-replayed'], undefined);
      assert.notEqual(national.body.id, local.body.id);
      assert.equal(h.starts(), 2, 'two lifecycles');
    });
  });
});

for (const backend of STORE_BACKENDS) {
  describe(`Idempotency-Key claims belong to their caller: ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async function () {
      stores = await backend.open(this);
    });
    afterEach(() => stores?.close());

    it(`Security 20: another principal's request with the same key is a new claim, and binds an Update of its own (${backend.name})`, async () => {
      const { idempotency } = stores;
      const [first, second] = [IdempotencyKeys.hash({ notes: 'a' }), IdempotencyKeys.hash({ notes: 'b' })];
      assert.equal((await idempotency.claim('alex.admin@nhs.net', 'k', first)).state, 'new');
      assert.equal((await idempotency.claim('nas.admin@nhs.net', 'k', second)).state, 'new');
      assert.equal((await idempotency.claim('alex.admin@nhs.net', 'k', second)).state, 'mismatch');
      assert.equal(await idempotency.bindUpdate('alex.admin@nhs.net', 'u', first), 'bound');
      assert.equal(await idempotency.bindUpdate('nas.admin@nhs.net', 'u', second), 'bound');
      assert.equal(await idempotency.bindUpdate('nas.admin@nhs.net', 'u', first), 'mismatch');
    });
  });
}
