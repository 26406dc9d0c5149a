import type { Actor } from '../../domain/account';
import { leaverSteps, type FeedLeaving, type LeaverStep } from '../../domain/feed-leaver';
import type { AccountState } from '../../domain/lifecycle-state';
import { editRefusal, leaverRefusal, withdrawLeaverRefusal, type Refusal } from '../../domain/refusals';
import { updateFromFeedUpdate, type UpdateFromFeedRequest } from '../definitions';
import { change, record, type Lifecycle } from './context';
import { markLeaver, withdrawLeaverMark } from './leaving';
import { editAccount } from './profile';

/**
 * R33: a feed's change in one step, all or nothing: refused (nothing applied) if any part is refused, by the
 * rules of each part: the edit (R17, R25), the leaver mark and its date (R28).
 */
function feedRefusal(lc: Lifecycle, request: UpdateFromFeedRequest): Refusal | null {
  const { state, policy } = lc;
  if (request.changes && Object.keys(request.changes).length > 0) {
    const refused = editRefusal(state, policy, request.actor);
    if (refused) return refused;
  }
  let after: AccountState = state;
  for (const step of stepsOf(state, request.leaving)) {
    const refused =
      step.kind === 'withdraw'
        ? withdrawLeaverRefusal(after)
        : leaverRefusal(after, { actor: request.actor, leavingDate: step.leavingDate });
    if (refused) return refused;
    // What a withdrawal leaves, for the mark that may follow it.
    if (step.kind === 'withdraw')
      after = { ...after, status: after.status === 'Leaver' ? 'Active' : after.status, leaverDue: null };
  }
  return null;
}

const stepsOf = (state: AccountState, leaving: FeedLeaving | undefined): LeaverStep[] =>
  leaving ? leaverSteps(state, leaving, Date.now()) : [];

/** R33: the feed's key, the attributes (held while Pending), then the leaver mark, each recorded. */
async function updateFromFeed(lc: Lifecycle, request: UpdateFromFeedRequest): Promise<void> {
  const { actor } = request;
  if (request.externalId !== undefined) setExternalId(lc, actor, request.externalId);
  if (request.changes && Object.keys(request.changes).length > 0) {
    await editAccount(lc, { actor, changes: request.changes });
  }
  for (const step of stepsOf(lc.state, request.leaving)) {
    if (step.kind === 'withdraw') withdrawLeaverMark(lc, { actor });
    else await markLeaver(lc, { actor, ...(step.leavingDate ? { leavingDate: step.leavingDate } : {}) });
  }
}

function setExternalId(lc: Lifecycle, actor: Actor, externalId: string | null): void {
  const { state } = lc;
  const before = state.externalId ?? null;
  if (before === externalId) return;
  if (externalId === null) delete state.externalId;
  else state.externalId = externalId;
  record(lc, actor, "The feed's key of the person changed (R33)", {
    changes: { externalId: { from: before, to: externalId } },
  });
}

/** The change a feed makes to an account (R33). */
export const feedChanges = [
  change({ update: updateFromFeedUpdate, refusal: feedRefusal, apply: updateFromFeed }),
];
