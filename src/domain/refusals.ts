import {
  describePhone,
  PREREQUISITES,
  reportedPhone,
  type GateName,
  type IdentityEvent,
} from './identity-events';
import { policyInWords } from './policy-in-words';
import type { Actor } from './account';
import { isEditable, type AccountState, type MfaExceptionTerm } from './lifecycle-state';
import type { LifecyclePolicy } from './policy';

/** Why a request is refused, in words for the administrator, with what is missing where that helps. */
export interface Refusal {
  message: string;
  missing?: string[];
  /** Not an error: the request would change nothing, and is turned away so that it leaves no history. */
  unchanged?: boolean;
}

/** R30 decision: at most one sign-in a day is recorded, so that daily use does not grow the history. */
export const SIGN_IN_RECORDED_EVERY_MS = 24 * 60 * 60 * 1000;

/** R33: a feed (SCIM), whose changes to a Pending account are held until it is Active rather than refused. */
export const isFeed = (actor: Actor | undefined): boolean => actor?.kind === 'scim-client';

/**
 * R17: attribute edits only once the account is Active with its mailbox in Exchange Online; the phone numbers'
 * visibility in the directory is an attribute too (R26). R33: a feed's edit of a Pending account is accepted
 * and held until the account is Active, as a feed sends changes moments after a create.
 */
export function editRefusal(state: AccountState, policy: LifecyclePolicy, actor?: Actor): Refusal | null {
  if (isEditable(state)) return null;
  if (state.status === 'Pending' && isFeed(actor)) return null;
  if (state.status === 'ProvisioningFailed') {
    return {
      message:
        'Provisioning of this account failed, so it cannot be edited; retry provisioning first, and edit it once ' +
        'it is Active with a mailbox location of Exchange Online (R17).',
    };
  }
  return {
    message:
      'The account cannot be edited until it is Active with a mailbox location of Exchange Online: editing ' +
      `attributes while the mailbox is provisioning may disrupt it. It is ${state.status}` +
      (state.provisioning.requestedAt ? ` since ${state.provisioning.requestedAt}` : '') +
      `; mailboxes usually take ${policyInWords(policy).pendingWait}. Notes can be changed now (R17).`,
  };
}

/** R18, R7, R8, R30: whether the identity platform may report this event now. */
export function identityEventRefusal(state: AccountState, event: IdentityEvent): Refusal | null {
  if (state.status === 'Deleted') {
    return {
      message: `${event.type} cannot be reported: the account was deleted (R32).`,
      missing: ['Active'],
    };
  }
  if (state.status === 'Pending' || state.status === 'ProvisioningFailed') {
    return {
      message:
        `${event.type} cannot be reported while the account is ${state.status}: first-login steps start once ` +
        'the account is Active with its mailbox in Exchange Online (R18).',
      missing: ['Active'],
    };
  }
  if (state.status === 'Disabled') {
    return {
      message:
        `The account is disabled because the user registered ${state.disabledBecause ?? 'a non-UK phone number'}, ` +
        'not a UK number; an administrator must set a UK mobile number to re-enable it (R7).',
      missing: ['UK mobile set by an administrator'],
    };
  }
  if (event.type === 'SignedIn') {
    // R30: a sign-in also makes an Inactive account Active again; otherwise one a day is enough.
    const last = state.lastSignInAt === null ? null : Date.parse(state.lastSignInAt);
    if (state.status === 'Inactive' || last === null || Date.now() - last >= SIGN_IN_RECORDED_EVERY_MS)
      return null;
    return {
      message: 'A sign-in was recorded less than a day ago; this one changes nothing (R30).',
      unchanged: true,
    };
  }
  if (state.status === 'Inactive') {
    return {
      message: `${event.type} cannot be reported while the account is Inactive: a sign-in (SignedIn) comes first (R30).`,
      missing: ['SignedIn'],
    };
  }
  const phone = reportedPhone(event);
  if (phone && !phone.uk) return null; // accepted: it disables the account (R7)
  if (event.type === 'ProfileUpdated' && phone && !phone.mobile) {
    return {
      message: `The mobile number given in the profile is ${describePhone(phone)}, not a mobile (R8).`,
      missing: ['UK mobile number'],
    };
  }
  if (state.gates[event.type] !== null) return null; // a repeated event is harmless
  const missing: string[] = PREREQUISITES[event.type].filter((g: GateName) => state.gates[g] === null);
  if (missing.length > 0) {
    return { message: `${event.type} cannot be reported before ${missing.join(' and ')} (R18).`, missing };
  }
  const givesUkMobile = !!phone && phone.uk && phone.mobile;
  if (
    (event.type === 'MfaRegistered' || event.type === 'ProfileUpdated') &&
    !givesUkMobile &&
    !state.profile.mobile
  ) {
    return {
      message:
        `${event.type} needs a UK mobile number: the account holds none and the event gives none. An ` +
        'administrator can add one, or the user can give one (R8).',
      missing: ['UK mobile number'],
    };
  }
  return null;
}

