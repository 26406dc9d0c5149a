import type { ProfileChanges } from '../domain/account';
import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { invalid, type FieldError } from './errors';
import { checkUnitAndSite, editAccountBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { editAttributes } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R25, R17, R4, R9: an edit of the account's attributes, refused while it is provisioning. */
export async function editAccount(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  const parsed = parseOrReject(editAccountBody, body);
  const errors: FieldError[] = [];
  checkUnitAndSite(target.organisation, parsed, {
    addIssue: (i) => errors.push({ path: i.path.join('.'), message: i.message }),
  });
  if (errors.length > 0) throw invalid(errors);
  const changes: ProfileChanges = parsed;
  return applyChange(deps, target, editAttributes, { actor: target.actor, changes }, options);
}
