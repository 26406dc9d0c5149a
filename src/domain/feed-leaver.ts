import type { AccountState } from './lifecycle-state';

/** What a feed says of a person's leaving (R28, R33): whether they are active, and the date they leave, if known. */
export interface FeedLeaving {
  active: boolean;
  leavingDate: string | null;
}

/** A change of the leaver mark: marked (now, or on a date), or the mark (or the mark to come) withdrawn. */
export type LeaverStep = { kind: 'mark'; leavingDate?: string } | { kind: 'withdraw' };

/**
 * R28, R33: the changes of the leaver mark that make the account what the feed says, in order; none when it
 * already is. A leaving date in the future makes a future-dated leaver, even with `active` false. Not active: marked now (a mark already made or held is kept). Active with a leaving date: marked
 * on that date (a mark made now is withdrawn first, a date moved). Active without one: no mark, none to come.
 */
export function leaverSteps(state: AccountState, said: FeedLeaving, now: number): LeaverStep[] {
  // A leaving date still to come governs: the person is active until then, whatever `active` says.
  const ahead = said.leavingDate !== null && Date.parse(said.leavingDate) > now;
  const feed = ahead ? { active: true, leavingDate: said.leavingDate } : said;
  const due = state.leaverDue ?? null;
  const markedNow = state.status === 'Leaver' || (due !== null && due.on === null);
  if (!feed.active) return markedNow ? [] : [{ kind: 'mark' }];
  const steps: LeaverStep[] = markedNow ? [{ kind: 'withdraw' }] : [];
  const dated = !markedNow && due !== null && due.on !== null ? due.on : null;
  if (feed.leavingDate === null) {
    if (dated !== null) steps.push({ kind: 'withdraw' });
  } else if (dated === null || Date.parse(dated) !== Date.parse(feed.leavingDate)) {
    steps.push({ kind: 'mark', leavingDate: feed.leavingDate });
  }
  return steps;
}
