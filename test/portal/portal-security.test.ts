import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import supertest from 'supertest';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';

describe('Portal: sessions, forms and headers', () => {
  it('security: pages are no-store under a strict CSP; the session cookie is HttpOnly and SameSite=Strict; static files may be cached', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const page = await supertest(h.app).get('/sign-in');
      assert.equal(page.status, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      const csp = page.headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.doesNotMatch(page.text, /<script>|<script [^>]*>[^<]/, 'no inline script');
      const cookie = (page.headers['set-cookie'] as unknown as string[]).join('; ');
      assert.match(cookie, /nhsmail-portal=/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.doesNotMatch(cookie, /Secure/, 'not Secure on a loopback run');
      const css = await supertest(h.app).get('/assets/nhsuk-frontend.min.css');
      assert.equal(css.status, 200);
      assert.match(css.headers['cache-control'] as string, /max-age/);
      assert.doesNotMatch(css.text, /@font-face|assets\.nhs\.uk/, 'no web fonts from a CDN');
      const api = await supertest(h.app).get('/v1/nothing-here').set(bearer(TOKENS.gstt));
      assert.equal(api.status, 404);
      assert.equal(api.type, 'application/problem+json', 'the API answers its own paths, not the portal');
    });
  });

  it('Security 12: behind a TLS proxy on loopback the session cookie is Secure (__Host-), as its X-Forwarded-Proto says; from an untrusted peer the header changes nothing', async () => {
    const cookieOf = (res: supertest.Response) =>
      (res.headers['set-cookie'] as unknown as string[]).join('; ');
    const trusted = await apiHarness({ portal: true });
    await trusted.run(async () => {
      const viaProxy = cookieOf(
        await supertest(trusted.app).get('/sign-in').set('X-Forwarded-Proto', 'https'),
      );
      assert.match(viaProxy, /__Host-nhsmail-portal=/);
      assert.match(viaProxy, /; Secure/);
      const direct = cookieOf(await supertest(trusted.app).get('/sign-in'));
      assert.doesNotMatch(direct, /Secure|__Host-/, 'plain HTTP on loopback');
    });
    const untrusted = await apiHarness({ portal: true, trustProxy: false });
    await untrusted.run(async () => {
      const forged = cookieOf(
        await supertest(untrusted.app).get('/sign-in').set('X-Forwarded-Proto', 'https'),
      );
      assert.doesNotMatch(forged, /Secure|__Host-/);
    });
  });

  it("security: a form without its CSRF token, or with another session's, is refused and creates nothing", async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const other = await signedInAgent(h.app, TOKENS.national);
      const otherToken = csrfOf((await other.get('/users/new')).text);
      const person = newPerson();
      for (const _csrf of [undefined, 'forged', otherToken]) {
        const res = await agent
          .post('/users/new')
          .type('form')
          .send({ ...person, ...(_csrf ? { _csrf } : {}) });
        assert.equal(res.status, 403, `token ${_csrf}`);
        assert.match(res.text, /This form has expired or did not come from this portal/);
      }
      assert.equal((await h.directory.search({ q: person.lastName, limit: 10 })).entries.length, 0);
    });
  });

  it("Security 16: a form's CSRF token is compared in constant time: equal-length digests through timingSafeEqual, whatever was sent", async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const token = csrfOf((await agent.get('/users/new')).text);
      const compared: [number, number][] = [];
      const timingSafeEqual = crypto.timingSafeEqual;
      crypto.timingSafeEqual = (a, b) => {
        compared.push([a.byteLength, b.byteLength]);
        return timingSafeEqual(a, b);
      };
      try {
        const lastCharChanged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
        for (const [_csrf, status] of [
          [lastCharChanged, 403],
          [`${token}x`, 403],
          [token.slice(0, 8), 403],
          [token, 400],
        ] as const) {
          compared.length = 0;
          const res = await agent.post('/users/new').type('form').send({ _csrf, firstName: '' });
          assert.equal(res.status, status, `token ${_csrf}`);
          assert.ok(compared.length > 0, `token ${_csrf}: compared with timingSafeEqual`);
          assert.ok(
            compared.every(([a, b]) => a === 32 && b === 32),
            `token ${_csrf}: equal-length digests, ${JSON.stringify(compared)}`,
          );
        }
      } finally {
        crypto.timingSafeEqual = timingSafeEqual;
      }
    });
  });

  it("R1: the portal signs in the API's administrators only, with the API's words for the identity platform", async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = supertest.agent(h.app);
      const page = await agent.get('/sign-in');
      const res = await agent
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfOf(page.text), token: TOKENS.identity });
      assert.equal(res.status, 403);
      assert.match(res.text, /The identity platform may only report first-login events\./);
      assert.equal((await agent.get('/')).status, 303, 'not signed in');
    });
  });

  it('security: failed sign-ins count towards the API’s failed-authentication limit, after which even a right token waits', async () => {
    const h = await apiHarness({
      portal: true,
      rateLimits: { perPrincipalPerMinute: 600, authFailures: 3, authFailureWindowMs: 60_000 },
    });
    await h.run(async () => {
      const agent = supertest.agent(h.app);
      const _csrf = csrfOf((await agent.get('/sign-in')).text);
      for (let i = 0; i < 3; i++) {
        const wrong = await agent
          .post('/sign-in')
          .type('form')
          .send({ _csrf, token: `wrong-token-${i}-xxxxxxxx` });
        assert.equal(wrong.status, 401);
        assert.match(wrong.text, /The token is not known\./);
      }
      const right = await agent.post('/sign-in').type('form').send({ _csrf, token: TOKENS.gstt });
      assert.equal(right.status, 429);
      assert.ok(right.headers['retry-after']);
      assert.equal((await supertest(h.app).get('/v1/accounts').set(bearer(TOKENS.gstt))).status, 429);
    });
  });

  it('R7, security: the logs hold no session cookie, no sign-in token and no mobile number searched for', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const search = await agent.get('/joiners?q=07400%20123456');
      assert.equal(search.status, 200);
      const logs = h.logs.join('');
      assert.ok(logs.includes('/joiners'), 'the request was logged');
      assert.ok(!logs.includes(TOKENS.gstt), 'no token');
      assert.ok(!/nhsmail-portal=/.test(logs), 'no session cookie');
      assert.ok(!logs.includes('123456'), 'no mobile number');
    });
  });
});
