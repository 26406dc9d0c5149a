import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAppConfig } from '../../src/config/app-config';
import { requiredGroupNames } from '../../src/adapters/graph/graph-settings';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };
const GUID = (n: number) => `${String(n).repeat(8)}-1111-2222-3333-444444444444`;

describe('Configuration: MAIL_PLATFORM=graph', () => {
  let dir: string;
  let groupsFile: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-config-'));
    groupsFile = path.join(dir, 'groups.json');
    fs.writeFileSync(
      groupsFile,
      JSON.stringify(Object.fromEntries(requiredGroupNames().map((n, i) => [n, GUID(i + 1)]))),
    );
    env = {
      MAIL_PLATFORM: 'graph',
      GRAPH_TENANT_ID: GUID(9),
      GRAPH_CLIENT_ID: GUID(8),
      GRAPH_CLIENT_SECRET: 'a-secret-never-repeated',
      GRAPH_GROUPS_FILE: groupsFile,
      GRAPH_LICENCE_SKU_ID: GUID(7),
      GRAPH_NOTICE_SENDER: 'notices@nhs.net',
    };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const refusal = (e: Record<string, string | undefined>) => {
    try {
      loadAppConfig(e, embedded);
    } catch (err) {
      return (err as Error).message;
    }
    return assert.fail('the configuration was accepted');
  };

  it("defaults to the simulated platform, and takes the Graph settings with Microsoft's hosts by default", () => {
    assert.deepEqual(loadAppConfig({}, embedded).mailPlatform, { kind: 'simulated' });
    const config = loadAppConfig(env, embedded).mailPlatform;
    assert.equal(config.kind, 'graph');
    if (config.kind !== 'graph') return;
    assert.equal(config.settings.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(config.settings.baseUrl, 'https://graph.microsoft.com/v1.0');
    assert.equal(
      config.settings.groups['NHSmail-MFA-Standard-CA'],
      GUID(requiredGroupNames().indexOf('NHSmail-MFA-Standard-CA') + 1),
    );
  });

  it('Security: refuses each missing setting by its name, and never repeats the secret', () => {
    for (const name of [
      'GRAPH_TENANT_ID',
      'GRAPH_CLIENT_ID',
      'GRAPH_GROUPS_FILE',
      'GRAPH_LICENCE_SKU_ID',
      'GRAPH_NOTICE_SENDER',
    ]) {
      const message = refusal({ ...env, [name]: undefined });
      assert.match(message, new RegExp(name), name);
      assert.doesNotMatch(message, /a-secret-never-repeated/);
    }
    assert.match(
      refusal({ ...env, GRAPH_CLIENT_SECRET: undefined }),
      /exactly one of GRAPH_CLIENT_SECRET and GRAPH_CLIENT_CERTIFICATE_PATH/,
    );
    assert.match(refusal({ ...env, GRAPH_CLIENT_CERTIFICATE_PATH: groupsFile }), /exactly one of/);
  });

  it('Security: refuses each malformed setting by its name', () => {
    const cases: [string, string, RegExp][] = [
      ['MAIL_PLATFORM', 'exchange', /MAIL_PLATFORM must be simulated or graph/],
      ['GRAPH_TENANT_ID', 'not a tenant!', /GRAPH_TENANT_ID must be a GUID or a domain name/],
      ['GRAPH_CLIENT_ID', 'app', /GRAPH_CLIENT_ID must be a GUID/],
      ['GRAPH_LICENCE_SKU_ID', 'E5', /GRAPH_LICENCE_SKU_ID must be a GUID/],
      ['GRAPH_NOTICE_SENDER', 'notices', /GRAPH_NOTICE_SENDER must be a mailbox address/],
      ['GRAPH_AUTHORITY_HOST', 'http://login.example', /GRAPH_AUTHORITY_HOST must be an https:\/\/ URL/],
      ['GRAPH_BASE_URL', 'graph.microsoft.com', /GRAPH_BASE_URL must be an https:\/\/ URL/],
      ['GRAPH_CLIENT_SECRET', 'bad\u0007secret', /GRAPH_CLIENT_SECRET must not hold control characters/],
      [
        'GRAPH_GROUPS_FILE',
        path.join(dir, 'none.json'),
        /GRAPH_GROUPS_FILE names a file that cannot be read/,
      ],
      ['GRAPH_CA_FILE', groupsFile, /GRAPH_CA_FILE must be a PEM file/],
    ];
    for (const [name, value, message] of cases) {
      const said = refusal({ ...env, [name]: value });
      assert.match(said, message, name);
      assert.ok(!said.includes('bad\u0007secret') && !said.includes('a-secret-never-repeated'), name);
    }
    const certificate = path.join(dir, 'cert.pem');
    fs.writeFileSync(certificate, 'not a certificate');
    assert.match(
      refusal({ ...env, GRAPH_CLIENT_SECRET: undefined, GRAPH_CLIENT_CERTIFICATE_PATH: certificate }),
      /GRAPH_CLIENT_CERTIFICATE_PATH must be a PEM file holding the certificate and its private key/,
    );
  });

  it('R21, R14a: refuses a groups file that is not JSON, not names to GUIDs, or misses a group the register needs, naming it', () => {
    fs.writeFileSync(groupsFile, '{');
    assert.match(refusal(env), /GRAPH_GROUPS_FILE is not JSON/);
    fs.writeFileSync(groupsFile, JSON.stringify({ 'NHSmail-MFA-Standard-CA': 'group-1' }));
    assert.match(
      refusal(env),
      /GRAPH_GROUPS_FILE must be a JSON object from group and policy names to Graph group object ids/,
    );
    fs.writeFileSync(groupsFile, JSON.stringify({ 'NHSmail-MFA-Standard-CA': GUID(1) }));
    assert.match(
      refusal(env),
      /GRAPH_GROUPS_FILE has no group id for GSTT Standard User Policy, .*UCLH-MFA-Local-CA/,
    );
  });
});
