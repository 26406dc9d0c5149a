import {
  endMfaException,
  requestMfaException,
  retryProvisioning,
  editAttributes,
  setNotes,
} from '../../src/workflows/definitions';
import {
  ADMIN,
  DAY,
  HOUR,
  MINUTE,
  liveThrough,
  passFirstGates,
  report,
  reported,
  type Harness,
  ukTestMobile,
  until,
} from '../helpers/lifecycle-harness';

/** The lifecycles whose histories are kept as replay fixtures: each a path a real account takes. */

/** Create to canSendEmail: provisioning, every gate, the sync. */
export async function happyPath(h: Harness, options: { mobile?: string } = {}) {
  const mobile = options.mobile ?? ukTestMobile();
  const started = await h.start({ profile: { mobile } });
  const password = await h.temporaryPassword(started.handle, started.id);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Active', 'Active');
  await passFirstGates(started.handle);
  await report(started.handle, {
    type: 'MfaRegistered',
    method: 'sms',
    phone: reported(mobile),
  });
  await report(started.handle, { type: 'ProfileUpdated', mobile: reported(mobile) });
  await h.sleep(HOUR);
  const view = await until(started.handle, (v) => v.canSendEmail, 'canSendEmail');
  return { ...started, password, view };
}

/** An exception before registration, replaced, ended early, then a long one that runs out. */
export async function mfaExceptions(h: Harness) {
  const started = await h.start({ organisation: 'RRV' });
  await h.temporaryPassword(started.handle, started.id);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Active', 'Active');
  await passFirstGates(started.handle);
  const ask = (term: 'short' | 'long') =>
    started.handle.executeUpdate(requestMfaException, {
      args: [{ actor: ADMIN, term, riskAssessmentRef: 'RA-7' }],
    });
  await ask('short');
  await h.sleep(6 * HOUR);
  await ask('short');
  await started.handle.executeUpdate(endMfaException, { args: [{ actor: ADMIN }] });
  await ask('long');
  await liveThrough(h, started.handle, 190 * DAY);
  await until(started.handle, (v) => v.mfa.exception === null, 'long exception over');
  return started;
}

/** Provisioning overdue, failed at 72 hours, retried, then edits and notes. */
export async function failedThenRetried(h: Harness) {
  const delay = h.platform.settings.mailboxDelayMs;
  h.platform.settings.mailboxDelayMs = null;
  const started = await h.start({ organisation: 'R0A', profile: { firstName: 'Grace' } });
  await h.temporaryPassword(started.handle, started.id);
  await started.handle.executeUpdate(setNotes, { args: [{ actor: ADMIN, notes: 'Starts on Monday' }] });
  await h.sleep(73 * HOUR);
  await until(started.handle, (v) => v.status === 'ProvisioningFailed', 'failed');
  h.platform.settings.mailboxDelayMs = delay;
  await started.handle.executeUpdate(retryProvisioning, { args: [{ actor: ADMIN }] });
  await h.temporaryPassword(started.handle, started.id);
  await h.sleep(4 * HOUR);
  await until(started.handle, (v) => v.status === 'Active', 'Active after retry');
  await started.handle.executeUpdate(editAttributes, {
    args: [{ actor: ADMIN, changes: { lastName: 'Hopper' } }],
  });
  await report(started.handle, { type: 'PasswordChanged' });
  await report(started.handle, { type: 'ProfileUpdated', mobile: reported('+33612345678') });
  await started.handle.executeUpdate(editAttributes, {
    args: [{ actor: ADMIN, changes: { mobile: ukTestMobile() } }],
  });
  return started;
}
