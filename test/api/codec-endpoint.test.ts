import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { payloadToJSON } from '@temporalio/common/lib/proto-utils';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';
import { testKeyRing } from '../helpers/test-keys';

const WORKFLOW = { type: 'workflow', namespace: 'default', workflowId: 'account:a@nhs.net' } as const;

async function encryptedPayloads(value: unknown) {
  const payload = defaultPayloadConverter.toPayload(value);
  const [encrypted] = await new AesGcmPayloadCodec(testKeyRing).encode([payload], WORKFLOW);
  return { payloads: [payloadToJSON(encrypted!)] };
}

describe('Codec endpoint for Temporal Web', () => {
  it('decodes payloads for a national administrator, and for nobody else', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const body = await encryptedPayloads({ mobile: '+447400123456' });
      assert.ok(!JSON.stringify(body).includes('+447400123456'), 'encrypted as stored');
      const decoded = await h.api.post('/codec/decode').set(bearer(TOKENS.national)).send(body);
      assert.equal(decoded.status, 200);
      const data = Buffer.from(decoded.body.payloads[0].data, 'base64').toString();
      assert.deepEqual(JSON.parse(data), { mobile: '+447400123456' });

      assert.equal((await h.api.post('/codec/decode').send(body)).status, 401);
      assert.equal((await h.api.post('/codec/decode').set(bearer(TOKENS.gstt)).send(body)).status, 403);
      assert.equal((await h.api.post('/codec/decode').set(bearer(TOKENS.identity)).send(body)).status, 403);

      const hello = { payloads: [payloadToJSON(defaultPayloadConverter.toPayload('hello'))] };
      const roundTrip = await h.api
        .post('/codec/encode')
        .set(bearer(TOKENS.national))
        .set('X-Workflow-Id', WORKFLOW.workflowId)
        .send(hello);
      assert.equal(roundTrip.status, 200);
      const encoding = Buffer.from(roundTrip.body.payloads[0].metadata.encoding, 'base64').toString();
      assert.equal(encoding, 'binary/encrypted');
      const back = await h.api.post('/codec/decode').set(bearer(TOKENS.national)).send(roundTrip.body);
      assert.equal(Buffer.from(back.body.payloads[0].data, 'base64').toString(), '"hello"');
      const unbound = await h.api.post('/codec/encode').set(bearer(TOKENS.national)).send(hello);
      assert.equal(unbound.status, 400, 'a payload is encrypted for a workflow, which must be named');
      assert.equal(unbound.body.errors[0].path, 'X-Workflow-Id');

      const garbage = await h.api
        .post('/codec/decode')
        .set(bearer(TOKENS.national))
        .send({ payloads: ['x'] });
      assert.equal(garbage.status, 400);
      const tampered = structuredClone(body);
      tampered.payloads[0]!.data = Buffer.from('not the ciphertext').toString('base64');
      const refused = await h.api.post('/codec/decode').set(bearer(TOKENS.national)).send(tampered);
      assert.equal(refused.status, 400, 'a payload that fails authentication is refused, not a 500');
    });
  });

  it('security: loopback trust does not extend to requests relayed through this machine', async () => {
    // engine.example: a name the server answers for (ALLOWED_HOSTS), so a relay forwarding it is not refused 421.
    const h = await apiHarness({ codecTrustLoopback: true, allowedHosts: [{ hostname: 'engine.example' }] });
    await h.run(async () => {
      const body = await encryptedPayloads('secret');
      assert.equal((await h.api.post('/codec/decode').send(body)).status, 200, 'a direct local caller');
      for (const [name, value] of [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Host', 'engine.example'],
        ['Forwarded', 'for=203.0.113.9'],
        ['Via', '1.1 proxy'],
        ['X-Real-IP', '203.0.113.9'],
      ] as const) {
        const relayed = await h.api.post('/codec/decode').set(name, value).send(body);
        assert.equal(relayed.status, 401, `${name}: relayed, so not trusted`);
        const allowed = await h.api
          .post('/codec/decode')
          .set(name, value)
          .set(bearer(TOKENS.national))
          .send(body);
        assert.equal(allowed.status, 200, `${name}: a national administrator's token still works`);
      }
    });
  });

  it('security: a bad bearer token is 401, never loopback trust; a valid token leaves no caller worse off than none', async () => {
    const trusted = await apiHarness({ codecTrustLoopback: true });
    await trusted.run(async () => {
      const body = await encryptedPayloads('secret');
      const decode = () => trusted.api.post('/codec/decode');
      assert.equal((await decode().set(bearer('nonsense-token-0000000000')).send(body)).status, 401);
      assert.equal((await decode().set('Authorization', 'Basic bmFzOnNlY3JldA==').send(body)).status, 401);
      assert.equal((await decode().set('Authorization', 'Bearer').send(body)).status, 401);
      assert.equal((await decode().send(body)).status, 200, 'no token: trusted as a local caller');
      for (const token of [TOKENS.gstt, TOKENS.identity, TOKENS.national]) {
        assert.equal((await decode().set(bearer(token)).send(body)).status, 200, `${token} on loopback`);
      }
    });
    const untrusted = await apiHarness();
    await untrusted.run(async () => {
      const body = await encryptedPayloads('secret');
      const decode = () => untrusted.api.post('/codec/decode');
      assert.equal((await decode().send(body)).status, 401);
      assert.equal((await decode().set(bearer(TOKENS.gstt)).send(body)).status, 403);
      assert.equal((await decode().set(bearer(TOKENS.national)).send(body)).status, 200);
    });
  });

  it('security: a payload the codec cannot read is refused with a generic answer, never the internal reason', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const body = await encryptedPayloads({ mobile: '+447400123456' });
      body.payloads[0]!.metadata!['encryption-key-id'] = Buffer.from('secret-key-name-x').toString('base64');
      const res = await h.api.post('/codec/decode').set(bearer(TOKENS.national)).send(body);
      assert.equal(res.status, 400);
      assert.equal(res.type, 'application/problem+json');
      assert.deepEqual(res.body.errors, [
        { path: 'payloads[0]', message: 'Not a payload this codec can read' },
      ]);
      assert.ok(!JSON.stringify(res.body).includes('secret-key-name-x'), 'the key id is not echoed');
      assert.ok(!/Unknown encryption key/i.test(JSON.stringify(res.body)));
      const other = await h.api
        .post('/codec/decode')
        .set(bearer(TOKENS.national))
        .send({ payloads: [{}] });
      assert.ok(!/Unknown|ciphertext|key id/i.test(JSON.stringify(other.body)), JSON.stringify(other.body));
    });
  });

  it('security: Temporal Web is shown plain payloads as they are, and workflow-bound ones decoded', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const plain = payloadToJSON(defaultPayloadConverter.toPayload('written in plain text by a tool'));
      const bound = (await encryptedPayloads({ notes: 'n' })).payloads[0]!;
      const res = await h.api
        .post('/codec/decode')
        .set(bearer(TOKENS.national))
        .send({ payloads: [plain, bound] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.payloads[0], plain);
      assert.deepEqual(JSON.parse(Buffer.from(res.body.payloads[1].data, 'base64').toString()), {
        notes: 'n',
      });
    });
  });

  it('answers Temporal Web from its own origin only, and trusts loopback callers only when configured', async () => {
    const h = await apiHarness({ codecTrustLoopback: true });
    await h.run(async () => {
      const preflight = await h.api
        .options('/codec/decode')
        .set('Origin', 'http://localhost:8233')
        .set('Access-Control-Request-Method', 'POST');
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:8233');
      assert.match(preflight.headers['access-control-allow-headers'] ?? '', /X-Namespace/);
      const body = await encryptedPayloads('secret');
      const fromUi = await h.api.post('/codec/decode').set('Origin', 'http://localhost:8233').send(body);
      assert.equal(fromUi.status, 200, 'loopback caller in the embedded run');
      const elsewhere = await h.api.post('/codec/decode').set('Origin', 'https://evil.example').send(body);
      assert.equal(elsewhere.status, 403);
      assert.equal(elsewhere.headers['access-control-allow-origin'], undefined);
    });
  });
});
