import assert from 'node:assert/strict';
import path from 'node:path';
import { loadAppConfig } from '../../src/config/app-config';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { PROJECT_ROOT } from '../../src/project-root';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };
const cluster = { ...embedded, embedded: false };
const DEV_PRINCIPALS_FILE = path.join(PROJECT_ROOT, 'config/dev-principals.json');
const KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

describe('Configuration', () => {
  it("defaults every lifecycle duration to the rules' values", () => {
    const config = loadAppConfig({}, embedded);
    assert.deepEqual(config.policy, DEFAULT_POLICY);
    assert.equal(config.policy.mailboxFirstPollAfterMs, 60 * 60 * 1000);
    assert.equal(config.policy.longMfaExceptionMonths, 6);
  });

  it('lets a demonstration shorten the durations and the simulated delays', () => {
    const config = loadAppConfig(
      {
        POLICY_MAILBOX_FIRST_POLL_AFTER: '1m',
        POLICY_SHORT_MFA_EXCEPTION: '5m',
        SIM_MAILBOX_DELAY: '90s',
        SIM_SYNC_DELAY: 'never',
      },
      embedded,
    );
    assert.equal(config.policy.mailboxFirstPollAfterMs, 60_000);
    assert.equal(config.policy.shortMfaExceptionMs, 300_000);
    assert.equal(config.simulation.mailboxDelayMs, 90_000);
    assert.equal(config.simulation.syncDelayMs, null);
  });

  it('R2: keeps the audit trail 8 years unless AUDIT_KEPT_FOR says otherwise, a bad value named', () => {
    assert.equal(loadAppConfig({}, embedded).auditKeptForMs, 8 * 365.25 * 24 * 60 * 60 * 1000);
    assert.equal(loadAppConfig({ AUDIT_KEPT_FOR: '10y' }, embedded).auditKeptForMs, 10 * 365.25 * 864e5);
    assert.throws(() => loadAppConfig({ AUDIT_KEPT_FOR: 'forever' }, embedded), /AUDIT_KEPT_FOR/);
  });

  it('names each setting at fault', () => {
    assert.throws(
      () => loadAppConfig({ POLICY_POLL_INTERVAL: 'soon', PORT: 'x' }, embedded),
      (err: Error) => /POLICY_POLL_INTERVAL/.test(err.message) && /PORT/.test(err.message),
    );
  });

  it('against a real cluster, needs its own principals and does not trust loopback callers', () => {
    assert.throws(() => loadAppConfig({}, cluster), /PRINCIPALS_FILE/);
    const config = loadAppConfig({ PRINCIPALS_FILE: '/etc/principals.json', ENCRYPTION_KEYS: KEYS }, cluster);
    assert.equal(config.codec.trustLoopback, false);
  });

  it('security: against a real cluster, ENCRYPTION_KEYS is required; the development key is for the embedded run', () => {
    assert.throws(
      () => loadAppConfig({ PRINCIPALS_FILE: '/etc/principals.json' }, cluster),
      /ENCRYPTION_KEYS is required/,
    );
    assert.throws(
      () => loadAppConfig({ PRINCIPALS_FILE: '/etc/principals.json', ENCRYPTION_KEYS: ' ' }, cluster),
      /ENCRYPTION_KEYS is required/,
    );
    assert.doesNotThrow(() => loadAppConfig({}, embedded));
  });

  it('security: the demo principals are refused unless the API listens on loopback only', () => {
    assert.throws(
      () => loadAppConfig({ API_HOST: '0.0.0.0' }, embedded),
      (err: Error) => /API_HOST=0\.0\.0\.0/.test(err.message) && /PRINCIPALS_FILE/.test(err.message),
    );
    assert.throws(
      () => loadAppConfig({ API_HOST: '::', PRINCIPALS_FILE: DEV_PRINCIPALS_FILE }, embedded),
      /demo principals/,
    );
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      assert.equal(loadAppConfig({ API_HOST: host }, embedded).principalsFile, DEV_PRINCIPALS_FILE);
    }
    const own = loadAppConfig(
      { API_HOST: '0.0.0.0', PRINCIPALS_FILE: '/etc/principals.json', ALLOWED_HOSTS: 'api.example.nhs.uk' },
      embedded,
    );
    assert.equal(own.host, '0.0.0.0');
  });

  it("security: the codec's loopback trust is an explicit opt-in of the embedded run on a loopback address", () => {
    assert.equal(loadAppConfig({}, embedded).codec.trustLoopback, false, 'off unless asked for');
    assert.equal(loadAppConfig({ CODEC_TRUST_LOOPBACK: 'true' }, embedded).codec.trustLoopback, true);
    assert.throws(
      () =>
        loadAppConfig(
          { CODEC_TRUST_LOOPBACK: 'true', PRINCIPALS_FILE: '/etc/p.json', ENCRYPTION_KEYS: KEYS },
          cluster,
        ),
      /embedded run only/,
    );
    assert.throws(
      () =>
        loadAppConfig(
          { CODEC_TRUST_LOOPBACK: 'true', API_HOST: '0.0.0.0', PRINCIPALS_FILE: '/etc/p.json' },
          embedded,
        ),
      /loopback address only/,
    );
  });

  it('security, R33: rate limits default generously and are configurable, each bad value named', () => {
    assert.deepEqual(loadAppConfig({}, embedded).rateLimits, {
      perPrincipalPerMinute: 600,
      scimPerClientPerMinute: 1200,
      authFailures: 50,
      authFailureWindowMs: 15 * 60 * 1000,
    });
    const config = loadAppConfig(
      {
        RATE_LIMIT_PER_MINUTE: '5',
        RATE_LIMIT_SCIM_PER_MINUTE: '7',
        RATE_LIMIT_AUTH_FAILURES: '3',
        RATE_LIMIT_AUTH_FAILURE_WINDOW: '1h',
      },
      embedded,
    );
    assert.deepEqual(config.rateLimits, {
      perPrincipalPerMinute: 5,
      scimPerClientPerMinute: 7,
      authFailures: 3,
      authFailureWindowMs: 60 * 60 * 1000,
    });
    assert.throws(
      () =>
        loadAppConfig(
          {
            RATE_LIMIT_PER_MINUTE: '0',
            RATE_LIMIT_AUTH_FAILURES: 'many',
            RATE_LIMIT_AUTH_FAILURE_WINDOW: 'x',
          },
          embedded,
        ),
      (err: Error) =>
        ['RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_AUTH_FAILURES', 'RATE_LIMIT_AUTH_FAILURE_WINDOW'].every(
          (name) => err.message.includes(name),
        ),
    );
  });

  it('keeps the shared stores in the embedded SQLite file unless DATABASE_URL names a PostgreSQL database', () => {
    assert.deepEqual(loadAppConfig({}, embedded).stores, { kind: 'sqlite', file: '/tmp/data/engine.sqlite' });
    const url = 'postgresql://nhsmail:s3cret-pw@db.example.nhs.uk:5432/nhsmail';
    assert.deepEqual(loadAppConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '20' }, embedded).stores, {
      kind: 'postgres',
      url,
      poolSize: 20,
    });
    assert.throws(
      () => loadAppConfig({ DATABASE_URL: 'mysql://nhsmail:s3cret-pw@db/nhsmail' }, embedded),
      (err: Error) => /DATABASE_URL must be a postgres/.test(err.message) && !err.message.includes('s3cret'),
      'refused without repeating the URL and its password',
    );
  });

  it('serves metrics to this machine unless a METRICS_TOKEN of 20 characters or more is set', () => {
    assert.deepEqual(loadAppConfig({}, embedded).metrics, { workerHost: '127.0.0.1', workerPort: 9465 });
    const token = 'x'.repeat(20);
    assert.equal(loadAppConfig({ METRICS_TOKEN: token }, embedded).metrics.token, token);
    assert.throws(
      () => loadAppConfig({ METRICS_TOKEN: 'short' }, embedded),
      (err: Error) =>
        /METRICS_TOKEN must be at least 20 characters/.test(err.message) && !err.message.includes('short'),
    );
  });
});
