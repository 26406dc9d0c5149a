import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };
const OIDC = {
  PORTAL_OIDC_ISSUER: 'https://login.example.nhs.uk/realms/nhsmail',
  PORTAL_OIDC_CLIENT_ID: 'nhsmail-portal',
  PORTAL_OIDC_CLIENT_SECRET: 'a-client-secret',
  PORTAL_PUBLIC_URL: 'https://admin.example.nhs.uk',
};

describe('Configuration: the portal', () => {
  it('security: the embedded run on loopback lists the demo principals and sends its cookie without Secure; Security 3: sessions last 8 hours at most, 30 minutes idle', () => {
    const { portal } = loadAppConfig({}, embedded);
    assert.equal(portal.listDevPrincipals, true);
    assert.equal(portal.secureCookies, false);
    assert.equal(portal.oidc, undefined, 'token sign-in');
    assert.equal(portal.sessionTtlSeconds, 8 * 60 * 60);
    assert.equal(portal.sessionIdleSeconds, 30 * 60);
    const short = loadAppConfig({ PORTAL_SESSION_TTL: '1h', PORTAL_SESSION_IDLE_TIMEOUT: '10m' }, embedded);
    assert.deepEqual([short.portal.sessionTtlSeconds, short.portal.sessionIdleSeconds], [3600, 600]);
  });

  it('security: beyond loopback the cookie is Secure and the demo principals are never listed', () => {
    const { portal } = loadAppConfig(
      {
        API_HOST: '0.0.0.0',
        PRINCIPALS_FILE: '/etc/nhsmail/principals.json',
        ALLOWED_HOSTS: 'admin.example.nhs.uk',
      },
      embedded,
    );
    assert.equal(portal.secureCookies, true);
    assert.equal(portal.listDevPrincipals, false);
  });

  it('OpenID Connect is configured by its four variables, the callback on the public URL; Security 4: sub as the default claim', () => {
    const { portal } = loadAppConfig({ ...OIDC, PORTAL_OIDC_PRINCIPAL_CLAIM: 'email' }, embedded);
    assert.deepEqual(portal.oidc, {
      issuer: OIDC.PORTAL_OIDC_ISSUER,
      clientId: 'nhsmail-portal',
      clientSecret: 'a-client-secret',
      principalClaim: 'email',
      redirectUri: 'https://admin.example.nhs.uk/sign-in/callback',
      name: 'NHS single sign-on',
    });
    assert.equal(portal.secureCookies, true, 'an https public URL: Secure cookies');
    assert.equal(loadAppConfig(OIDC, embedded).portal.oidc?.principalClaim, 'sub');
  });

  it('OpenID Connect: a missing variable, or a public URL or issuer over plain HTTP beyond loopback, is refused by name', () => {
    const { PORTAL_OIDC_CLIENT_SECRET: _secret, ...withoutSecret } = OIDC;
    assert.throws(() => loadAppConfig(withoutSecret, embedded), /PORTAL_OIDC_CLIENT_SECRET not set/);
    assert.throws(
      () => loadAppConfig({ ...OIDC, PORTAL_PUBLIC_URL: 'http://admin.example.nhs.uk' }, embedded),
      /PORTAL_PUBLIC_URL must be https:\/\//,
    );
    assert.throws(
      () => loadAppConfig({ ...OIDC, PORTAL_OIDC_ISSUER: 'not a url' }, embedded),
      /PORTAL_OIDC_ISSUER/,
    );
  });
});
