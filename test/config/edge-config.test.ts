import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };
const OIDC = {
  PORTAL_OIDC_ISSUER: 'https://login.example.nhs.uk/realms/nhsmail',
  PORTAL_OIDC_CLIENT_ID: 'nhsmail-portal',
  PORTAL_OIDC_CLIENT_SECRET: 'a-client-secret',
  PORTAL_PUBLIC_URL: 'https://admin.example.nhs.uk',
};

describe('Configuration: the web edges', () => {
  it('Security 5: TRUST_PROXY is loopback by default; none, a hop count, or addresses and ranges; never true', () => {
    assert.deepEqual(loadAppConfig({}, embedded).trustProxy, ['loopback']);
    assert.equal(loadAppConfig({ TRUST_PROXY: 'none' }, embedded).trustProxy, false);
    assert.equal(loadAppConfig({ TRUST_PROXY: '2' }, embedded).trustProxy, 2);
    assert.deepEqual(loadAppConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }, embedded).trustProxy, [
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    assert.throws(() => loadAppConfig({ TRUST_PROXY: 'true' }, embedded), /TRUST_PROXY=true/);
    assert.throws(
      () => loadAppConfig({ TRUST_PROXY: '10.0.0.0/33' }, embedded),
      /TRUST_PROXY must be none, a number of hops, or addresses and ranges/,
    );
  });
});

describe('Configuration: the host names served', () => {
  it('Security 6: ALLOWED_HOSTS and the public URL are the names served besides loopback; beyond loopback one is needed; bad items named by position', () => {
    assert.deepEqual(loadAppConfig({}, embedded).allowedHosts, []);
    assert.deepEqual(
      loadAppConfig({ ...OIDC, ALLOWED_HOSTS: 'API.example.nhs.uk, 10.0.1.5:3000,[::1]:8080' }, embedded)
        .allowedHosts,
      [
        { hostname: 'api.example.nhs.uk' },
        { hostname: '10.0.1.5', port: '3000' },
        { hostname: '[::1]', port: '8080' },
        { hostname: 'admin.example.nhs.uk' },
      ],
    );
    const own = { API_HOST: '0.0.0.0', PRINCIPALS_FILE: '/etc/nhsmail/principals.json' };
    assert.throws(
      () => loadAppConfig(own, embedded),
      /API_HOST=0\.0\.0\.0 listens beyond this machine: set ALLOWED_HOSTS/,
    );
    assert.doesNotThrow(() => loadAppConfig({ ...own, ALLOWED_HOSTS: 'api.example.nhs.uk' }, embedded));
    assert.throws(
      () => loadAppConfig({ ALLOWED_HOSTS: 'a.example,https://b.example/x' }, embedded),
      /ALLOWED_HOSTS must list host names.*item 2 is not one/,
    );
  });

  it('Security 6: the demo principals are known as such, so that their published tokens serve this machine only', () => {
    assert.equal(loadAppConfig({}, embedded).demoPrincipals, true);
    assert.equal(
      loadAppConfig({ PRINCIPALS_FILE: '/etc/nhsmail/principals.json' }, embedded).demoPrincipals,
      false,
    );
  });
});

describe('Configuration: the OpenID Connect claim', () => {
  it("Security 4: the principal claim is sub (default), oid with Entra ID's tenant, or email; another is refused by name", () => {
    const entra = { ...OIDC, PORTAL_OIDC_PRINCIPAL_CLAIM: 'oid', PORTAL_OIDC_TENANT_ID: 'tenant-1' };
    assert.deepEqual(
      [
        loadAppConfig(entra, embedded).portal.oidc?.principalClaim,
        loadAppConfig(entra, embedded).portal.oidc?.tenantId,
      ],
      ['oid', 'tenant-1'],
    );
    assert.throws(
      () => loadAppConfig({ ...entra, PORTAL_OIDC_TENANT_ID: undefined }, embedded),
      /PORTAL_OIDC_PRINCIPAL_CLAIM=oid needs PORTAL_OIDC_TENANT_ID/,
    );
    assert.throws(
      () => loadAppConfig({ ...OIDC, PORTAL_OIDC_PRINCIPAL_CLAIM: 'preferred_username' }, embedded),
      /PORTAL_OIDC_PRINCIPAL_CLAIM must be sub, oid .* or email/,
    );
  });
});
