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

/** R28: the account's organisation marks it as a leaver; the user keeps mail and is told at once. */
export async function markLeaver(lc: Lifecycle, { actor }: { actor: Actor }): Promise<void> {
  const { state, policy } = lc;
  const markedAt = Date.now();
  const { code, name } = state.organisation;
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

/** R28: the marking organisation withdraws the mark within the window. */
export function withdrawLeaverMark(lc: Lifecycle, { actor }: { actor: Actor }): void {
  const { state } = lc;
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
  record(lc, actor, `Joined ${organisation.name} from ${from.name} (R28)`, {
    changes: { organisation: { from: from.code, to: organisation.code } },
  });
}

/** The changes of a move between organisations (R28). */
export const leavingChanges = [
  change({ update: markLeaverUpdate, refusal: (lc) => leaverRefusal(lc.state), apply: markLeaver }),
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

/** R28, R32: no organisation accepted the leaver within the window: the account is deleted. */
export async function leavingDue(lc: Lifecycle, due: Set<DeadlineKind>): Promise<void> {
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
