import assert from 'node:assert/strict';
import { IdempotencyKeys, type Claim } from '../../src/ports/idempotency-keys';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

function claimId(claim: Claim): string {
  if (claim.state !== 'new') assert.fail(`expected a new claim, got ${claim.state}`);
  return claim.claimId;
}

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

for (const backend of STORE_BACKENDS) {
  describe(`Idempotency keys contract: ${backend.name}`, () => {
    let now: number;
    let stores: TestStores;
    let keys: TestStores['idempotency'];
    beforeEach(async function () {
      now = Date.parse('2026-03-01T09:00:00Z');
      stores = await backend.open(this, { clock: () => new Date(now) });
      keys = stores.idempotency;
    });
    afterEach(() => stores?.close());
    const hash = IdempotencyKeys.hash({ a: 1 });

    it('remember an answer for 24 hours and hold a key while its first request runs', async () => {
      const first = claimId(await keys.claim('p', 'k', hash));
      assert.deepEqual(await keys.claim('p', 'k', hash), { state: 'in-progress' });
      assert.deepEqual(await keys.claim('p', 'k', IdempotencyKeys.hash({ a: 2 })), { state: 'mismatch' });
      assert.equal((await keys.claim('q', 'k', hash)).state, 'new', 'keys belong to their caller');
      await keys.complete('p', 'k', first, 201, { id: 'x' });
      assert.deepEqual(await keys.claim('p', 'k', hash), { state: 'replay', status: 201, body: { id: 'x' } });
      now += DAY + 1;
      assert.equal((await keys.claim('p', 'k', hash)).state, 'new', 'forgotten after 24 hours');
    });

    it('hand a key whose request died to a repeat, with the account it had reserved, and ignore the dead one', async () => {
      const dead = claimId(await keys.claim('p', 'k', hash));
      await keys.reserved('p', 'k', dead, { id: 'a@nhs.net' });
      now += MINUTE;
      assert.deepEqual(await keys.claim('p', 'k', hash), { state: 'in-progress' }, 'not yet abandoned');
      now += 2 * MINUTE;
      const repeat = await keys.claim('p', 'k', hash);
      assert.equal(repeat.state === 'new' && (repeat.account as { id: string }).id, 'a@nhs.net');
      await keys.complete('p', 'k', dead, 500, { late: true });
      await keys.release('p', 'k', dead);
      await keys.complete('p', 'k', claimId(repeat), 201, { id: 'a@nhs.net' });
      assert.deepEqual(await keys.claim('p', 'k', hash), {
        state: 'replay',
        status: 201,
        body: { id: 'a@nhs.net' },
      });
    });

    it('free a key whose request failed before reserving anything, or gave its reservation back', async () => {
      await keys.release('p', 'k', claimId(await keys.claim('p', 'k', hash)));
      const second = claimId(await keys.claim('p', 'k', hash));
      await keys.reserved('p', 'k', second, { id: 'b@nhs.net' });
      await keys.reserved('p', 'k', second, null);
      await keys.release('p', 'k', second);
      assert.equal((await keys.claim('p', 'k', hash)).state, 'new');
    });

    it('bind a key to one Update request for 24 hours', async () => {
      assert.equal(await keys.bindUpdate('p', 'u', hash), 'bound');
      assert.equal(await keys.bindUpdate('p', 'u', hash), 'bound', 'the same request again');
      assert.equal(await keys.bindUpdate('p', 'u', IdempotencyKeys.hash({ a: 2 })), 'mismatch');
      assert.equal(await keys.bindUpdate('q', 'u', IdempotencyKeys.hash({ a: 2 })), 'bound', 'per caller');
      now += DAY + 1;
      assert.equal(await keys.bindUpdate('p', 'u', IdempotencyKeys.hash({ a: 2 })), 'bound', 'free again');
    });

    it('let exactly one of many concurrent requests with one key in', async () => {
      const claims = await Promise.all(Array.from({ length: 12 }, () => keys.claim('p', 'race', hash)));
      assert.deepEqual(claims.map((c) => c.state).sort(), [...Array(11).fill('in-progress'), 'new']);
      const binds = await Promise.all(
        Array.from({ length: 6 }, (_, i) => keys.bindUpdate('p', 'bind-race', IdempotencyKeys.hash({ i }))),
      );
      assert.deepEqual(binds.sort(), ['bound', ...Array(5).fill('mismatch')]);
    });
  });
}
