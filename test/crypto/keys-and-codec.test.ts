import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defaultPayloadConverter,
  type Payload,
  type SerializationContext,
  type WorkflowSerializationContext,
} from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { loadKeyRing } from '../../src/crypto/key-ring';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { testKeyRing } from '../helpers/test-keys';

const key = () => crypto.randomBytes(32).toString('base64');
const ofWorkflow = (workflowId: string): WorkflowSerializationContext => ({
  type: 'workflow',
  namespace: 'default',
  workflowId,
});
const A = ofWorkflow('account:a@nhs.net');
const B = ofWorkflow('account:b@nhs.net');

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
    const [sealed] = await before.encode([defaultPayloadConverter.toPayload({ mobile: '+447400123456' })], A);
    assert.equal(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString(), 'k1');
    assert.ok(!Buffer.from(sealed!.data!).includes(Buffer.from('+447400123456')));

    const rotated = loadKeyRing({ ENCRYPTION_KEYS: `${old.ENCRYPTION_KEYS},k2:${key()}` }, '/nonexistent');
    assert.equal(rotated.activeKeyId, 'k2');
    const after = new AesGcmPayloadCodec(rotated);
    const [decoded] = await after.decode([sealed!], A);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), { mobile: '+447400123456' });
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload('x')], A);
    assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), 'k2');

    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 0xff;
    const tampered = { ...sealed!, data: flipped };
    await assert.rejects(after.decode([tampered], A), 'tampering is detected');
  });

  it('security: the codec refuses an unencrypted payload instead of passing it to the workflow', async () => {
    const codec = new AesGcmPayloadCodec(testKeyRing);
    const plain = defaultPayloadConverter.toPayload({ actor: { kind: 'national-admin' } });
    await assert.rejects(codec.decode([plain], A), /unencrypted/);
  });

  it("security: each payload is bound to its workflow id, so it cannot be replayed into another account's history", async () => {
    const codec = new AesGcmPayloadCodec(testKeyRing);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ notes: 'for A only' })], A);
    const metadata = sealed!.metadata!;
    assert.equal(Buffer.from(metadata['encryption-workflow-id']!).toString(), A.workflowId);
    const decoded = (p: Payload, context?: SerializationContext) =>
      codec.decode([p], context).then(([d]) => defaultPayloadConverter.fromPayload(d!));

    assert.deepEqual(await decoded(sealed!, A), { notes: 'for A only' });
    assert.deepEqual(await decoded(sealed!), { notes: 'for A only' }, 'readable without a context');
    await assert.rejects(decoded(sealed!, B), /another workflow/);
    const relabelled = {
      ...sealed!,
      metadata: { ...metadata, 'encryption-workflow-id': Buffer.from(B.workflowId) },
    };
    await assert.rejects(decoded(relabelled, B), 'the workflow id is authenticated, not just compared');
    await assert.rejects(decoded(relabelled), 'also without a context');
    const { 'encryption-version': _version, ...unversioned } = metadata;
    const downgraded = { ...sealed!, metadata: unversioned };
    await assert.rejects(decoded(downgraded, A), 'a bound payload cannot pass as an unbound one');
    await assert.rejects(codec.encode([defaultPayloadConverter.toPayload('x')]), /workflow/);
  });

  it('R11, security: a Schedule’s run reads the result its previous run wrote, and no other workflow’s', async () => {
    const codec = new AesGcmPayloadCodec(testKeyRing);
    const run = (at: string) => ofWorkflow(`reconcile-reservations-${at}`);
    const [result] = await codec.encode(
      [defaultPayloadConverter.toPayload({ started: [] })],
      run('2026-11-27T15:29:25Z'),
    );
    const [read] = await codec.decode([result!], run('2026-11-27T15:29:30Z'));
    assert.deepEqual(defaultPayloadConverter.fromPayload(read!), { started: [] });
    await assert.rejects(
      codec.decode([result!], ofWorkflow('bulk-upload:RJ1-2026-11-27T15:29:30Z')),
      /another workflow/,
    );
    await assert.rejects(codec.decode([result!], A), /another workflow/);
  });

  it('security: payloads written before workflow binding, as in the recorded histories, still decode', async () => {
    const file = path.resolve(__dirname, '../fixtures/histories/happy-path.json');
    const history = historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
    const [input] = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    assert.equal(input!.metadata!['encryption-version'], undefined, 'an old payload');
    const codec = new AesGcmPayloadCodec(testKeyRing);
    const [decoded] = await codec.decode([input!], ofWorkflow('account:someone@nhs.net'));
    const args = defaultPayloadConverter.fromPayload<{ account: { email: string } }>(decoded!);
    assert.match(args.account.email, /@/);
  });

  it('refuses a malformed key list, naming the item by its position', () => {
    assert.throws(() => loadKeyRing({ ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, '/x'), /item 1 of 1/);
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
