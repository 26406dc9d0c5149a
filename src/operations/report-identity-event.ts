import type { IdentityEvent } from '../domain/identity-events';
import { identityEventAnswer } from './identity-event-answer';
import type { Principal } from '../access/principals';
import { identityEventBody } from './schemas/requests';
import { parseOrReject } from './validation';
import { reportIdentityEvent } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { applyChange, type ChangeOptions } from './account-change';

/** R18, R7, R30: the identity platform reports a first-login step or a sign-in; it is told the outcome only. */
export async function reportEvent(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  body: unknown,
  options: ChangeOptions = {},
) {
  const target = await reachAccount(deps, principal, id, ['identity-platform']);
  const parsed = parseOrReject(identityEventBody, body);
  const event: IdentityEvent =
    parsed.type === 'MfaRegistered'
      ? {
          type: parsed.type,
          method: parsed.method,
          ...(parsed.phoneNumber ? { phone: parsed.phoneNumber } : {}),
        }
      : parsed.type === 'ProfileUpdated'
        ? { type: parsed.type, ...(parsed.mobile ? { mobile: parsed.mobile } : {}) }
        : { type: parsed.type };
  const view = await applyChange(deps, target, reportIdentityEvent, { actor: target.actor, event }, options);
  return identityEventAnswer(event.type, view);
}
