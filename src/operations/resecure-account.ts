import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { emptyBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { resecureAccount } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';
import { withNewPassword } from './temporary-password';

/** R29: a new temporary password (shown once), the AUP and secret reset, every session signed out. */
export async function resecure(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
) {
  const target = await reachAccount(deps, principal, id, ADMINS);
  parseOrReject(emptyBody, body ?? {});
  const view = await applyChange(deps, target, resecureAccount, { actor: target.actor }, options);
  const { temporaryPassword, ...account } = await withNewPassword(deps, target, view);
  return { temporaryPassword, account };
}
