import type { Principal } from '../access/principals';
import type { AccountView } from '../domain/lifecycle-state';
import type { ActorRequest } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';
import type { AccountChange, AnswerKind, ChangeAnswers, Made } from './account-change-row';
import { ACCOUNT_CHANGES, type AccountChanges, type ChangeName } from './account-changes';
import { parseOrReject } from './validation';

/** What the change `N` answers. */
export type AnswerOf<N extends ChangeName> = ChangeAnswers[AccountChanges[N]['answer']['kind']];

/**
 * Makes one of the table's changes (account-changes.ts) to an account, for the API and the portal alike: the
 * caller may (R1) and the account is theirs, or reachable for this change; the body passes its schema,
 * naming every field at fault (R4); the lifecycle's Update applies it (with the caller's Idempotency-Key, if
 * any) or refuses it in its own words; the answer is made from the account it left.
 */
export function makeChange<N extends ChangeName>(
  deps: AccountDeps,
  principal: Principal,
  name: N,
  id: unknown,
  body?: unknown,
  options: ChangeOptions = {},
): Promise<AnswerOf<N>> {
  const change = ACCOUNT_CHANGES[name] as unknown as AccountChange<ActorRequest, unknown, AnswerKind>;
  return run(change, deps, principal, id, body, options) as Promise<AnswerOf<N>>;
}

async function run<Req extends ActorRequest, Body, K extends AnswerKind>(
  change: AccountChange<Req, Body, K>,
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions,
): Promise<ChangeAnswers[K]> {
  const target = await reachAccount(deps, principal, id, change.who, change.alsoFor);
  const checked = change.body
    ? parseOrReject(change.body.schema, change.body.optional ? (body ?? {}) : body)
    : (undefined as Body);
  const request = { actor: target.actor, ...change.request(checked, target) } as Req;
  const view = await applyChange(deps, target, change.update, request, options);
  const { of } = change.answer as {
    of?: (view: AccountView, made: Made<Req>) => Promise<ChangeAnswers[K]> | ChangeAnswers[K];
  };
  return of ? of(view, { target, request, deps }) : (view as ChangeAnswers[K]);
}
