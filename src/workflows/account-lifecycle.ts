import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { SYSTEM, type NewAccount } from '../domain/account';
import { DEADLINE_SUMMARY, deadlinesOf, dueAt, earliest, type DeadlineKind } from '../domain/deadlines';
import { initialState, viewOf, type AccountState, type AccountView } from '../domain/lifecycle-state';
import { DEFAULT_POLICY, type LifecyclePolicy } from '../domain/policy';
import { untilDeadline } from './deadline-timer';
import { shielded } from './shielded';
import { getAccountHistoryQuery, getAccountQuery, takeTemporaryPasswordUpdate } from './definitions';
import { AuditTrail, type CarriedTrail } from './lifecycle/audit-trail';
import { record, refuseIf, type Change, type Lifecycle, type PasswordToShow } from './lifecycle/context';
import * as feed from './lifecycle/feed';
import * as firstLogin from './lifecycle/first-login';
import * as hygiene from './lifecycle/hygiene';
import * as leaving from './lifecycle/leaving';
import * as mfa from './lifecycle/mfa';
import { DerivedOutputs, entryAsPublished } from './lifecycle/outputs';
import * as profile from './lifecycle/profile';
import * as provisioning from './lifecycle/provisioning';
import { Lock } from './lock';

export interface LifecycleInput {
  account: NewAccount;
  policy: LifecyclePolicy;
  /**
   * The directory already holds the account's entry as of its initial state (its reservation wrote it), and
   * the search attributes of that state were set at the start: the first step publishes only what it changes.
   */
  startedFromReservation?: boolean;
  /**
   * R2: the lifecycle writes its audit trail to the audit store from its start, without the patch that
   * runs started before the store take it up by (which would cost every new run a marker).
   */
  writesAuditStore?: boolean;
  /** Set when the lifecycle continues as new: everything it knew, so nothing is lost. */
  carried?: CarriedTrail & {
    state: AccountState;
    /** A temporary password not yet shown, sealed (R13). */
    password: PasswordToShow;
    /** The directory entry as last published. */
    publishedEntry: string | null;
  };
}

/** Behaviours that runs of `accountLifecycle` took up by patch, each on in runs started since it came. */
interface Behaviours {
  /** Off: a step at every wake-up, due or not. */
  skipsIdleSteps: boolean;
  /** Off: what is due is judged by the workflow clock. */
  timersDecide: boolean;
}

/**
 * One user account, from creation for as long as it lives, until its deletion's restore window ends (R32),
 * as every account is started now: every behaviour on, so a run records no patch marker for them (each would
 * cost its history a marker and a TemporalChangeVersion search attribute update). Behaviours that came after
 * it are patches in both types, each recorded once per run where the run first reaches it:
 * `asks-last-sign-in` (R30, hygiene.ts), `platform-holds-profile` (profile.ts) and `writes-audit-store` (R2,
 * audit-trail.ts).
 */
export function accountLifecycleV2(input: LifecycleInput): Promise<void> {
  return lifecycle(input, { skipsIdleSteps: true, timersDecide: true });
}

/**
 * The lifecycle as accounts were started before `accountLifecycleV2`, kept for those still running: each
 * behaviour that came later is on only where the run recorded its patch (runs started before it have none).
 */
export function accountLifecycle(input: LifecycleInput): Promise<void> {
  return lifecycle(input, {
    skipsIdleSteps: patched('skip-idle-steps'),
    timersDecide: patched('timers-decide'),
  });
}

/** Every change an account takes, each listed by the concern module that applies it. */
export const HANDLED_CHANGES = [
  ...provisioning.provisioningChanges,
  ...profile.profileChanges,
  ...firstLogin.firstLoginChanges,
  ...mfa.mfaChanges,
  ...leaving.leavingChanges,
  ...hygiene.hygieneChanges,
  ...feed.feedChanges,
];

/**
 * Each concern lives in a module of its own under ./lifecycle; this function holds the handler table, the
 * loop that sleeps to the next deadline and runs what is due, and continue-as-new (as the same workflow
 * type).
 */
