import assert from 'node:assert/strict';
import type { NewAccount } from '../../src/domain/account';
import { deadlinesOf, dueAt, earliest } from '../../src/domain/deadlines';
import { inWords } from '../../src/domain/durations';
import { initialState, type AccountState } from '../../src/domain/lifecycle-state';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { referenceData } from '../../src/reference/reference-data';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function account(): AccountState {
  const created: NewAccount = {
    id: 'ada.lovelace@nhs.net',
    email: 'ada.lovelace@nhs.net',
    profile: {
      title: 'Dr',
      firstName: 'Ada',
      lastName: 'Lovelace',
      clinicalSpecialities: [],
      clinicalRoles: [],
      workAreas: [],
    },
    organisation: snapshotOf(referenceData.organisation('RJ1')!),
    notes: '',
    createdBy: { kind: 'system', id: 't', name: 'T' },
  };
  return initialState(created, new Date(T0));
}

/** Pending, with the mailbox requested at T0 and the first poll an hour later (R15). */
function requested(): AccountState {
  const state = account();
  state.provisioning.requestedAt = iso(T0);
  state.provisioning.nextPollAt = iso(T0 + HOUR);
  return state;
}

describe('Deadlines: which timers an account has, and when', () => {
  it('R15, R16: a Pending account waits for its next poll, the 24-hour overdue mark and the 72-hour failure', () => {
    const d = deadlinesOf(requested(), DEFAULT_POLICY);
    assert.deepEqual(d, {
      'mailbox-poll': T0 + HOUR,
      'provisioning-overdue': T0 + 24 * HOUR,
      'provisioning-fails': T0 + 72 * HOUR,
    });
    assert.deepEqual(earliest(d), { kind: 'mailbox-poll', at: T0 + HOUR });
  });

  it('R15: nothing is due a millisecond before the first poll, and the poll is due at it', () => {
    const d = deadlinesOf(requested(), DEFAULT_POLICY);
    assert.deepEqual([...dueAt(d, T0 + HOUR - 1)], []);
    assert.deepEqual([...dueAt(d, T0 + HOUR)], ['mailbox-poll']);
  });

  it('R16: at 72 hours every provisioning deadline is due; once overdue, that mark is no longer a deadline', () => {
    const state = requested();
    assert.deepEqual(
      [...dueAt(deadlinesOf(state, DEFAULT_POLICY), T0 + 72 * HOUR)],
      ['mailbox-poll', 'provisioning-overdue', 'provisioning-fails'],
    );
    state.provisioning.overdue = true;
    assert.equal(deadlinesOf(state, DEFAULT_POLICY)['provisioning-overdue'], undefined);
  });

  it('R15: an account not yet requested, or Active, has no provisioning deadline', () => {
    assert.deepEqual(deadlinesOf(account(), DEFAULT_POLICY), {});
    const active = requested();
    active.status = 'Active';
    assert.deepEqual(deadlinesOf(active, DEFAULT_POLICY), {});
  });

  it('R20: after the AUP, the sync poll and the 2-hour overdue mark; none once complete', () => {
    const state = requested();
    state.status = 'Active';
    state.sync = {
      status: 'Waiting',
      startedAt: iso(T0),
      completedAt: null,
      polls: 0,
      nextPollAt: iso(T0 + 300_000),
      overdue: false,
      incidentId: null,
    };
    assert.deepEqual(deadlinesOf(state, DEFAULT_POLICY), {
      'sync-poll': T0 + 300_000,
      'sync-overdue': T0 + 2 * HOUR,
    });
    assert.deepEqual([...dueAt(deadlinesOf(state, DEFAULT_POLICY), T0 + 2 * HOUR - 1)], ['sync-poll']);
    state.sync.status = 'Complete';
    assert.deepEqual(deadlinesOf(state, DEFAULT_POLICY), {});
  });

  it('R24: an MFA exception ends at its end time, to the millisecond', () => {
    const state = requested();
    state.status = 'Active';
    const endsAt = T0 + 24 * HOUR;
    state.mfa.exception = {
      term: 'short',
      riskAssessmentRef: 'RA',
      startedAt: iso(T0),
      endsAt: iso(endsAt),
      requestedBy: state.createdBy,
      groupLeft: 'G',
    };
    const d = deadlinesOf(state, DEFAULT_POLICY);
    assert.deepEqual([...dueAt(d, endsAt - 1)], []);
    assert.deepEqual([...dueAt(d, endsAt)], ['mfa-exception-ends']);
  });

  it('texts state durations in words from the policy', () => {
    assert.equal(inWords(24 * HOUR), '24 hours');
    assert.equal(inWords(2 * HOUR), '2 hours');
    assert.equal(inWords(HOUR), '1 hour');
    assert.equal(inWords(30 * 24 * HOUR), '30 days');
    assert.equal(inWords(20_000), '20 seconds');
    assert.equal(inWords(90_000), '90 seconds');
  });
});
