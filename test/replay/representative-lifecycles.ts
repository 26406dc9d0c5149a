import { snapshotOf } from '../../src/domain/organisation';
import { referenceData } from '../../src/reference/reference-data';
import {
  acceptJoinerUpdate,
  editAccountUpdate,
  endMfaExceptionUpdate,
  getAccountQuery,
  markLeaverUpdate,
  reactivateAccountUpdate,
  startMfaExceptionUpdate,
  resecureAccountUpdate,
  restoreAccountUpdate,
  retryProvisioningUpdate,
  setNotesUpdate,
  deleteAccountUpdate,
  updateFromFeedUpdate,
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
    started.handle.executeUpdate(startMfaExceptionUpdate, {
      args: [{ actor: ADMIN, term, riskAssessmentRef: 'RA-7' }],
    });
  await ask('short');
  await h.sleep(6 * HOUR);
  await ask('short');
  await started.handle.executeUpdate(endMfaExceptionUpdate, { args: [{ actor: ADMIN }] });
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
  await started.handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: 'Starts on Monday' }] });
  await h.sleep(73 * HOUR);
  await until(started.handle, (v) => v.status === 'ProvisioningFailed', 'failed');
  h.platform.settings.mailboxDelayMs = delay;
  await started.handle.executeUpdate(retryProvisioningUpdate, { args: [{ actor: ADMIN }] });
  await h.temporaryPassword(started.handle, started.id);
  await h.sleep(4 * HOUR);
  await until(started.handle, (v) => v.status === 'Active', 'Active after retry');
  await started.handle.executeUpdate(editAccountUpdate, {
    args: [{ actor: ADMIN, changes: { lastName: 'Hopper' } }],
  });
  await report(started.handle, { type: 'PasswordChanged' });
  await report(started.handle, { type: 'ProfileUpdated', mobile: reported('+33612345678') });
  await started.handle.executeUpdate(editAccountUpdate, {
    args: [{ actor: ADMIN, changes: { mobile: ukTestMobile() } }],
  });
  return started;
}

const NATIONAL = { kind: 'national-admin', id: 'nas', name: 'NAS' } as const;

/** R28, R32: an exception running at a move to another organisation; marked again, not accepted, deleted, restored. */
export async function leaverToJoiner(h: Harness) {
  const started = await h.start({ organisation: 'RRV' });
  await h.temporaryPassword(started.handle, started.id);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Active', 'Active');
  await passFirstGates(started.handle);
  await started.handle.executeUpdate(startMfaExceptionUpdate, {
    args: [{ actor: ADMIN, term: 'short', riskAssessmentRef: 'RA-9' }],
  });
  await started.handle.executeUpdate(markLeaverUpdate, { args: [{ actor: ADMIN }] });
  await h.sleep(5 * DAY);
  await started.handle.executeUpdate(acceptJoinerUpdate, {
    args: [
      {
        actor: ADMIN,
        organisation: snapshotOf(referenceData.organisation('FH542')!),
        changes: { jobTitle: 'Pharmacist' },
      },
    ],
  });
  await started.handle.executeUpdate(markLeaverUpdate, { args: [{ actor: ADMIN }] });
  await h.sleep(31 * DAY);
  await until(started.handle, (v) => v.status === 'Deleted', 'deleted');
  await started.handle.executeUpdate(restoreAccountUpdate, { args: [{ actor: NATIONAL }] });
  return started;
}

/** R29: a resecure not completed in time (an incident), then completed. */
export async function resecured(h: Harness) {
  const { handle } = await happyPath(h);
  await handle.executeUpdate(resecureAccountUpdate, { args: [{ actor: ADMIN }] });
  await h.temporaryPassword(handle, (await handle.query(getAccountQuery)).id);
  await report(handle, { type: 'SignedIn' });
  await liveThrough(h, handle, 31 * DAY);
  await until(handle, (v) => v.resecure?.overdue === true, 'resecure overdue');
  await passFirstGates(handle);
  return { handle };
}

