import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';
import { DEFAULT_POLICY } from '../../src/domain/policy';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };

describe('Configuration', () => {
  it("defaults every lifecycle duration to the rules' values", () => {
    const config = loadAppConfig({}, embedded);
    assert.deepEqual(config.policy, DEFAULT_POLICY);
    assert.equal(config.policy.mailboxFirstPollAfterMs, 60 * 60 * 1000);
    assert.equal(config.policy.longMfaExceptionMonths, 6);
    assert.equal(config.codec.trustLoopback, true);
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

  it('names each setting at fault', () => {
    assert.throws(
      () => loadAppConfig({ POLICY_POLL_INTERVAL: 'soon', PORT: 'x' }, embedded),
      (err: Error) => /POLICY_POLL_INTERVAL/.test(err.message) && /PORT/.test(err.message),
    );
  });

  it('against a real cluster, needs its own principals and does not trust loopback callers', () => {
    assert.throws(() => loadAppConfig({}, { ...embedded, embedded: false }), /PRINCIPALS_FILE/);
    const config = loadAppConfig(
      { PRINCIPALS_FILE: '/etc/principals.json' },
      { ...embedded, embedded: false },
    );
    assert.equal(config.codec.trustLoopback, false);
  });
});
