import type { AccountView } from '../domain/lifecycle-state';
import { snapshotOf } from '../domain/organisation';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { administers } from '../access/rights';
import { forbidden } from './errors';
import { joinerBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { referenceData } from '../reference/reference-data';
import { acceptJoiner } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/**
 * R28: a leaver accepted into the caller's organisation, with its new unit, site, job title and lists.
 * Any administrator may reach a leaver; the one who accepts it must administer the receiving organisation.
 */
export async function acceptAsJoiner(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS, (located) => located.status === 'Leaver');
  const { organisation: code, ...changes } = parseOrReject(joinerBody, body);
  if (!administers(target.principal, code)) {
    throw forbidden(
      `You do not administer ${code}: only its administrators can accept a joiner into it (R28).`,
    );
  }
  const organisation = snapshotOf(referenceData.organisation(code)!);
  return applyChange(deps, target, acceptJoiner, { actor: target.actor, organisation, changes }, options);
}
