import assert from 'node:assert/strict';
import supertest from 'supertest';
import { Principals } from '../../src/access/principals';
import type { OidcSettings } from '../../src/http/portal/portal-options';
import { apiHarness } from '../helpers/api-harness';
import { fakeOidcProvider } from '../helpers/fake-oidc-provider';
import { freePort } from '../helpers/free-port';

type Provider = Awaited<ReturnType<typeof fakeOidcProvider>>;
type Agent = ReturnType<typeof supertest.agent>;

const SAM = {
  token: 'oidc-test-token-sam-0001',
  kind: 'local-admin',
  id: 'sam.admin@nhs.net',
  name: 'Sam Admin',
  orgs: ['RRV'],
  oidcSubject: '5b1f3c1e-8d4a-4c5e-9f0a-2e6d7c8b9a01',
};
const NINA = {
  token: 'oidc-test-token-nina-002',
  kind: 'national-admin',
  id: 'nas.admin@nhs.net',
  name: 'Nina NAS',
  oidcSubject: 'c0ffee00-0000-4000-8000-000000000002',
};

/** The engine with its portal signing in at `provider`, and the principals above. */
async function portalWith(
  provider: Pick<Provider, 'issuer' | 'client'>,
  settings: Partial<OidcSettings> = {},
) {
  return apiHarness({
    principals: new Principals([SAM, NINA]),
    portal: {
      devPrincipals: [],
      oidc: {
        issuer: provider.issuer,
        clientId: provider.client.id,
        clientSecret: provider.client.secret,
        principalClaim: 'sub',
        redirectUri: 'http://127.0.0.1/sign-in/callback',
        name: 'Test identity provider',
        ...settings,
      },
    },
  });
}

/** Sign in with the provider as a browser would: to the provider and back to the callback. */
async function signInWithProvider(agent: Agent): Promise<supertest.Response> {
  const start = await agent.get('/sign-in/oidc');
  assert.equal(start.status, 303, start.text);
  const back = await fetch(start.headers.location as string, { redirect: 'manual' });
  const callback = new URL(back.headers.get('location')!);
  return agent.get(callback.pathname + callback.search);
}

async function signedInAs(agent: Agent): Promise<string | undefined> {
  const home = await agent.get('/');
  return home.status === 200 ? /Sam Admin|Nina NAS/.exec(home.text)?.[0] : undefined;
}

describe('Portal: signing in with OpenID Connect', () => {
  let provider: Provider;
  const who: Parameters<typeof fakeOidcProvider>[0] = { email: SAM.id };
  before(async () => (provider = await fakeOidcProvider(who)));
  after(() => provider.close());
  beforeEach(() => {
    for (const key of Object.keys(who)) delete who[key as keyof typeof who];
    who.email = SAM.id;
  });

  it('Security 4: with the email claim, a token whose email_verified is false or missing signs nobody in', async () => {
    const h = await portalWith(provider, { principalClaim: 'email' });
    await h.run(async () => {
      for (const verified of [false, null]) {
        who.email_verified = verified;
        const agent = supertest.agent(h.app);
        const refused = await signInWithProvider(agent);
        assert.equal(refused.status, 403, `email_verified ${verified}`);
        assert.match(refused.text, /does not say that your email address is verified/);
        assert.equal(await signedInAs(agent), undefined);
      }
      who.email_verified = true;
      const agent = supertest.agent(h.app);
      assert.equal((await signInWithProvider(agent)).status, 200);
      assert.equal(await signedInAs(agent), 'Sam Admin');
    });
  });

  it("Security 4: with sub (the default), the token's sub names the principal by its oidcSubject, whatever the email says", async () => {
    const h = await portalWith(provider);
    await h.run(async () => {
      who.sub = NINA.oidcSubject;
      const nina = supertest.agent(h.app);
      assert.equal((await signInWithProvider(nina)).status, 200);
      assert.equal(await signedInAs(nina), 'Nina NAS', "the sub's principal, not the email's (Sam)");

      who.sub = 'someone-else-entirely';
      const other = supertest.agent(h.app);
      const refused = await signInWithProvider(other);
      assert.equal(refused.status, 403, 'an administrator’s email with an unknown sub');
      assert.match(refused.text, /is not an administrator of this portal/);
      assert.equal(await signedInAs(other), undefined);
    });
  });

  it("Security 4: with Entra ID's oid, only the configured tenant's accounts sign in", async () => {
    const h = await portalWith(provider, { principalClaim: 'oid', tenantId: 'nhs-tenant' });
    await h.run(async () => {
      Object.assign(who, { sub: 'pairwise-sub-1', oid: SAM.oidcSubject, tid: 'another-tenant' });
      const foreign = supertest.agent(h.app);
      const refused = await signInWithProvider(foreign);
      assert.equal(refused.status, 403, 'the same oid in another tenant');
      assert.match(refused.text, /another organisation(&#39;|')s directory/);
      assert.equal(await signedInAs(foreign), undefined);

      who.tid = 'nhs-tenant';
      const sam = supertest.agent(h.app);
      assert.equal((await signInWithProvider(sam)).status, 200);
      assert.equal(await signedInAs(sam), 'Sam Admin');
    });
  });

  it('Security 4: two principals may not share an oidcSubject', () => {
    assert.throws(
      () => new Principals([SAM, { ...NINA, oidcSubject: SAM.oidcSubject }]),
      /entries \[0\], \[1\] share one oidcSubject/,
    );
  });

  it('Security 15: a failed sign-in with the provider answers a 400-class page and logs a warning, never an error', async () => {
    const h = await portalWith(provider);
    await h.run(async () => {
      const tampered = supertest.agent(h.app);
      const start = await tampered.get('/sign-in/oidc');
      const state = new URL(start.headers.location as string).searchParams.get('state')!;
      const denied = await tampered.get(`/sign-in/callback?error=access_denied&state=${state}`);
      assert.equal(denied.status, 400, 'the provider said no');
      assert.match(denied.text, /did not complete: sign in again/);

      const forged = supertest.agent(h.app);
      await forged.get('/sign-in/oidc');
      assert.equal(
        (await forged.get('/sign-in/callback?code=abc&state=not-ours')).status,
        400,
        'a forged state',
      );
      const unstarted = await supertest(h.app).get('/sign-in/callback?code=abc&state=x');
      assert.equal(unstarted.status, 403, 'a callback of no sign-in started here');
    });
    const badSecret = await portalWith({ ...provider, client: { ...provider.client, secret: 'wrong' } });
    await badSecret.run(async () => {
      assert.equal((await signInWithProvider(supertest.agent(badSecret.app))).status, 400, 'a refused code');
    });
    const nowhere = await portalWith({ ...provider, issuer: `http://127.0.0.1:${await freePort()}` });
    await nowhere.run(async () => {
      assert.equal(
        (await supertest(nowhere.app).get('/sign-in/oidc')).status,
        400,
        'the provider unreachable',
      );
    });
    for (const logs of [h.logs, badSecret.logs, nowhere.logs]) {
      const lines = logs.map((line) => JSON.parse(line) as { level: number; msg: string });
      assert.ok(!lines.some((l) => l.level >= 50), `no error: ${logs.join('')}`);
      assert.ok(lines.some((l) => l.level === 40 && /OpenID Connect provider failed/.test(l.msg)));
    }
    assert.equal(h.logs.filter((l) => /"level":40/.test(l)).length, 3);
  });
});