async function lifecycle(input: LifecycleInput, { skipsIdleSteps, timersDecide }: Behaviours): Promise<void> {
  const { carried } = input;
  // A duration added to the policy later applies its default to lifecycles started before it existed.
  const policy: LifecyclePolicy = { ...DEFAULT_POLICY, ...input.policy };
  const lc: Lifecycle = {
    state: carried?.state ?? initialState(input.account, new Date()),
    trail: new AuditTrail(carried, input.writesAuditStore),
    policy,
    password: carried?.password ?? { sealed: null, toShow: true },
  };
  const { state } = lc;
  const outputs = new DerivedOutputs(
    carried ? carried.publishedEntry : input.startedFromReservation ? entryAsPublished(state) : null,
  );
  const lock = new Lock();
  const deadlines = () => deadlinesOf(state, policy);
  const view = (): AccountView => viewOf(state, policy);
  /**
   * Runs one step under the lock, protected from cancellation, then publishes what it changed and writes
   * what it recorded to the audit trail (R2), both at once.
   */
  const step = <T>(work: () => Promise<T> | T) =>
    shielded(() =>
      lock.run(async () => {
        const result = await work();
        await Promise.all([outputs.publish(state), lc.trail.write(state.id, state.organisation.code)]);
        return result;
      }),
    );

  /** A change: refused by its validator, else applied as a step; the answer is the account's view. */
  function onUpdate<Req>({ update, refusal, apply }: Change<Req>) {
    setHandler(
      update,
      (request) =>
        step(async () => {
          refuseIf(refusal(lc, request)); // the state may have moved on since the validator ran
          await apply(lc, request);
          return view();
        }),
      {
        // While a step holds the lock, the state is about to change (an activity's result is being applied);
        // a query may already show that result. The request is then judged by the handler, under the lock.
        validator: (request) => {
          if (!lock.busy) refuseIf(refusal(lc, request));
        },
      },
    );
  }

  setHandler(getAccountQuery, view);
  setHandler(getAccountHistoryQuery, () => lc.trail.pending);
  setHandler(takeTemporaryPasswordUpdate, () => provisioning.takeTemporaryPassword(lc), {
    validator: () => refuseIf(provisioning.passwordRefusal(lc)),
  });
  for (const change of HANDLED_CHANGES) change.register(onUpdate);

  // R32: an account ends only by deletion. A cancellation requested in Temporal Web is recorded, nothing more.
  let cancellationRequested = false;
  CancellationScope.current().cancelRequested.catch((err: unknown) => {
    if (isCancellation(err)) cancellationRequested = true;
  });
  const recordCancellation = () => {
    cancellationRequested = false;
    record(
      lc,
      SYSTEM,
      'A cancellation was requested (Temporal Web or API) and ignored: an account ends only by deletion (R32)',
    );
  };

  const closed = () => !!state.deletion?.closedAt;
  const continueAsNewDue = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= policy.historyEventLimit;

  /**
   * What is due after a wake-up: what the timer that fired was set for, judged at its time (see
   * untilDeadline); nothing when a change woke the loop.
   */
  const dueAfter = (firedAt: number | undefined): Set<DeadlineKind> => {
    if (!timersDecide) return dueAt(deadlines(), Date.now());
    return firedAt === undefined ? new Set() : dueAt(deadlines(), firedAt);
  };

  const dueStep = (firedAt: number | undefined) =>
    step(async () => {
      if (cancellationRequested) recordCancellation();
      const due = dueAfter(firedAt);
      await provisioning.provisioningDue(lc, due);
      await firstLogin.syncDue(lc, due);
      await firstLogin.resecureDue(lc, due);
      await mfa.mfaDue(lc, due);
      await leaving.leavingDue(lc, due);
      await hygiene.hygieneDue(lc, due);
    });

  // The lifecycle's own steps and waits, in one scope protected from cancellation (R32); the step of a
  // change runs in its handler, outside it, in a scope of its own.
  await CancellationScope.nonCancellable(async () => {
    await step(async () => {
      if (!carried) {
        record(lc, state.createdBy, 'Account created', {
          detail: `${state.email} in ${state.organisation.name}`,
        });
        await provisioning.requestMailbox(lc);
      }
    });

    /** The time of the deadline whose timer woke the loop; undefined when a change woke it, or at first. */
    let firedAt: number | undefined;
    while (!closed() && !continueAsNewDue()) {
      // A step with nothing due and nothing to record would change nothing: skipping it spares each workflow
      // task the promises it makes, which the SDK traces one by one.
      const idle = !cancellationRequested && !lock.busy && dueAfter(firedAt).size === 0;
      if (!(idle && skipsIdleSteps)) await dueStep(firedAt);
      const next = earliest(deadlines());
      setCurrentDetails(
        next
          ? `${state.status}; next: ${DEADLINE_SUMMARY[next.kind]} at ${new Date(next.at).toISOString()}`
          : `${state.status}; waiting for changes`,
      );
      // A change wakes the loop only when it brings a deadline forward; one that moves them later keeps the
      // timer.
      const wakeUp = () => {
        const first = earliest(deadlines());
        return (
          cancellationRequested ||
          closed() ||
          continueAsNewDue() ||
          (first !== undefined && (next === undefined || first.at < next.at))
        );
      };
      firedAt = await untilDeadline(next && { at: next.at, summary: DEADLINE_SUMMARY[next.kind] }, wakeUp);
    }
    await condition(allHandlersFinished);
  });
  if (closed()) return;
  await continueAsNew<typeof accountLifecycleV2>({
    account: input.account,
    policy,
    carried: {
      state,
      ...lc.trail.carried(),
      password: lc.password,
      publishedEntry: outputs.publishedEntry,
    },
  });
}
