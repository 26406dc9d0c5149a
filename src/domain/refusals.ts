import { PREREQUISITES, reportedPhone, type GateName, type IdentityEvent } from './identity-events';
import { inWords } from './durations';
import { isEditable, type AccountState, type MfaExceptionTerm } from './lifecycle-state';
import type { LifecyclePolicy } from './policy';

/** Why a request is refused, in words for the administrator, with what is missing where that helps. */
export interface Refusal {
  message: string;
  missing?: string[];
}

/** R17: attribute edits only once the account is Active with its mailbox in Exchange Online. */
export function editRefusal(state: AccountState, policy: LifecyclePolicy): Refusal | null {
  if (isEditable(state)) return null;
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
      `; mailboxes usually take ${inWords(policy.mailboxFirstPollAfterMs)} to ` +
      `${inWords(policy.provisioningOverdueAfterMs)}. Notes can be changed now (R17).`,
  };
}

/** R18, R7, R8: whether the identity platform may report this event now. */
export function identityEventRefusal(state: AccountState, event: IdentityEvent): Refusal | null {
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
        'The account is disabled because a non-UK phone number was registered; an administrator must set a UK ' +
        'mobile number to re-enable it (R7).',
      missing: ['UK mobile set by an administrator'],
    };
  }
  const phone = reportedPhone(event);
  if (phone && !phone.uk) return null; // accepted: it disables the account (R7)
  if (event.type === 'ProfileUpdated' && phone && !phone.mobile) {
    return {
      message: 'The mobile number given in the profile is a UK number but not a mobile one (R8).',
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

/** R17 also covers the directory's phone visibility: it is an attribute of the account. */
export const phoneVisibilityRefusal = editRefusal;
