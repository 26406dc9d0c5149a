import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { hashPassword, verifyPassword } from '../../src/adapters/simulation';

describe('Simulated mail platform: the stored temporary password', () => {
  it('R13: keeps a salted hash, never the password, that verifies the password and nothing else', async () => {
    const stored = await hashPassword('Kp7#mWq2xZr9!tBe');
    assert.ok(!stored.includes('Kp7#mWq2xZr9!tBe'));
    assert.notEqual(stored, await hashPassword('Kp7#mWq2xZr9!tBe'), 'each hash has its own salt');
    assert.ok(verifyPassword('Kp7#mWq2xZr9!tBe', stored));
    assert.ok(!verifyPassword('Kp7#mWq2xZr9!tBf', stored));
  });

  it('R13: still verifies a hash an earlier version wrote with scrypt', () => {
    const salt = crypto.randomBytes(16);
    const stored = `scrypt:${salt.toString('base64')}:${crypto.scryptSync('Kp7#mWq2xZr9!tBe', salt, 32).toString('base64')}`;
    assert.ok(verifyPassword('Kp7#mWq2xZr9!tBe', stored));
    assert.ok(!verifyPassword('Kp7#mWq2xZr9!tBf', stored));
  });
});
