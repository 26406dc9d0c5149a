import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { AuditEntry, NewAccount } from '../domain/account';
import { DEADLINE_SUMMARY, deadlinesOf, dueAt, earliest } from '../domain/deadlines';
import { initialState, viewOf, type AccountState, type AccountView } from '../domain/lifecycle-state';
import type { LifecyclePolicy } from '../domain/policy';
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
import { record, refuseIf, type Lifecycle, type PasswordToShow } from './lifecycle/context';
import * as firstLogin from './lifecycle/first-login';
import * as mfa from './lifecycle/mfa';
import { DerivedOutputs } from './lifecycle/outputs';
import * as profile from './lifecycle/profile';
import * as provisioning from './lifecycle/provisioning';
import { Lock } from './lock';

export interface LifecycleInput {
  account: NewAccount;
  policy: LifecyclePolicy;
  /** Set when the lifecycle continues as new: everything it knew, so nothing is lost. */
  carried?: {
    state: AccountState;
    audit: AuditEntry[];
    /** A temporary password not yet shown, sealed (R13). */
    password: PasswordToShow;
    /** The directory entry as last published. */
    publishedEntry: string | null;
  };
}

/**
 * One user account, from creation for as long as it lives. Each concern (provisioning, first login and
 * sync, MFA, profile and directory) lives in a module of its own under ./lifecycle; this file holds the
 * handlers, the loop that sleeps to the next deadline and runs what is due, and continue-as-new.
 */
export async function accountLifecycle(input: LifecycleInput): Promise<void> {
  const { policy, carried } = input;
  const lc: Lifecycle = {
    state: carried?.state ?? initialState(input.account, new Date()),
    audit: carried?.audit ?? [],
    policy,
    password: carried?.password ?? { sealed: null, toShow: true },
  };
  const outputs = new DerivedOutputs(carried?.publishedEntry ?? null);
  const lock = new Lock();
  const deadlines = () => deadlinesOf(lc.state, policy);
  const view = (): AccountView => viewOf(lc.state, policy);
  /** Runs one step under the lock, then publishes what it changed. */
  const step = <T>(work: () => Promise<T> | T) =>
    lock.run(async () => {
      const result = await work();
      await outputs.publish(lc.state);
      return result;
    });

  /** An admin or identity-platform change: refused by its validator, else applied as a step. */
  function onUpdate<Req>(
    definition: UpdateDefinition<AccountView, [Req]>,
    refusal: (request: Req) => Refusal | null,
    apply: (lc: Lifecycle, request: Req) => Promise<void> | void,
  ) {
    setHandler(
      definition,
      (request) =>
        step(async () => {
          refuseIf(refusal(request)); // the state may have moved on since the validator ran
          await apply(lc, request);
          return view();
        }),
      { validator: (request) => refuseIf(refusal(request)) },
    );
  }

  setHandler(getAccount, view);
  setHandler(getAuditTrail, () => lc.audit);
  setHandler(takeTemporaryPassword, () => provisioning.takeTemporaryPassword(lc), {
    validator: () => refuseIf(provisioning.passwordRefusal(lc)),
  });
  onUpdate(editAttributes, () => editRefusal(lc.state, policy), profile.editAttributes);
  onUpdate(setNotes, () => null, profile.setNotes);
  onUpdate(setPhoneVisibility, () => phoneVisibilityRefusal(lc.state, policy), profile.setPhoneVisibility);
  onUpdate(
    reportIdentityEvent,
    ({ event }) => identityEventRefusal(lc.state, event),
    firstLogin.reportIdentityEvent,
  );
  onUpdate(requestMfaException, (r) => mfaExceptionRefusal(lc.state, r), mfa.requestMfaException);
  onUpdate(endMfaException, () => endMfaExceptionRefusal(lc.state), mfa.endMfaException);
  onUpdate(retryProvisioning, () => retryRefusal(lc.state), provisioning.retryProvisioning);

  const continueAsNewDue = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= policy.historyEventLimit;

  await step(async () => {
    if (!carried) {
      record(lc, lc.state.createdBy, 'Account created', {
        detail: `${lc.state.email} in ${lc.state.organisation.name}`,
      });
      await provisioning.requestMailbox(lc);
    }
  });

  while (!continueAsNewDue()) {
    await step(async () => {
      const due = dueAt(deadlines(), Date.now());
      await provisioning.provisioningDue(lc, due);
      await firstLogin.syncDue(lc, due);
      await mfa.mfaDue(lc, due);
    });
    const next = earliest(deadlines());
    setCurrentDetails(
      next
        ? `Waiting for: ${DEADLINE_SUMMARY[next.kind]} at ${new Date(next.at).toISOString()}`
        : 'Waiting for changes',
    );
    // An Update wakes the loop only when it brings a deadline forward; one that moves them later leaves the timer.
    const wakeUp = () => {
      const now = earliest(deadlines());
      return continueAsNewDue() || (now !== undefined && (next === undefined || now.at < next.at));
    };
    if (next === undefined) await condition(wakeUp);
    else await condition(wakeUp, Math.max(next.at - Date.now(), 1), { summary: DEADLINE_SUMMARY[next.kind] });
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof accountLifecycle>({
    account: input.account,
    policy,
    carried: {
      state: lc.state,
      audit: lc.audit,
      password: lc.password,
      publishedEntry: outputs.publishedEntry,
    },
  });
}
