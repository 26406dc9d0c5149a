import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { notesBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { setNotes } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R14: the account's notes, which can be changed at any time, also while Pending. */
export async function saveNotes(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  const { notes } = parseOrReject(notesBody, body);
  return applyChange(deps, target, setNotes, { actor: target.actor, notes }, options);
}
