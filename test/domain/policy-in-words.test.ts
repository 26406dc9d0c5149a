import assert from 'node:assert/strict';
import { inWords, rangeInWords } from '../../src/domain/durations';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { policyInWords } from '../../src/domain/policy-in-words';
import { DEMO_POLICY } from '../helpers/demo-policy';

const HOUR = 60 * 60 * 1000;

describe('Durations in words from the policy in force', () => {
  it('Issue 27 item 3, R15, R22, R28: the rules’ policy says "1 to 24 hours", "24 hours", "6 months" and "30 days"', () => {
    assert.deepEqual(policyInWords(DEFAULT_POLICY), {
      pendingWait: '1 to 24 hours',
      firstMailboxCheck: '1 hour',
      provisioningOverdue: '24 hours',
      syncOverdue: '2 hours',
      shortMfaException: '24 hours',
      longMfaException: '6 months',
      leaverWindow: '30 days',
    });
  });

  it('Issue 27 item 3, R15, R22: a demonstration’s policy says its own seconds and minutes, never the rules’ hours', () => {
    const words = policyInWords({ ...DEMO_POLICY, longMfaExceptionMonths: 1 });
    assert.equal(words.pendingWait, '10 seconds to 2 minutes');
    assert.equal(words.firstMailboxCheck, '10 seconds');
    assert.equal(words.provisioningOverdue, '2 minutes');
    assert.equal(words.shortMfaException, '1 minute');
    assert.equal(words.longMfaException, '1 month');
  });

  it('Issue 27 item 3: a range in one unit names it once; in two, each end has its own', () => {
    assert.equal(rangeInWords(HOUR, 24 * HOUR), '1 to 24 hours');
    assert.equal(rangeInWords(10_000, 24 * HOUR), '10 seconds to 24 hours');
    assert.equal(rangeInWords(60_000, 60_000), '1 minute');
    assert.equal(rangeInWords(HOUR, 5 * 24 * HOUR), '1 hour to 5 days');
    assert.equal(inWords(90 * 60_000), '90 minutes');
  });
});
