import assert from 'node:assert/strict';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { IdempotencyKeys } from '../../src/api/idempotency';

describe('Idempotency keys', () => {
  it('remember an answer for 24 hours, hold a key while its first request runs, and free an abandoned one', () => {
    let now = 1_000_000;
    const keys = new IdempotencyKeys(openDatabase(':memory:'), () => now);
    const hash = IdempotencyKeys.hash({ a: 1 });
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'new' });
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'in-progress' });
    assert.deepEqual(keys.claim('p', 'k', IdempotencyKeys.hash({ a: 2 })), { state: 'mismatch' });
    assert.deepEqual(keys.claim('q', 'k', hash), { state: 'new' }, 'keys belong to their caller');
    now += 3 * 60 * 1000;
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'new' }, 'abandoned by a process that died');
    keys.complete('p', 'k', 201, { id: 'x' });
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'replay', status: 201, body: { id: 'x' } });
    now += 24 * 60 * 60 * 1000 + 1;
    assert.deepEqual(keys.claim('p', 'k', hash), { state: 'new' }, 'forgotten after 24 hours');
  });
});
