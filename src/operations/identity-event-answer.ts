import type { GateName, IdentityEvent } from '../domain/identity-events';
import type { AccountView } from '../domain/lifecycle-state';

/** What the identity platform is told after reporting an event: enough to guide the user, nothing more. */
export interface IdentityEventAnswer {
  type: IdentityEvent['type'];
  accepted: true;
  status: AccountView['status'];
  /** Why the account is disabled (R7: a non-UK number), so the user can be told. */
  disabledReason: AccountView['disabledReason'];
  /** The first-login steps still to take (R18). */
  pendingGates: GateName[];
  /** Whether the user can use mail yet (R19). */
  canSendEmail: boolean;
}

/**
 * R1: the identity platform may only report events, so it never sees the administrator's view of the
 * account (notes, phone numbers, who created it, MFA exception details); a repeated event would
 * otherwise make the events route a read of any account.
 */
export function identityEventAnswer(type: IdentityEvent['type'], view: AccountView): IdentityEventAnswer {
  return {
    type,
    accepted: true,
    status: view.status,
    disabledReason: view.disabledReason,
    pendingGates: view.pendingGates,
    canSendEmail: view.canSendEmail,
  };
}
