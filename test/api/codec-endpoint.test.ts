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

      const roundTrip = await h.api
        .post('/codec/encode')
        .set(bearer(TOKENS.national))
        .send({ payloads: [payloadToJSON(defaultPayloadConverter.toPayload('hello'))] });
      assert.equal(roundTrip.status, 200);
      const encoding = Buffer.from(roundTrip.body.payloads[0].metadata.encoding, 'base64').toString();
      assert.equal(encoding, 'binary/encrypted');

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
