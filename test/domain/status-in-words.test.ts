import assert from 'node:assert/strict';
import type { NewAccount } from '../../src/domain/account';
import { initialState, viewOf, type AccountState } from '../../src/domain/lifecycle-state';
import { snapshotOf } from '../../src/domain/organisation';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { statusInWords } from '../../src/domain/status-in-words';
import { referenceData } from '../../src/reference/reference-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-01-05T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function account(mobile?: string): AccountState {
  const created: NewAccount = {
    id: 'ada.lovelace@nhs.net',
    email: 'ada.lovelace@nhs.net',
    profile: {
      title: 'Dr',
      firstName: 'Ada',
      lastName: 'Lovelace',
      ...(mobile ? { mobile } : {}),
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

function active(mobile = '+447400123456'): AccountState {
  const state = account(mobile);
  state.status = 'Active';
  state.mailboxLocation = 'Exchange Online';
  state.activatedAt = iso(T0 + 3 * HOUR);
  state.activeSince = state.activatedAt;
  state.mfa.group = 'NHSmail-MFA-Standard-CA';
  state.mfa.inGroup = true;
  return state;
}

const words = (state: AccountState) =>
  statusInWords(viewOf(state, DEFAULT_POLICY), DEFAULT_POLICY).lines.join(' ');

describe('Status in plain words', () => {
  it('R15, R16: a Pending account waits for its mailbox, with the next check, the overdue time and the failure time', () => {
    const state = account();
    state.provisioning.requestedAt = iso(T0);
    state.provisioning.nextPollAt = iso(T0 + HOUR);
    const text = words(state);
    assert.match(
      text,
      /Waiting for the mailbox to be created in Exchange Online: requested at 2026-01-05T09:00:00.000Z/,
    );
    assert.match(text, /mailboxes take 1 to 24 hours \(R15\)/);
    assert.match(text, /Next check of the mailbox: 2026-01-05T10:00:00.000Z/);
    assert.match(text, /Overdue, with an incident, at 2026-01-06T09:00:00.000Z/);
    assert.match(text, /Provisioning fails at 2026-01-08T09:00:00.000Z/);
    assert.match(text, /notes can be changed now \(R17\)/);
  });

  it('R18, R8: an Active account names the first-login step it waits for next, and a missing mobile', () => {
    const state = active('');
    delete state.profile.mobile;
    state.gates.PasswordChanged = iso(T0 + 4 * HOUR);
    const text = words(state);
    assert.match(
      text,
      /next, to accept the Acceptable Use Policy; still to do after that: set their account secret, register/,
    );
    assert.match(text, /no UK mobile number/);
    assert.match(text, /Becomes Inactive at 2026-02-04T12:00:00.000Z if the user does not sign in \(R30\)/);
  });

  it('R20, R19, R24: the sync after the AUP, then ready; an MFA exception says its reference, its end and the group it rejoins', () => {
    const state = active();
    for (const gate of [
      'PasswordChanged',
      'AupAccepted',
      'SecretSet',
      'MfaRegistered',
      'ProfileUpdated',
    ] as const) {
      state.gates[gate] = iso(T0 + 4 * HOUR);
    }
    state.sync = {
      ...state.sync,
      status: 'Waiting',
      startedAt: iso(T0 + 4 * HOUR),
      nextPollAt: iso(T0 + 5 * HOUR),
    };
    assert.match(
      words(state),
      /Waiting for the platform sync .*; overdue at 2026-01-05T15:00:00.000Z \(R20\)/,
    );
    state.sync.status = 'Complete';
    state.mfa.exception = {
      term: 'short',
      riskAssessmentRef: 'RA-7',
      startedAt: iso(T0 + 5 * HOUR),
      endsAt: iso(T0 + 29 * HOUR),
      requestedBy: { kind: 'local-admin', id: 'a', name: 'A' },
      groupLeft: 'NHSmail-MFA-Standard-CA',
    };
    const text = words(state);
    assert.match(text, /Ready: the user can send email and use Teams/);
    assert.match(
      text,
      /MFA exception \(short term, risk assessment RA-7\) until 2026-01-06T14:00:00.000Z; then the account rejoins NHSmail-MFA-Standard-CA/,
    );
  });

  it('R28, R32: a leaver waits for a joiner until its window ends; a deleted account is restorable until its window ends', () => {
    const state = active();
    state.status = 'Leaver';
    state.leaver = {
      markedAt: iso(T0 + DAY),
      windowEndsAt: iso(T0 + 31 * DAY),
      markedBy: { kind: 'local-admin', id: 'a', name: 'A' },
      organisation: { code: 'RJ1', name: "Guy's and St Thomas' NHS Foundation Trust" },
    };
    assert.match(
      words(state),
      /another organisation can accept them as a joiner until 2026-02-05T09:00:00.000Z/,
    );
    state.status = 'Deleted';
    state.deletion = {
      deletedAt: iso(T0 + 31 * DAY),
      restorableUntil: iso(T0 + 61 * DAY),
      reason: 'no organisation accepted the leaver',
      statusBefore: 'Leaver',
      closedAt: null,
    };
    assert.match(
      words(state),
      /A national administrator can restore it until 2026-03-07T09:00:00.000Z \(R32\)/,
    );
  });

  it('writes each time with the formatter it is given', () => {
    const state = account();
    state.provisioning.requestedAt = iso(T0);
    state.provisioning.nextPollAt = iso(T0 + HOUR);
    const view = viewOf(state, DEFAULT_POLICY);
    assert.match(statusInWords(view, DEFAULT_POLICY, () => 'SOON').lines.join(' '), /requested at SOON/);
  });
});
