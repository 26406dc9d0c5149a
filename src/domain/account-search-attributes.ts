import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import {
  AccountEmail,
  AccountStatus,
  MfaExceptionEndsAt,
  OrganisationCode,
  ProvisioningOverdue,
  SyncOverdue,
} from '../../temporal-config/search-attributes';
import { provisioningOverdue, syncOverdue, type AccountState } from './lifecycle-state';

/** What Temporal Web filters accounts on, derived from the state. */
export function searchAttributesOf(state: AccountState): SearchAttributeUpdatePair[] {
  return [
    { key: AccountStatus, value: state.status },
    { key: AccountEmail, value: state.email },
    { key: OrganisationCode, value: state.organisation.code },
    { key: ProvisioningOverdue, value: provisioningOverdue(state) },
    { key: SyncOverdue, value: syncOverdue(state) },
    { key: MfaExceptionEndsAt, value: state.mfa.exception ? new Date(state.mfa.exception.endsAt) : null },
  ];
}

/** The search attributes a lifecycle starts with: those of its initial state that have a value. */
export function initialSearchAttributes(state: AccountState): SearchAttributePair[] {
  return searchAttributesOf(state).filter((pair): pair is SearchAttributePair => pair.value !== null);
}
