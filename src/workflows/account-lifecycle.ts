import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  AccountEmail,
  AccountStatus,
  MfaExceptionEndsAt,
  OrganisationCode,
  ProvisioningOverdue,
  SyncOverdue,
} from '../../temporal-config/search-attributes';
import type { Activities } from '../activities';
import {
  EXCHANGE_ONLINE,
  SYSTEM,
  type Actor,
  type AuditEntry,
  type NewAccount,
  type Profile,
  type ProfileChanges,
} from '../domain/account';
import { addCalendarMonths } from '../domain/calendar';
import { directoryEntryOf } from '../domain/directory-entry';
import { displayName } from '../domain/display-name';
import { reportedPhone, type IdentityEvent } from '../domain/identity-events';
import {
  freshProvisioning,
  initialState,
  provisioningOverdue,
  syncOverdue,
  viewOf,
  type AccountState,
  type AccountView,
} from '../domain/lifecycle-state';
import { defaultPolicyFor, mfaGroupFor } from '../domain/organisation';
import { pollBackoffMs, type LifecyclePolicy } from '../domain/policy';
import {
  editRefusal,
  endMfaExceptionRefusal,
  identityEventRefusal,
  mfaExceptionRefusal,
  phoneVisibilityRefusal,
  retryRefusal,
  type Refusal,
} from '../domain/refusals';
import {
  REFUSED,
  editAttributes,
  endMfaException,
  getAccount,
  getAuditTrail,
  reportIdentityEvent,
  requestMfaException,
  retryProvisioning,
  setNotes,
  setPhoneVisibility,
  takeTemporaryPassword,
} from './definitions';
import { Lock } from './lock';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface LifecycleInput {
  account: NewAccount;
  policy: LifecyclePolicy;
  /** Set when the lifecycle continues as new: everything it knew, so nothing is lost. */
  carried?: {
    state: AccountState;
    audit: AuditEntry[];
    /** A temporary password not yet shown, sealed (R13). */
    password: { sealed: string | null; toShow: boolean };
  };
}

/**
 * One user account, from creation for as long as it lives (R15-R26). Timers are deadlines kept in the
 * state, so a continue-as-new or a restart resumes each exactly where it was.
 */