/** R30, R32: Inactive, reactivated, Inactive again, deleted, and closed for good at the end of the restore window. */
export async function inactiveToClosed(h: Harness) {
  const started = await h.start();
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Active', 'Active');
  await h.sleep(31 * DAY);
  await until(started.handle, (v) => v.status === 'Inactive', 'Inactive');
  await started.handle.executeUpdate(reactivateAccountUpdate, { args: [{ actor: ADMIN }] });
  await h.sleep(92 * DAY);
  await started.handle.result();
  return started;
}

/**
 * R30 by asking: the platform's record of a sign-in re-arms the inactivity clock at its deadline, and makes an
 * Inactive account Active again at the deletion's; an edit of a field the platform holds (not the name).
 */
export async function askedSignIns(h: Harness) {
  const started = await happyPath(h);
  const { handle, id } = started;
  await handle.executeUpdate(editAccountUpdate, {
    args: [{ actor: ADMIN, changes: { jobTitle: 'Ward Sister' } }],
  });
  const activated = Date.parse((await handle.query(getAccountQuery)).activatedAt!);
  await h.sleep(20 * DAY);
  await h.platform.signIn(id, new Date(await h.now()));
  await h.sleep(activated + 30 * DAY + HOUR - (await h.now()));
  await h.sleep(31 * DAY);
  await until(handle, (v) => v.status === 'Inactive', 'Inactive'); // since day 50, 30 days after the sign-in
  await h.sleep(9 * DAY);
  await h.platform.signIn(id, new Date(await h.now()));
  await h.sleep(11 * DAY); // past day 80, when it would have been deleted
  await until(handle, (v) => v.status === 'Active', 'Active again');
  return started;
}

/** A lifecycle that continues as new part-way (a small history limit), and lives on in its second run. */
export async function continuedAsNew(h: Harness) {
  const started = await h.start({ policy: { historyEventLimit: 150 } });
  await h.temporaryPassword(started.handle, started.id);
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Active', 'Active');
  for (let i = 0; i < 40; i++) {
    await started.handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes: `note ${i}` }] });
  }
  await passFirstGates(started.handle);
  await started.handle.executeUpdate(startMfaExceptionUpdate, {
    args: [{ actor: ADMIN, term: 'short', riskAssessmentRef: 'RA-CAN' }],
  });
  await h.sleep(25 * HOUR);
  await until(started.handle, (v) => v.mfa.exception === null, 'exception over in the second run');
  return started;
}

/**
 * R33, R28: an account fed by SCIM: an edit and a leaver mark held while Pending and applied once Active, the
 * mark withdrawn, a future-dated leaver whose date is moved and which takes effect, a feed's delete.
 */
export async function fedByScim(h: Harness) {
  const feed = { kind: 'scim-client' as const, id: 'scim-rj1', name: 'RJ1 ESR feed' };
  const started = await h.start();
  await h.temporaryPassword(started.handle, started.id);
  const fromFeed = (request: Record<string, unknown>) =>
    started.handle.executeUpdate(updateFromFeedUpdate, { args: [{ actor: feed, ...request }] });
  await fromFeed({ externalId: 'ESR-1', changes: { jobTitle: 'Staff Nurse' } });
  await fromFeed({ leaving: { active: false, leavingDate: null } });
  await h.sleep(3 * HOUR + 30 * MINUTE);
  await until(started.handle, (v) => v.status === 'Leaver', 'marked once Active');
  await fromFeed({ leaving: { active: true, leavingDate: null } });
  const on = (days: number) => h.now().then((now) => new Date(now + days * DAY).toISOString());
  await fromFeed({ leaving: { active: true, leavingDate: await on(10) } });
  await h.sleep(2 * DAY);
  await fromFeed({ leaving: { active: true, leavingDate: await on(5) } });
  await liveThrough(h, started.handle, 6 * DAY);
  await until(started.handle, (v) => v.status === 'Leaver', 'marked on the moved date');
  await started.handle.executeUpdate(deleteAccountUpdate, { args: [{ actor: feed }] });
  return started;
}
