import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';
import { loadKeyRing } from '../../src/crypto/key-ring';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const refusal = (load: () => unknown) => {
  try {
    load();
  } catch (err) {
    return (err as Error).message;
  }
  return assert.fail('the setting was accepted');
};

describe('Configuration: secrets in start-up errors', () => {
  it('Security 9: a malformed ENCRYPTION_KEYS item is named by its position, never shown: a key without its id, a short key, an empty item', () => {
    const secret = key(7);
    const cases: [string, string][] = [
      [`k1:${key(1)},${secret}`, 'item 2 of 2'], // the id forgotten: the whole item is the key
      [`k1:${key(1)},k2:${secret.slice(0, 20)}`, 'item 2 of 2'], // a key cut short
      [`${secret}:k1`, 'item 1 of 1'], // the two parts swapped
      [`k1:${key(1)},,k2:${key(2)}`, 'item 2 of 3'],
    ];
    for (const [value, position] of cases) {
      const message = refusal(() => loadKeyRing({ ENCRYPTION_KEYS: value }, '/nonexistent'));
      assert.ok(message.includes(`ENCRYPTION_KEYS: ${position} `), message);
      for (const part of value.split(/[,:]/).filter((p) => p.length >= 8)) {
        assert.ok(!message.includes(part), `"${message}" shows part of the setting`);
      }
    }
    assert.equal(loadKeyRing({ ENCRYPTION_KEYS: `k1:${key(1)}, k2:${key(2)}` }, '/x').activeKeyId, 'k2');
  });

  it('Security 9: no other secret setting is repeated in a start-up error (DATABASE_URL, METRICS_TOKEN)', () => {
    const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };
    const password = 'db-password-9f8e7d';
    const database = refusal(() => loadAppConfig({ DATABASE_URL: `mysql://u:${password}@db/x` }, embedded));
    assert.match(database, /DATABASE_URL/);
    assert.ok(!database.includes(password), database);
    const token = 'short-token-42';
    const metrics = refusal(() => loadAppConfig({ METRICS_TOKEN: token }, embedded));
    assert.match(metrics, /METRICS_TOKEN/);
    assert.ok(!metrics.includes(token), metrics);
  });
});
