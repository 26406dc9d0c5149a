import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS } from '../../src/http/rate-limit';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';

const ORGS = '/v1/reference/organisations';

describe('API: rate limits', () => {
  it('security: each principal is limited per minute, then answered 429 problem+json with Retry-After', async () => {
    const h = await apiHarness({ rateLimits: { ...DEFAULT_RATE_LIMITS, perPrincipalPerMinute: 3 } });
    await h.run(async () => {
      for (let i = 0; i < 3; i++) assert.equal((await h.api.get(ORGS).set(bearer(TOKENS.gstt))).status, 200);
      const limited = await h.api.get(ORGS).set(bearer(TOKENS.gstt));
      assert.equal(limited.status, 429);
      assert.equal(limited.type, 'application/problem+json');
      assert.equal(limited.body.status, 429);
      assert.ok(
        Number(limited.headers['retry-after']) >= 1,
        `Retry-After: ${limited.headers['retry-after']}`,
      );
      const create = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send({});
      assert.equal(create.status, 429, 'every route counts, creates included');
      assert.equal((await h.api.get(ORGS).set(bearer(TOKENS.national))).status, 200, 'per principal');
    });
  });

  it('security: failed authentications are limited per client address; then even a right token waits', async () => {
    const h = await apiHarness({ rateLimits: { ...DEFAULT_RATE_LIMITS, authFailures: 3 } });
    await h.run(async () => {
      for (let i = 0; i < 10; i++) {
        assert.equal((await h.api.get(ORGS).set(bearer(TOKENS.gstt))).status, 200, 'successes never count');
      }
      assert.equal((await h.api.get(ORGS).set(bearer('guess-0000000000000001'))).status, 401);
      assert.equal((await h.api.get(ORGS)).status, 401);
      const codec = await h.api.post('/codec/decode').set(bearer('guess-0000000000000002')).send({});
      assert.equal(codec.status, 401, 'the codec counts too');
      const blocked = await h.api.get(ORGS).set(bearer(TOKENS.gstt));
      assert.equal(blocked.status, 429, 'refused before the token is looked at');
      assert.equal(blocked.type, 'application/problem+json');
      assert.ok(Number(blocked.headers['retry-after']) >= 1);
      assert.equal((await h.api.get(ORGS).set(bearer('guess-0000000000000003'))).status, 429);
    });
  });

  it('security: the defaults let a burst of a few hundred requests of one principal through', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const answers = await Promise.all(
        Array.from({ length: 300 }, () => h.api.get(ORGS).set(bearer(TOKENS.national))),
      );
      assert.ok(answers.every((a) => a.status === 200));
    });
  });
});
