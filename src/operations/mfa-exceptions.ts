import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import type { Principal } from '../access/principals';
import { mfaExceptionBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { endMfaException, requestMfaException } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R22, R23: a short or long MFA exception, with the reference of the local risk assessment. */
export async function startMfaException(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  const { term, riskAssessmentRef } = parseOrReject(mfaExceptionBody, body);
  return applyChange(
    deps,
    target,
    requestMfaException,
    { actor: target.actor, term, riskAssessmentRef },
    options,
  );
}

/** R24: the running exception ended early; the account rejoins the group it left. */
export async function stopMfaException(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  options: ChangeOptions = {},
): Promise<AccountView> {
  const target = await reachAccount(deps, principal, id, ADMINS);
  return applyChange(deps, target, endMfaException, { actor: target.actor }, options);
}
