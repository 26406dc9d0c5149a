import assert from 'node:assert/strict';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { IdempotencyKeys } from '../../src/api/idempotency';

function claimId(claim: ReturnType<IdempotencyKeys['claim']>): string {
  if (claim.state !== 'new') assert.fail(`expected a new claim, got ${claim.state}`);
  return claim.claimId;
}

describe('Idempotency keys', () => {
  it('remember an answer for 24 hours and hold a key while its first request runs', () => {
    let now = 1_000_000;
    const keys = new IdempotencyKeys(openDatabase(':memory:'), () => now);
    const hash = IdempotencyKeys.hash({ a: 1 });
    const first = claimId(keys.claim('p', 'k', hash));
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'in-progress' });
    assert.deepEqual(keys.claim('p', 'k', IdempotencyKeys.hash({ a: 2 })), { state: 'mismatch' });
    assert.equal(keys.claim('q', 'k', hash).state, 'new', 'keys belong to their caller');
    keys.complete('p', 'k', first, 201, { id: 'x' });
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'replay', status: 201, body: { id: 'x' } });
    now += 24 * 60 * 60 * 1000 + 1;
    assert.equal(keys.claim('p', 'k', hash).state, 'new', 'forgotten after 24 hours');
  });

  it('hand a key whose request died to a repeat, with the account it had reserved, and ignore the dead one', () => {
    let now = 1_000_000;
    const keys = new IdempotencyKeys(openDatabase(':memory:'), () => now);
    const hash = IdempotencyKeys.hash({ a: 1 });
    const dead = claimId(keys.claim('p', 'k', hash));
    keys.reserved('p', 'k', dead, { id: 'a@nhs.net' });
    now += 60 * 1000;
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'in-progress' }, 'not yet abandoned');
    now += 2 * 60 * 1000;
    const repeat = keys.claim('p', 'k', hash);
    assert.equal(repeat.state === 'new' && (repeat.account as { id: string }).id, 'a@nhs.net');
    keys.complete('p', 'k', dead, 500, { late: true });
    keys.release('p', 'k', dead);
    keys.complete('p', 'k', claimId(repeat), 201, { id: 'a@nhs.net' });
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'replay', status: 201, body: { id: 'a@nhs.net' } });
  });

  it('free a key whose request failed before reserving anything, or gave its reservation back', () => {
    const keys = new IdempotencyKeys(openDatabase(':memory:'));
    const hash = IdempotencyKeys.hash({ a: 1 });
    keys.release('p', 'k', claimId(keys.claim('p', 'k', hash)));
    const second = claimId(keys.claim('p', 'k', hash));
    keys.reserved('p', 'k', second, { id: 'b@nhs.net' });
    keys.reserved('p', 'k', second, null);
    keys.release('p', 'k', second);
    assert.equal(keys.claim('p', 'k', hash).state, 'new');
  });
});
