import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { searchAttributesOf } from '../../domain/account-search-attributes';
import { directoryEntryOf, type DirectoryEntry } from '../../domain/directory-entry';
import type { AccountState } from '../../domain/lifecycle-state';
import { act } from './act';

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
    const json = asPublished(entry);
    if (json !== this.entry) {
      await act.publishDirectoryEntry(entry);
      this.entry = json;
    }
  }
}

/** The form in which outputs compare an entry with the entry last published. */
const asPublished = (entry: DirectoryEntry): string => JSON.stringify(entry);

/** The directory entry of a state, in the form outputs compare with the entry last published. */
export const entryAsPublished = (state: AccountState): string => asPublished(directoryEntryOf(state));
