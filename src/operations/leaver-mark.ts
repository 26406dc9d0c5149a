import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { emptyBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { markLeaver, withdrawLeaver } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R28: the account's organisation marks it as a leaver, for the leaver window. */
export async function markAsLeaver(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  parseOrReject(emptyBody, body ?? {});
  return applyChange(deps, target, markLeaver, { actor: target.actor }, options);
}

/** R28: the marking organisation withdraws the mark within the window; the account is Active again. */
export async function withdrawLeaverMark(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  return applyChange(deps, target, withdrawLeaver, { actor: target.actor }, options);
}
