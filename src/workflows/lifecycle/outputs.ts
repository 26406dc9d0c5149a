import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  AccountEmail,
  AccountStatus,
  MfaExceptionEndsAt,
  OrganisationCode,
  ProvisioningOverdue,
  SyncOverdue,
} from '../../../temporal-config/search-attributes';
import { directoryEntryOf } from '../../domain/directory-entry';
import { provisioningOverdue, syncOverdue, type AccountState } from '../../domain/lifecycle-state';
import { act } from './act';

/** What Temporal Web filters accounts on, derived from the state. */
function searchAttributesOf(state: AccountState): SearchAttributeUpdatePair[] {
  return [
    { key: AccountStatus, value: state.status },
    { key: AccountEmail, value: state.email },
    { key: OrganisationCode, value: state.organisation.code },
    { key: ProvisioningOverdue, value: provisioningOverdue(state) },
    { key: SyncOverdue, value: syncOverdue(state) },
    { key: MfaExceptionEndsAt, value: state.mfa.exception ? new Date(state.mfa.exception.endsAt) : null },
  ];
}

/**
 * The outputs derived from an account's state, the directory entry (R25, R26) and the search attributes,
 * published after each step, each only when it changed since it was last published.
 */
export class DerivedOutputs {
  private entry: string | null;

  constructor(publishedEntry: string | null) {
    this.entry = publishedEntry;
  }

  /** The entry last published, carried across continue-as-new. */
  get publishedEntry(): string | null {
    return this.entry;
  }

  async publish(state: AccountState): Promise<void> {
    const current = workflowInfo().typedSearchAttributes;
    const changed = searchAttributesOf(state).filter(
      ({ key, value }) => JSON.stringify(current.get(key) ?? null) !== JSON.stringify(value),
    );
    if (changed.length > 0) upsertSearchAttributes(changed);
    const entry = directoryEntryOf(state);
    const json = JSON.stringify(entry);
    if (json !== this.entry) {
      await act.publishDirectoryEntry(entry);
      this.entry = json;
    }
  }
}
