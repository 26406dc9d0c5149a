import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';
import { EXCHANGE_ONLINE, SYSTEM, type Actor } from '../../domain/account';
import type { DeadlineKind } from '../../domain/deadlines';
import { inWords } from '../../domain/durations';
import { freshProvisioning } from '../../domain/lifecycle-state';
import { defaultPolicyFor } from '../../domain/organisation';
import { pollBackoffMs } from '../../domain/policy';
import { PLATFORM_REFUSED } from '../../ports/mail-platform';
import { retryRefusal, type Refusal } from '../../domain/refusals';
import { retryProvisioningUpdate } from '../definitions';
import { act } from './act';
import { change, isoAt, now, record, refusal, type Lifecycle } from './context';
import { joinMfa } from './mfa';
import { applyHeldEdit } from './profile';

/** R13, R15: creates the platform account with a temporary password, and requests the mailbox. */
export async function requestMailbox(lc: Lifecycle): Promise<void> {
  const { state, policy } = lc;
  const { profile } = state;
  let sealedTemporaryPassword: string;
  try {
    ({ sealedTemporaryPassword } = await act.createPlatformAccount({
      accountId: state.id,
      email: state.email,
      displayName: state.displayName,
      organisationCode: state.organisation.code,
      organisationName: state.organisation.name,
      firstName: profile.firstName,
      lastName: profile.lastName,
      ...platformProfile(profile),
    }));
  } catch (err) {
    const refused = platformRefusal(err);
    if (!refused) throw err;
    return refusedByPlatform(lc, refused);
  }
  lc.password.sealed = sealedTemporaryPassword;
  const requested = Date.now();
  state.provisioning.requestedAt = isoAt(requested);
  state.provisioning.nextPollAt = isoAt(requested + policy.mailboxFirstPollAfterMs);
  record(lc, SYSTEM, 'Account created on the mail platform with a temporary password; mailbox requested');
}

