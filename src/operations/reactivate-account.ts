import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { emptyBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { reactivateAccount } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R30: an administrator makes an Inactive account Active again. */
export async function reactivate(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  parseOrReject(emptyBody, body ?? {});
  return applyChange(deps, target, reactivateAccount, { actor: target.actor }, options);
}
