import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS } from '../../src/http/rate-limit';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';

const ORGS = '/v1/reference/organisations';
const CLIENT_A = '203.0.113.10';
const CLIENT_B = '198.51.100.20';

describe('API: clients behind a proxy', () => {
  it('Security 5: through a trusted proxy, 50 bad tokens from client A lock out A only, whatever A forges, never client B', async () => {
    const h = await apiHarness({ rateLimits: { ...DEFAULT_RATE_LIMITS, authFailures: 50 } });
    await h.run(async () => {
      for (let i = 0; i < 50; i++) {
        // A forges an address of its own; the proxy (on loopback, trusted by default) appends A's real one.
        const res = await h.api
          .get(ORGS)
          .set('X-Forwarded-For', `10.9.${i}.1, ${CLIENT_A}`)
          .set(bearer(`guess-${String(i).padStart(20, '0')}`));
        assert.equal(res.status, 401, `guess ${i}`);
      }
      const a = await h.api.get(ORGS).set('X-Forwarded-For', CLIENT_A).set(bearer(TOKENS.gstt));
      assert.equal(a.status, 429, 'A is refused, even with a right token');
      const b = await h.api.get(ORGS).set('X-Forwarded-For', CLIENT_B).set(bearer(TOKENS.gstt));
      assert.equal(b.status, 200, 'B, behind the same proxy, is not');
    });
  });

  it('Security 5: X-Forwarded-For from a peer that is not a trusted proxy is ignored: forged addresses escape nothing', async () => {
    const h = await apiHarness({
      rateLimits: { ...DEFAULT_RATE_LIMITS, authFailures: 3 },
      trustProxy: ['10.0.0.0/8'],
    });
    await h.run(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await h.api
          .get(ORGS)
          .set('X-Forwarded-For', `192.0.2.${i}`)
          .set(bearer(`guess-${String(i).padStart(20, '0')}`));
        assert.equal(res.status, 401);
      }
      const next = await h.api.get(ORGS).set('X-Forwarded-For', '192.0.2.99').set(bearer(TOKENS.gstt));
      assert.equal(next.status, 429, 'counted by the peer, as no trusted proxy relayed it');
    });
  });
});
