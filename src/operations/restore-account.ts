import type { AccountView } from '../domain/lifecycle-state';
import type { Principal } from '../access/principals';
import { emptyBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { restoreAccount } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R32: a national administrator restores a deleted account within its restore window. */
export async function restore(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ['national-admin']);
  parseOrReject(emptyBody, body ?? {});
  return applyChange(deps, target, restoreAccount, { actor: target.actor }, options);
}