/** The profile fields a platform may hold (the name aside), as a platform change carries them. */
export function platformProfile(p: {
  jobTitle?: string;
  mobile?: string;
  telephone?: string;
  fax?: string;
  organisationalUnit?: string;
  site?: string;
}) {
  const { jobTitle, mobile, telephone, fax, organisationalUnit, site } = p;
  return Object.fromEntries(
    Object.entries({ jobTitle, mobile, telephone, fax, organisationalUnit, site }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

/** The platform's refusal of a create for good (a conflict, a request it never accepts), if that is `err`. */
function platformRefusal(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === PLATFORM_REFUSED ? cause : undefined;
}

/**
 * R16: the platform refused the account for good (its address held by an account this one did not make,
 * say): provisioning fails at once, with an incident saying why; an administrator can retry once resolved.
 */
async function refusedByPlatform(lc: Lifecycle, refused: ApplicationFailure): Promise<void> {
  const { state } = lc;
  const p = state.provisioning;
  p.incidentId = await act.raiseIncident({
    key: `${state.id}/provisioning/${p.attempt}/refused`,
    accountId: state.id,
    kind: 'ProvisioningRefused',
    summary: `The mail platform refused to create ${state.email}: ${refused.message}`,
  });
  state.status = 'ProvisioningFailed';
  p.failedAt = now();
  p.nextPollAt = null;
  lc.password.sealed = null;
  lc.password.toShow = false;
  record(lc, SYSTEM, 'Provisioning failed: the mail platform refused the account (R16)', {
    detail: `${refused.message} (incident ${p.incidentId})`,
  });
}

/** R16: an administrator retries a failed provisioning, with a new temporary password. */
export async function retryProvisioning(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  const { state } = lc;
  record(lc, actor, 'Provisioning retried');
  state.status = 'Pending';
  state.provisioning = freshProvisioning(state.provisioning.attempt + 1);
  lc.password.toShow = true;
  await requestMailbox(lc);
}

/** The change of a failed provisioning: its retry (R16). */
export const provisioningChanges = [
  change({
    update: retryProvisioningUpdate,
    refusal: (lc) => retryRefusal(lc.state),
    apply: retryProvisioning,
  }),
];

/** R15, R16: polls, and at the deadlines marks the provisioning overdue or failed, looking once more first. */
export async function provisioningDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  const fails = due.has('provisioning-fails');
  const overdue = due.has('provisioning-overdue');
  if (!fails && !overdue && !due.has('mailbox-poll')) return;
  // A last look at the mailbox before calling it overdue or failed: it may have just become active.
  await pollMailbox(lc);
  if (lc.state.status !== 'Pending') return;
  if (fails) await failProvisioning(lc);
  else if (overdue) await markProvisioningOverdue(lc);
}

async function pollMailbox(lc: Lifecycle): Promise<void> {
  const p = lc.state.provisioning;
  const status = await act.mailboxStatus(lc.state.id);
  p.polls += 1;
  p.lastPolledAt = now();
  if (status.state === 'Created' && status.location === EXCHANGE_ONLINE) return activate(lc);
  p.nextPollAt = isoAt(Date.now() + pollBackoffMs(lc.policy, p.polls - 1));
}

/** R15, R14a, R21: Active in Exchange Online; the default policy and the MFA group. */
async function activate(lc: Lifecycle): Promise<void> {
  const { state } = lc;
  const p = state.provisioning;
  state.status = 'Active';
  state.mailboxLocation = EXCHANGE_ONLINE;
  state.activatedAt = now();
  p.nextPollAt = null;
  record(lc, SYSTEM, `Mailbox active in ${EXCHANGE_ONLINE}`);
  if (p.incidentId) {
    await act.updateIncident(p.incidentId, {
      noteKey: `active/${p.attempt}`,
      note: `Mailbox became active at ${state.activatedAt}.`,
      status: 'Resolved',
    });
  }
  state.activeSince = state.activatedAt;
  await joinDefaultPolicy(lc);
  await joinMfa(lc);
  await applyHeldEdit(lc); // R33: a feed's edit made while Pending
}

/** R14a: the organisation's default policy, where that is not the national user policy. */
export async function joinDefaultPolicy(lc: Lifecycle): Promise<void> {
  const { state } = lc;
  const defaultPolicy = defaultPolicyFor(state.organisation);
  if (defaultPolicy) {
    await act.assignPolicy(state.id, defaultPolicy);
    record(lc, SYSTEM, "Added to the organisation's default policy", { detail: defaultPolicy });
  } else if (state.defaultPolicy) {
    await act.removePolicy(state.id);
    record(lc, SYSTEM, 'Back on the national user policy', { detail: `left ${state.defaultPolicy}` });
  }
  state.defaultPolicy = defaultPolicy;
}

async function markProvisioningOverdue(lc: Lifecycle): Promise<void> {
  const { state, policy } = lc;
  const p = state.provisioning;
  p.incidentId = await act.raiseIncident({
    key: `${state.id}/provisioning/${p.attempt}`,
    accountId: state.id,
    kind: 'ProvisioningOverdue',
    summary:
      `The mailbox of ${state.email} is not active ${inWords(policy.provisioningOverdueAfterMs)} after it ` +
      `was requested at ${p.requestedAt}.`,
  });
  p.overdue = true;
  record(lc, SYSTEM, 'Provisioning overdue: incident raised', { detail: p.incidentId });
}

async function failProvisioning(lc: Lifecycle): Promise<void> {
  const { state, policy } = lc;
  const p = state.provisioning;
  if (!p.incidentId) await markProvisioningOverdue(lc);
  await act.deletePlatformAccount(state.id);
  state.status = 'ProvisioningFailed';
  p.failedAt = now();
  p.nextPollAt = null;
  lc.password.sealed = null;
  lc.password.toShow = false;
  await act.updateIncident(p.incidentId!, {
    noteKey: `failed/${p.attempt}`,
    note:
      `Provisioning failed ${inWords(policy.provisioningFailAfterMs)} after the request; the partial account ` +
      'was removed and an administrator can retry it.',
    status: 'Open',
  });
  record(lc, SYSTEM, 'Provisioning failed: partial account removed', { detail: p.incidentId! });
}

/** R13: the sealed temporary password, once per password issued; waits while it is being set. */
export async function takeTemporaryPassword(lc: Lifecycle): Promise<{ sealedTemporaryPassword: string }> {
  await condition(() => lc.password.sealed !== null || !lc.password.toShow);
  const sealed = lc.password.sealed;
  if (sealed === null) throw refusal(passwordRefusal(lc) ?? SHOWN_ONCE); // taken meanwhile, or failed
  lc.password.sealed = null;
  lc.password.toShow = false;
  return { sealedTemporaryPassword: sealed };
}

export const passwordRefusal = (lc: Lifecycle): Refusal | null =>
  lc.password.toShow ? null : lc.state.status === 'ProvisioningFailed' ? FAILED : SHOWN_ONCE;

const FAILED: Refusal = {
  message:
    'Provisioning failed, so the account has no temporary password; an administrator can retry it (R16).',
};

const SHOWN_ONCE: Refusal = { message: 'The temporary password has already been shown once (R13).' };
