import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { directoryVisibilityBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { setPhoneVisibility } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R26: the user's phone numbers hidden from the NHS Directory, or shown again. */
export async function changePhoneVisibility(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  const { phonesHidden } = parseOrReject(directoryVisibilityBody, body);
  return applyChange(
    deps,
    target,
    setPhoneVisibility,
    { actor: target.actor, hidden: phonesHidden },
    options,
  );
}
