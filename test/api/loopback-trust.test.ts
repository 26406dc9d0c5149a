import assert from 'node:assert/strict';
import supertest from 'supertest';
import { TOKENS, apiHarness, bearer } from '../helpers/api-harness';
import { cookiesOf, csrfOf, signedInAgent } from '../helpers/portal-agent';

const ORGS = '/v1/reference/organisations';

/** The ways a request says it was relayed, and a foreign name the server answers for (a tunnel's). */
const NOT_DIRECT: [string, string][] = [
  ['X-Forwarded-For', '203.0.113.9'],
  ['Forwarded', 'for=203.0.113.9'],
  ['Via', '1.1 tunnel'],
  ['X-Real-IP', '203.0.113.9'],
  ['Host', 'engine.example'],
];

describe('API and portal: trust in this machine', () => {
  it('Security 6: a request for a host name the server does not serve is answered 421 (DNS rebinding); loopback names at its port, allowed names and the probes are answered', async () => {
    const h = await apiHarness({ portal: true, allowedHosts: [{ hostname: 'admin.example.nhs.uk' }] });
    await h.run(async () => {
      for (const [path, host] of [
        [ORGS, 'attacker.example'],
        ['/sign-in', 'attacker.example'],
        ['/metrics', 'attacker.example'],
        [ORGS, 'localhost:1'],
        [ORGS, 'admin.example.nhs.uk.attacker.example'],
      ] as const) {
        const res = await h.api.get(path).set('Host', host).set(bearer(TOKENS.gstt));
        assert.equal(res.status, 421, `${path} for ${host}`);
        assert.equal(res.type, 'application/problem+json');
        assert.doesNotMatch(res.text, /attacker/, 'the name is not echoed');
      }
      const forwarded = await h.api
        .get(ORGS)
        .set('X-Forwarded-Host', 'attacker.example')
        .set(bearer(TOKENS.gstt));
      assert.equal(forwarded.status, 421, 'a trusted proxy forwarding a foreign name');
      assert.equal((await h.api.get(ORGS).set(bearer(TOKENS.gstt))).status, 200, 'its loopback address');
      for (const host of ['admin.example.nhs.uk', 'ADMIN.example.nhs.uk:8443']) {
        const allowed = await h.api.get(ORGS).set('Host', host).set(bearer(TOKENS.gstt));
        assert.equal(allowed.status, 200, host);
      }
      assert.equal((await h.api.get('/healthz').set('Host', '10.0.1.5:3000')).status, 200, 'probes');
    });
  });

  it('Security 6: the demonstration tokens, the one-click sign-in and /metrics need a direct request from this machine with a loopback Host: not through a relay, nor under another name', async () => {
    const h = await apiHarness({
      portal: true,
      demoPrincipals: true,
      allowedHosts: [{ hostname: 'engine.example' }],
    });
    await h.run(async () => {
      assert.equal((await h.api.get(ORGS).set(bearer(TOKENS.gstt))).status, 200, 'direct');
      assert.match((await h.api.get('/sign-in')).text, /Sign in as Alex Admin/, 'direct');
      assert.equal((await h.api.get('/metrics')).status, 200, 'direct');
      const session = await signedInAgent(h.app);
      assert.equal((await session.get('/')).status, 200, 'direct');

      for (const [name, value] of NOT_DIRECT) {
        const token = await h.api.get(ORGS).set(name, value).set(bearer(TOKENS.national));
        assert.equal(token.status, 401, `${name}: a demo token`);
        assert.match(token.body.detail as string, /accepted only from this machine/);
        const page = await h.api.get('/sign-in').set(name, value);
        assert.equal(page.status, 200);
        assert.doesNotMatch(page.text, /Sign in as|dev-local-admin/, `${name}: no one-click sign-in`);
        const signIn = await h.api
          .post('/sign-in')
          .set(name, value)
          .set('Cookie', cookiesOf(page))
          .type('form')
          .send({ _csrf: csrfOf(page.text), token: TOKENS.gstt });
        assert.equal(signIn.status, 401, `${name}: signing in with a demo token`);
        assert.equal((await h.api.get('/metrics').set(name, value)).status, 403, `${name}: metrics`);
        const relayedSession = await session.get('/').set(name, value);
        assert.equal(relayedSession.status, 303, `${name}: a demo principal's session`);
      }
      const codec = await supertest(h.app).post('/codec/decode').set('Via', '1.1 tunnel').send({});
      assert.equal(codec.status, 401);
    });
  });
});