/** R22, R23: whether an MFA exception may start (or replace the running one) now. */
export function mfaExceptionRefusal(
  state: AccountState,
  request: { term: MfaExceptionTerm; riskAssessmentRef: string },
): Refusal | null {
  if (!state.mfa.applies) {
    return {
      message: `MFA does not apply to accounts of ${state.organisation.name}, a NAS-managed (PODS) organisation (R21).`,
    };
  }
  if (state.status !== 'Active' || state.mfa.group === null) {
    return {
      message: `An MFA exception needs an Active account with MFA applied; this account is ${state.status} (R22).`,
      missing: ['Active'],
    };
  }
  if (request.riskAssessmentRef.trim() === '') {
    return { message: 'An MFA exception needs the reference of a local risk-based assessment (R22).' };
  }
  if (state.gates.MfaRegistered === null) {
    const missing = (['AupAccepted', 'SecretSet'] as const).filter((g) => state.gates[g] === null);
    if (missing.length > 0) {
      return {
        message:
          'MFA can be disabled before registration only once the user has accepted the AUP and set the ' +
          `account secret; still missing: ${missing.join(' and ')} (R23).`,
        missing: [...missing],
      };
    }
  }
  return null;
}

export function endMfaExceptionRefusal(state: AccountState): Refusal | null {
  return state.mfa.exception ? null : { message: 'The account has no MFA exception running.' };
}

export function retryRefusal(state: AccountState): Refusal | null {
  return state.status === 'ProvisioningFailed'
    ? null
    : { message: `Only a failed provisioning can be retried; the account is ${state.status}.` };
}

/**
 * R28: an Active account may be marked as a leaver by its organisation, at once or on a leaving date in the
 * future (a future-dated leaver: the mark waits for it, and the date can be moved). A mark falls due only on an
 * Active account: until then it waits. R33: a feed's mark of an account not Active (Pending, say) is held until
 * the account is Active, rather than refused.
 */
export function leaverRefusal(
  state: AccountState,
  request: { actor?: Actor; leavingDate?: string } = {},
): Refusal | null {
  if (state.status === 'Leaver') {
    return {
      message: `The account is already marked as a leaver, until ${state.leaver!.windowEndsAt} (R28).`,
      missing: ['Active'],
    };
  }
  const { leavingDate } = request;
  if (leavingDate !== undefined && Date.parse(leavingDate) <= Date.now()) {
    return {
      message:
        `The leaving date ${leavingDate} has passed: mark the leaver now, without a date, or give a date in the ` +
        'future (R28).',
    };
  }
  const held = state.status !== 'Deleted' && (leavingDate !== undefined || isFeed(request.actor));
  if (state.status === 'Active' || held) return null;
  return {
    message: `Only an Active account can be marked as a leaver; this account is ${state.status} (R28).`,
    missing: ['Active'],
  };
}

/** R28: the mark can be withdrawn within the window, and a mark to come before it takes effect. */
export function withdrawLeaverRefusal(state: AccountState): Refusal | null {
  return state.status === 'Leaver' || state.leaverDue
    ? null
    : { message: `The account is not marked as a leaver; it is ${state.status} (R28).`, missing: ['Leaver'] };
}

/** R28: a leaver may be accepted as a joiner by another organisation. */
export function joinerRefusal(state: AccountState, organisationCode: string): Refusal | null {
  if (state.status !== 'Leaver') {
    return {
      message:
        `Only a leaver can be accepted as a joiner; this account is ${state.status}. Its organisation marks it ` +
        'as a leaver first (R28).',
      missing: ['Leaver'],
    };
  }
  if (organisationCode === state.organisation.code) {
    return {
      message:
        `The account is already in ${state.organisation.name}: withdraw the leaver mark instead of accepting ` +
        'it as a joiner (R28).',
    };
  }
  return null;
}

/** R29: a resecure for an account whose user is locked out or compromised; not while provisioning (R17). */
export function resecureRefusal(state: AccountState, policy: LifecyclePolicy): Refusal | null {
  if (state.status === 'Active' || state.status === 'Leaver' || state.status === 'Disabled') return null;
  if (state.status === 'Pending') return editRefusal(state, policy);
  return {
    message:
      state.status === 'Inactive'
        ? 'An Inactive account is reactivated before it is resecured (R29, R30).'
        : `A ${state.status} account cannot be resecured (R29).`,
    missing: ['Active'],
  };
}

/** R32, R33: a feed deletes an account (restorably); one already deleted is deleted once. */
export function deletionRefusal(state: AccountState): Refusal | null {
  return state.status === 'Deleted'
    ? { message: `The account was deleted on ${state.deletion!.deletedAt} (R32).`, missing: ['not Deleted'] }
    : null;
}

/** R30: an administrator reactivates an Inactive account. */
export function reactivationRefusal(state: AccountState): Refusal | null {
  return state.status === 'Inactive'
    ? null
    : {
        message: `Only an Inactive account can be reactivated; this account is ${state.status} (R30).`,
        missing: ['Inactive'],
      };
}

/** R32: a deleted account is restorable until its window ends. */
export function restorationRefusal(state: AccountState): Refusal | null {
  if (state.status !== 'Deleted') {
    return {
      message: `Only a deleted account can be restored; this account is ${state.status} (R32).`,
      missing: ['Deleted'],
    };
  }
  if (state.deletion!.closedAt) {
    return {
      message: `The account can no longer be restored: its restore window ended at ${state.deletion!.restorableUntil} (R32).`,
    };
  }
  return null;
}
