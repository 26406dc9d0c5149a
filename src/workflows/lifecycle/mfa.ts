import { SYSTEM, type Actor } from '../../domain/account';
import { addCalendarMonths } from '../../domain/calendar';
import type { DeadlineKind } from '../../domain/deadlines';
import type { MfaExceptionTerm } from '../../domain/lifecycle-state';
import { mfaGroupFor } from '../../domain/organisation';
import { endMfaExceptionRefusal, mfaExceptionRefusal } from '../../domain/refusals';
import { endMfaExceptionUpdate, startMfaExceptionUpdate } from '../definitions';
import { act } from './act';
import { change, record, type Lifecycle } from './context';

/** R22, R24: starts an exception (the account leaves its MFA group), or replaces the running one's end. */
export async function startMfaException(
  lc: Lifecycle,
  { actor, term, riskAssessmentRef }: { actor: Actor; term: MfaExceptionTerm; riskAssessmentRef: string },
): Promise<void> {
  const { state, policy } = lc;
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
    record(lc, actor, 'MFA exception replaced', {
      changes: { endsAt: { from: running.endsAt, to: endsAt } },
      detail,
    });
    return;
  }
  const group = state.mfa.group!;
  await act.removeFromGroup(state.id, group);
  state.mfa.inGroup = false;
  state.mfa.exception = {
    term,
    riskAssessmentRef,
    startedAt: start.toISOString(),
    endsAt,
    requestedBy: actor,
    groupLeft: group,
  };
  record(lc, actor, 'MFA exception started: left the MFA group', { detail: `${detail}; left ${group}` });
}

/** R24: an administrator ends the exception early. */
export function endMfaException(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  return endException(lc, actor, 'MFA exception ended early');
}

/** The changes of an account's MFA exception (R22-R24). */
export const mfaChanges = [
  change({
    update: startMfaExceptionUpdate,
    refusal: (lc, request) => mfaExceptionRefusal(lc.state, request),
    apply: startMfaException,
  }),
  change({
    update: endMfaExceptionUpdate,
    refusal: (lc) => endMfaExceptionRefusal(lc.state),
    apply: endMfaException,
  }),
];

/** R24: the exception's end, to the second. */
export async function mfaDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  if (due.has('mfa-exception-ends')) await endException(lc, SYSTEM, 'MFA exception expired');
}

/** R24: the account rejoins exactly the group it left; MFA registration is a gate again if never done. */
async function endException(lc: Lifecycle, actor: Actor, action: string): Promise<void> {
  const { state } = lc;
  const exception = state.mfa.exception!;
  await act.addToGroup(state.id, exception.groupLeft);
  state.mfa.group = exception.groupLeft;
  state.mfa.inGroup = true;
  state.mfa.exception = null;
  const again = state.gates.MfaRegistered === null ? '; MFA registration is required at next login' : '';
  record(lc, actor, action, { detail: `rejoined ${exception.groupLeft}${again}` });
}

/**
 * R28, R32: the account leaves its MFA group and any exception ends with it: on a move to another
 * organisation (whose group follows), or on deletion. The exception's risk assessment does not carry over.
 */
export async function leaveMfa(lc: Lifecycle, actor: Actor, why: string): Promise<void> {
  const { state } = lc;
  const { exception, group, inGroup } = state.mfa;
  if (exception) {
    state.mfa.exception = null;
    record(lc, actor, `MFA exception ended: ${why}`, {
      detail: `risk assessment ${exception.riskAssessmentRef}`,
    });
  }
  if (inGroup && group) await act.removeFromGroup(state.id, group);
  state.mfa.inGroup = false;
}

/** R21: the account joins its organisation's MFA group, where MFA applies. */
export async function joinMfa(lc: Lifecycle): Promise<void> {
  const { state } = lc;
  const group = mfaGroupFor(state.organisation);
  state.mfa.applies = !state.organisation.nasManaged;
  state.mfa.group = group;
  if (!group) return;
  await act.addToGroup(state.id, group);
  state.mfa.inGroup = true;
  record(lc, SYSTEM, 'MFA applied: joined the Conditional Access group', { detail: group });
}
