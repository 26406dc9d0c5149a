import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadKeyRing } from '../../src/crypto/key-ring';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';

const key = () => crypto.randomBytes(32).toString('base64');

describe('Encryption keys and the payload codec', () => {
  it('creates a development key with owner-only permissions when none is configured, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-'));
    try {
      const first = loadKeyRing({}, dir);
      const file = path.join(dir, 'dev-encryption-key.json');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      const second = loadKeyRing({}, dir);
      assert.equal(second.activeKeyId, first.activeKeyId);
      assert.deepEqual(second.keys.get(second.activeKeyId), first.keys.get(first.activeKeyId));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('encrypts with the active key and names it, so payloads written before a key rotation still decode', async () => {
    const old = { ENCRYPTION_KEYS: `k1:${key()}` };
    const before = new AesGcmPayloadCodec(loadKeyRing(old, '/nonexistent'));
    const [sealed] = await before.encode([defaultPayloadConverter.toPayload({ mobile: '+447400123456' })]);
    assert.equal(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString(), 'k1');
    assert.ok(!Buffer.from(sealed!.data!).includes(Buffer.from('+447400123456')));

    const rotated = loadKeyRing({ ENCRYPTION_KEYS: `${old.ENCRYPTION_KEYS},k2:${key()}` }, '/nonexistent');
    assert.equal(rotated.activeKeyId, 'k2');
    const after = new AesGcmPayloadCodec(rotated);
    const [decoded] = await after.decode([sealed!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), { mobile: '+447400123456' });
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload('x')]);
    assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), 'k2');

    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 0xff;
    const tampered = { ...sealed!, data: flipped };
    await assert.rejects(after.decode([tampered]), 'tampering is detected');
  });

  it('refuses a malformed key list, naming the key', () => {
    assert.throws(() => loadKeyRing({ ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, '/x'), /"k1"/);
    assert.throws(
      () => loadKeyRing({ ENCRYPTION_KEYS: `k1:${key()}`, ENCRYPTION_ACTIVE_KEY_ID: 'k9' }, '/x'),
      /k9/,
    );
  });

  it('R13: a sealed temporary password opens only for its own account', () => {
    const sealer = new PasswordSealer(loadKeyRing({ ENCRYPTION_KEYS: `k1:${key()}` }, '/x'));
    const sealed = sealer.seal('Pa55word!xyzABC', 'a@nhs.net');
    assert.ok(!sealed.includes('Pa55word'));
    assert.equal(sealer.unseal(sealed, 'a@nhs.net'), 'Pa55word!xyzABC');
    assert.throws(() => sealer.unseal(sealed, 'b@nhs.net'));
  });
});
