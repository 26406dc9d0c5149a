import { SYSTEM, type Actor, type JoinerChanges } from '../../domain/account';
import type { DeadlineKind } from '../../domain/deadlines';
import { inWords } from '../../domain/durations';
import type { OrganisationSnapshot } from '../../domain/organisation';
import { joinerRefusal, leaverRefusal, withdrawLeaverRefusal } from '../../domain/refusals';
import { acceptJoinerUpdate, markLeaverUpdate, withdrawLeaverMarkUpdate } from '../definitions';
import { act } from './act';
import { change, isoAt, now, record, type Lifecycle } from './context';
import { deleteAccount } from './hygiene';
import { joinMfa, leaveMfa } from './mfa';
import { joinDefaultPolicy } from './provisioning';

/**
 * R28: the account's organisation marks it as a leaver: at once, when Active (the user keeps mail and is told
 * at once); on a leaving date in the future (a future-dated leaver, which moves a date set before); or, asked
 * by a feed while the account is not Active, as soon as it is (R33).
 */
export async function markLeaver(
  lc: Lifecycle,
  { actor, leavingDate }: { actor: Actor; leavingDate?: string },
): Promise<void> {
  const { state } = lc;
  if (leavingDate !== undefined || state.status !== 'Active') {
    const before = state.leaverDue?.on;
    state.leaverDue = { on: leavingDate ?? null, requestedAt: now(), requestedBy: actor };
    if (leavingDate === undefined) {
      record(lc, actor, `Leaver mark held until the account is Active: it is ${state.status} (R28, R33)`);
    } else {
      record(
        lc,
        actor,
        before ? 'Leaving date moved (R28)' : 'Future-dated leaver: marked on its leaving date (R28)',
        {
          ...(before ? { changes: { leavingDate: { from: before, to: leavingDate } } } : {}),
          detail: `on ${leavingDate}`,
        },
      );
    }
    return;
  }
  await markNow(lc, actor);
}

/** R28: marked now; the user keeps mail and is told at once. */
async function markNow(lc: Lifecycle, actor: Actor): Promise<void> {
  const { state, policy } = lc;
  const markedAt = Date.now();
  const { code, name } = state.organisation;
  if (state.leaverDue) state.leaverDue = null;
  state.leaver = {
    markedAt: isoAt(markedAt),
    windowEndsAt: isoAt(markedAt + policy.leaverWindowMs),
    markedBy: actor,
    organisation: { code, name },
  };
  state.status = 'Leaver';
  record(lc, actor, `Marked as a leaver by ${name} (R28)`, { detail: `until ${state.leaver.windowEndsAt}` });
  await act.notifyUser(
    state.id,
    `${state.id}/leaver/${state.leaver.markedAt}`,
    `${name} has marked your NHSmail account as a leaver. Your new organisation can take it over as a joiner ` +
      `within ${inWords(policy.leaverWindowMs)}; otherwise it will be deleted on ${state.leaver.windowEndsAt}. ` +
      'You can keep using your mail until then.',
  );
}

/** R28: the marking organisation withdraws the mark within the window, or the mark to come before it is due. */
export function withdrawLeaverMark(lc: Lifecycle, { actor }: { actor: Actor }): void {
  const { state } = lc;
  if (state.status !== 'Leaver') {
    const { on } = state.leaverDue!;
    state.leaverDue = null;
    record(lc, actor, on ? 'Future-dated leaver mark withdrawn (R28)' : 'Held leaver mark withdrawn (R28)', {
      ...(on ? { detail: `it was due on ${on}` } : {}),
    });
    return;
  }
  state.leaver = null;
  state.status = 'Active';
  record(lc, actor, 'Leaver mark withdrawn (R28)');
}

/**
 * R28: another organisation accepts the leaver. Address, password, passed gates and history stay; the
 * policy and MFA group follow the new organisation; a running MFA exception ends.
 */
export async function acceptJoiner(
  lc: Lifecycle,
  {
    actor,
    organisation,
    changes,
  }: { actor: Actor; organisation: OrganisationSnapshot; changes: JoinerChanges },
): Promise<void> {
  const { state } = lc;
  const from = state.organisation;
  await leaveMfa(lc, actor, `the account moved from ${from.name}; its risk assessment belonged there (R28)`);
  state.organisation = organisation;
  const { organisationalUnit: _u, site: _s, ...kept } = state.profile;
  state.profile = { ...kept, ...defined(changes) };
  const { jobTitle, organisationalUnit, site } = state.profile;
  await act.updatePlatformAccount(state.id, {
    organisationCode: organisation.code,
    organisationName: organisation.name,
    jobTitle: jobTitle ?? null,
    organisationalUnit: organisationalUnit ?? null,
    site: site ?? null,
  });
  await joinDefaultPolicy(lc);
  await joinMfa(lc);
  state.leaver = null;
  state.status = 'Active';
  state.activeSince = now();
  // R33: the old organisation's feed keyed the person; the new one's keys them its own way.
  if (state.externalId !== undefined) delete state.externalId;
  record(lc, actor, `Joined ${organisation.name} from ${from.name} (R28)`, {
    changes: { organisation: { from: from.code, to: organisation.code } },
  });
}

/** The changes of a move between organisations (R28). */
export const leavingChanges = [
  change({
    update: markLeaverUpdate,
    refusal: (lc, request) => leaverRefusal(lc.state, request),
    apply: markLeaver,
  }),
  change({
    update: withdrawLeaverMarkUpdate,
    refusal: (lc) => withdrawLeaverRefusal(lc.state),
    apply: withdrawLeaverMark,
  }),
  change({
    update: acceptJoinerUpdate,
    refusal: (lc, request) => joinerRefusal(lc.state, request.organisation.code),
    apply: acceptJoiner,
  }),
];

/**
 * R28: a mark to come falls due (its date, or the account Active again); R32: no organisation accepted the
 * leaver within the window, and the account is deleted.
 */
export async function leavingDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
  if (due.has('leaver-mark-due') && lc.state.status === 'Active') {
    const { on, requestedBy, requestedAt } = lc.state.leaverDue!;
    record(
      lc,
      SYSTEM,
      on ? `Leaving date reached: ${on} (R28)` : 'Active: the held leaver mark takes effect (R28, R33)',
      {
        detail: `asked by ${requestedBy.name} at ${requestedAt}`,
      },
    );
    await markNow(lc, requestedBy);
  }
  if (!due.has('leaver-window-ends')) return;
  const days = inWords(lc.policy.leaverWindowMs);
  record(lc, SYSTEM, `Leaver window ended: no organisation accepted the account within ${days} (R28)`);
  await deleteAccount(lc, `a leaver not accepted as a joiner within ${days} (R28)`);
}

function defined<T extends object>(changes: T): { [K in keyof T]: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined && v !== null),
  ) as never;
}