export async function accountLifecycle(input: LifecycleInput): Promise<void> {
  const { policy } = input;
  const state = input.carried?.state ?? initialState(input.account, new Date());
  const audit = input.carried?.audit ?? [];
  const { id } = state;
  const lock = new Lock();
  let wake = false;
  let sealedPassword = input.carried?.password.sealed ?? null;
  let passwordToShow = input.carried?.password.toShow ?? true;

  const now = () => new Date().toISOString();
  const at = (ms: number) => new Date(ms).toISOString();
  const record = (actor: Actor, action: string, extra: Omit<AuditEntry, 'at' | 'actor' | 'action'> = {}) => {
    audit.push({ at: now(), actor, action, ...extra });
  };
  /** When provisioning turns overdue and fails (R16), and when the sync turns overdue (R20); null if not begun. */
  const deadlines = () => {
    const requested = state.provisioning.requestedAt ? Date.parse(state.provisioning.requestedAt) : null;
    const syncStarted = state.sync.startedAt ? Date.parse(state.sync.startedAt) : null;
    return {
      overdueAt: requested === null ? null : requested + policy.provisioningOverdueAfterMs,
      failsAt: requested === null ? null : requested + policy.provisioningFailAfterMs,
      syncOverdueAt: syncStarted === null ? null : syncStarted + policy.syncOverdueAfterMs,
    };
  };
  const view = (): AccountView => {
    const { overdueAt, failsAt } = deadlines();
    return viewOf(state, {
      overdueAt: overdueAt === null ? null : at(overdueAt),
      failsAt: failsAt === null ? null : at(failsAt),
    });
  };
  const publishSearchAttributes = () =>
    upsertSearchAttributes([
      { key: AccountStatus, value: state.status },
      { key: AccountEmail, value: state.email },
      { key: OrganisationCode, value: state.organisation.code },
      { key: ProvisioningOverdue, value: provisioningOverdue(state) },
      { key: SyncOverdue, value: syncOverdue(state) },
      { key: MfaExceptionEndsAt, value: state.mfa.exception ? new Date(state.mfa.exception.endsAt) : null },
    ]);
  const publishDirectoryEntry = () => act.publishDirectoryEntry(directoryEntryOf(state));

  /** An admin or identity-platform change: refused by its validator, else applied under the lock. */
  function onUpdate<Req>(
    definition: UpdateDefinition<AccountView, [Req]>,
    refusal: (request: Req) => Refusal | null,
    apply: (request: Req) => Promise<void>,
  ) {
    setHandler(
      definition,
      (request) =>
        lock.run(async () => {
          refuseIf(refusal(request)); // the state may have moved on since the validator ran
          await apply(request);
          wake = true;
          return view();
        }),
      { validator: (request) => refuseIf(refusal(request)) },
    );
  }

  setHandler(getAccount, view);
  setHandler(getAuditTrail, () => audit);

  setHandler(
    takeTemporaryPassword,
    async () => {
      await condition(() => sealedPassword !== null || !passwordToShow);
      const sealed = sealedPassword;
      if (sealed === null) throw refusal(SHOWN_ONCE); // another request took it while this one waited
      sealedPassword = null;
      passwordToShow = false;
      return { sealedTemporaryPassword: sealed };
    },
    {
      validator: () => refuseIf(passwordToShow ? null : SHOWN_ONCE),
    },
  );

  onUpdate(
    editAttributes,
    () => editRefusal(state),
    async ({ actor, changes }) => {
      const profile = applyChanges(state.profile, changes);
      const diff = differences(state.profile, profile);
      // R7: an administrator setting a UK mobile re-enables, also when it is the number the account held.
      const reenable = state.disabledReason === 'NonUkMobile' && !!changes.mobile;
      if (Object.keys(diff).length === 0 && !reenable) return;
      if (Object.keys(diff).length > 0) {
        state.profile = profile;
        const name = displayName(profile.firstName, profile.lastName);
        if (name !== state.displayName) {
          diff.displayName = { from: state.displayName, to: name };
          state.displayName = name;
          await act.updatePlatformAccount(id, { displayName: name });
        }
        record(actor, 'Attributes edited', { changes: diff });
      }
      if (reenable) {
        await act.enableAccount(id);
        state.status = 'Active';
        state.disabledReason = null;
        record(actor, 'Account re-enabled: a UK mobile number was set (R7)');
        publishSearchAttributes();
      }
      await publishDirectoryEntry();
    },
  );

  onUpdate(
    setNotes,
    () => null,
    async ({ actor, notes }) => {
      if (notes === state.notes) return;
      record(actor, 'Notes changed', { changes: { notes: { from: state.notes, to: notes } } });
      state.notes = notes;
    },
  );

  onUpdate(
    reportIdentityEvent,
    ({ event }) => identityEventRefusal(state, event),
    async ({ actor, event }) => {
      const phone = reportedPhone(event);
      if (phone && !phone.uk) return disableForNonUkNumber(actor, event);
      if (event.type === 'ProfileUpdated' && phone && phone.e164 !== state.profile.mobile) {
        record(actor, 'Mobile number updated by the user', {
          changes: { mobile: { from: state.profile.mobile ?? null, to: phone.e164 } },
        });
        state.profile = { ...state.profile, mobile: phone.e164 };
        await publishDirectoryEntry();
      }
      if (state.gates[event.type] !== null) return;
      state.gates[event.type] = now();
      record(actor, `${event.type} reported`, event.type === 'MfaRegistered' ? { detail: event.method } : {});
      if (event.type === 'AupAccepted') await startSync();
    },
  );

  onUpdate(
    requestMfaException,
    (request) => mfaExceptionRefusal(state, request),
    async ({ actor, term, riskAssessmentRef }) => {
      const start = new Date();
      const endsAt = (
        term === 'short'
          ? new Date(start.getTime() + policy.shortMfaExceptionMs)
          : addCalendarMonths(start, policy.longMfaExceptionMonths)
      ).toISOString();
      const running = state.mfa.exception;
      const detail = `${term} term, risk assessment ${riskAssessmentRef}, until ${endsAt}`;
      if (running) {
        state.mfa.exception = { ...running, term, riskAssessmentRef, endsAt, requestedBy: actor };
        record(actor, 'MFA exception replaced', {
          changes: { endsAt: { from: running.endsAt, to: endsAt } },
          detail,
        });
      } else {
        const group = state.mfa.group!;
        await act.removeFromGroup(id, group);
        state.mfa.inGroup = false;
        state.mfa.exception = {
          term,
          riskAssessmentRef,
          startedAt: start.toISOString(),
          endsAt,
          requestedBy: actor,
          groupLeft: group,
        };
        record(actor, 'MFA exception started: left the MFA group', { detail: `${detail}; left ${group}` });
      }
      publishSearchAttributes();
    },
  );

  onUpdate(
    endMfaException,
    () => endMfaExceptionRefusal(state),
    ({ actor }) => endException(actor, 'MFA exception ended early'),
  );

  onUpdate(
    setPhoneVisibility,
    () => phoneVisibilityRefusal(state),
    async ({ actor, hidden }) => {
      if (hidden === state.phonesHiddenInDirectory) return;
      await act.setDirectoryPhoneVisibility(id, hidden);
      state.phonesHiddenInDirectory = hidden;
      record(
        actor,
        hidden ? 'Phone numbers hidden in the directory' : 'Phone numbers shown in the directory',
      );
    },
  );

  onUpdate(
    retryProvisioning,
    () => retryRefusal(state),
    async ({ actor }) => {
      record(actor, 'Provisioning retried');
      state.status = 'Pending';
      state.provisioning = freshProvisioning(state.provisioning.attempt + 1);
      passwordToShow = true;
      await requestMailbox();
    },
  );

  async function requestMailbox(): Promise<void> {
    const { sealedTemporaryPassword } = await act.createPlatformAccount({
      accountId: id,
      email: state.email,
      displayName: state.displayName,
      organisationCode: state.organisation.code,
    });
    sealedPassword = sealedTemporaryPassword;
    const requested = Date.now();
    state.provisioning.requestedAt = at(requested);
    state.provisioning.nextPollAt = at(requested + policy.mailboxFirstPollAfterMs);
    record(SYSTEM, 'Account created on the mail platform with a temporary password; mailbox requested');
    await publishDirectoryEntry();
    publishSearchAttributes();
  }

  async function pollMailbox(): Promise<void> {
    const p = state.provisioning;
    const status = await act.mailboxStatus(id);
    p.polls += 1;
    p.lastPolledAt = now();
    if (status.state === 'Created' && status.location === EXCHANGE_ONLINE) return activate();
    p.nextPollAt = at(Date.now() + pollBackoffMs(policy, p.polls - 1));
  }

  async function activate(): Promise<void> {
    const p = state.provisioning;
    state.status = 'Active';
    state.mailboxLocation = EXCHANGE_ONLINE;
    state.activatedAt = now();
    p.nextPollAt = null;
    record(SYSTEM, `Mailbox active in ${EXCHANGE_ONLINE}`);
    if (p.incidentId) {
      await act.updateIncident(p.incidentId, {
        noteKey: `active/${p.attempt}`,
        note: `Mailbox became active at ${state.activatedAt}.`,
        status: 'Resolved',
      });
    }
    const defaultPolicy = defaultPolicyFor(state.organisation);
    if (defaultPolicy) {
      await act.assignPolicy(id, defaultPolicy);
      state.defaultPolicy = defaultPolicy;
      record(SYSTEM, "Added to the organisation's default policy", { detail: defaultPolicy });
    }
    const group = mfaGroupFor(state.organisation);
    if (group) {
      await act.addToGroup(id, group);
      state.mfa.group = group;
      state.mfa.inGroup = true;
      record(SYSTEM, 'MFA applied: joined the Conditional Access group', { detail: group });
    }
    await publishDirectoryEntry();
    publishSearchAttributes();
  }

  async function markProvisioningOverdue(): Promise<void> {
    const p = state.provisioning;
    p.incidentId = await act.raiseIncident({
      key: `${id}/provisioning/${p.attempt}`,
      accountId: id,
      kind: 'ProvisioningOverdue',
      summary: `The mailbox of ${state.email} is not active 24 hours after it was requested at ${p.requestedAt}.`,
    });
    p.overdue = true;
    record(SYSTEM, 'Provisioning overdue: incident raised', { detail: p.incidentId });
    publishSearchAttributes();
  }

  async function failProvisioning(): Promise<void> {
    const p = state.provisioning;
    if (!p.incidentId) await markProvisioningOverdue();
    await act.deletePlatformAccount(id);
    state.status = 'ProvisioningFailed';
    p.failedAt = now();
    p.nextPollAt = null;
    sealedPassword = null;
    passwordToShow = false;
    await act.updateIncident(p.incidentId!, {
      noteKey: `failed/${p.attempt}`,
      note:
        'Provisioning failed 72 hours after the request; the partial account was removed and an ' +
        'administrator can retry it.',
      status: 'Open',
    });
    record(SYSTEM, 'Provisioning failed: partial account removed', { detail: p.incidentId! });
    await publishDirectoryEntry();
    publishSearchAttributes();
  }

  async function startSync(): Promise<void> {
    await act.beginSync(id);
    const started = Date.now();
    state.sync = {
      status: 'Waiting',
      startedAt: at(started),
      completedAt: null,
      polls: 0,
      nextPollAt: at(started + policy.syncFirstPollAfterMs),
      overdue: false,
      incidentId: null,
    };
  }

  async function pollSync(): Promise<void> {
    const s = state.sync;
    const { complete } = await act.syncStatus(id);
    s.polls += 1;
    if (!complete) {
      s.nextPollAt = at(Date.now() + pollBackoffMs(policy, s.polls - 1));
      return;
    }
    s.status = 'Complete';
    s.completedAt = now();
    s.nextPollAt = null;
    record(SYSTEM, 'Platform sync complete');
    if (s.incidentId) {
      await act.updateIncident(s.incidentId, {
        noteKey: 'complete',
        note: `Sync completed at ${s.completedAt}.`,
        status: 'Resolved',
      });
    }
    publishSearchAttributes();
  }

  async function markSyncOverdue(): Promise<void> {
    const s = state.sync;
    s.incidentId = await act.raiseIncident({
      key: `${id}/sync`,
      accountId: id,
      kind: 'SyncOverdue',
      summary: `The platform sync of ${state.email} is not complete 2 hours after the AUP was accepted at ${s.startedAt}.`,
    });
    s.overdue = true;
    record(SYSTEM, 'Sync overdue: incident raised', { detail: s.incidentId });
    publishSearchAttributes();
  }

  async function endException(actor: Actor, action: string): Promise<void> {
    const exception = state.mfa.exception!;
    await act.addToGroup(id, exception.groupLeft);
    state.mfa.group = exception.groupLeft;
    state.mfa.inGroup = true;
    state.mfa.exception = null;
    const again = state.gates.MfaRegistered === null ? '; MFA registration is required at next login' : '';
    record(actor, action, { detail: `rejoined ${exception.groupLeft}${again}` });
    publishSearchAttributes();
  }

  async function disableForNonUkNumber(actor: Actor, event: IdentityEvent): Promise<void> {
    await act.disableAccount(id, 'NonUkMobile');
    state.status = 'Disabled';
    state.disabledReason = 'NonUkMobile';
    record(actor, 'Account disabled: a non-UK phone number was registered (R7)', { detail: event.type });
    await publishDirectoryEntry();
    publishSearchAttributes();
  }

  /** Whatever has fallen due: polls, overdue marks, the end of provisioning, the end of an MFA exception. */
  async function runDueWork(): Promise<void> {
    const t = Date.now();
    const p = state.provisioning;
    const { overdueAt, failsAt, syncOverdueAt } = deadlines();
    if (state.status === 'Pending' && p.requestedAt) {
      const failDue = t >= failsAt!;
      const overdueDue = !p.overdue && t >= overdueAt!;
      // A last look at the mailbox before calling it overdue or failed: it may have just become active.
      if (failDue || overdueDue || t >= Date.parse(p.nextPollAt!)) await pollMailbox();
      if (state.status === 'Pending' && failDue) await failProvisioning();
      else if (state.status === 'Pending' && overdueDue) await markProvisioningOverdue();
    }
    const s = state.sync;
    if (s.status === 'Waiting') {
      if (!s.overdue && t >= syncOverdueAt!) await markSyncOverdue();
      if (t >= Date.parse(s.nextPollAt!)) await pollSync();
    }
    const exception = state.mfa.exception;
    if (exception && t >= Date.parse(exception.endsAt)) await endException(SYSTEM, 'MFA exception expired');
  }

  function nextDeadline(): number | undefined {
    const times: number[] = [];
    const p = state.provisioning;
    const { overdueAt, failsAt, syncOverdueAt } = deadlines();
    if (state.status === 'Pending' && p.requestedAt) {
      times.push(Date.parse(p.nextPollAt!), failsAt!);
      if (!p.overdue) times.push(overdueAt!);
    }
    const s = state.sync;
    if (s.status === 'Waiting') {
      times.push(Date.parse(s.nextPollAt!));
      if (!s.overdue) times.push(syncOverdueAt!);
    }
    if (state.mfa.exception) times.push(Date.parse(state.mfa.exception.endsAt));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  const continueAsNewDue = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= policy.historyEventLimit;

  if (!input.carried)
    record(state.createdBy, 'Account created', { detail: `${state.email} in ${state.organisation.name}` });
  publishSearchAttributes();
  if (!state.provisioning.requestedAt && state.status === 'Pending') await lock.run(requestMailbox);

  while (!continueAsNewDue()) {
    await lock.run(runDueWork);
    const deadline = nextDeadline();
    wake = false;
    const wakeUp = () => wake || continueAsNewDue();
    if (deadline === undefined) await condition(wakeUp);
    else await condition(wakeUp, Math.max(deadline - Date.now(), 1));
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof accountLifecycle>({
    account: input.account,
    policy,
    carried: { state, audit, password: { sealed: sealedPassword, toShow: passwordToShow } },
  });
}

const SHOWN_ONCE: Refusal = { message: 'The temporary password has already been shown once (R13).' };

function refusal({ message, missing = [] }: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSED, message, details: [{ missing }], nonRetryable: true });
}

function refuseIf(refused: Refusal | null): void {
  if (refused) throw refusal(refused);
}

function applyChanges(profile: Profile, changes: ProfileChanges): Profile {
  const next: Record<string, unknown> = { ...profile };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Profile;
}

function differences(before: Profile, after: Profile): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof Profile)[]);
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      diff[key] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return diff;
}
