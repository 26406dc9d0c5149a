import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { retryProvisioning } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';
import { withNewPassword, type WithPassword } from './temporary-password';

/** R16: a failed provisioning tried again, with a new temporary password shown once (R13). */
export async function retryFailedProvisioning(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  options: ChangeOptions = {},
): Promise<AccountView & WithPassword> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  const view = await applyChange(deps, target, retryProvisioning, { actor: target.actor }, options);
  return withNewPassword(deps, target, view);
}
