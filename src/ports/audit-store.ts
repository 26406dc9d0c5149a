import type { AuditEntry } from '../domain/account';

/** One entry of an account's audit trail as the store keeps it (R2). */
export interface AuditRecord extends AuditEntry {
  accountId: string;
  /** The entry's place in its account's trail, from 0: with the account, the key a repeated write finds. */
  seq: number;
  /** The organisation the account belonged to when the entry was recorded (R1: who may read it). */
  organisation: string;
}

/** A search of the trail (R2, R1); times are ISO 8601. */
export interface AuditSearch {
  /** Only these organisations (a local administrator's); undefined for all. */
  organisations?: string[];
  organisation?: string;
  /** The actor's id: an administrator's, the identity platform's, or the lifecycle's own (`lifecycle`). */
  actor?: string;
  accountId?: string;
  /** Entries recorded at or after this time. */
  from?: string;
  /** Entries recorded before this time. */
  to?: string;
  /** The last entry of the page before: this page starts after it. */
  after?: AuditPosition;
  limit: number;
}

/** Where an entry stands in a search's order: newest first, then by account and seq, descending. */
export type AuditPosition = Pick<AuditRecord, 'at' | 'accountId' | 'seq'>;

/** A page of a search, newest first; `more` when entries follow its last. */
export interface AuditPage {
  records: AuditRecord[];
  more: boolean;
}

/**
 * The audit trail, kept apart from the lifecycles so that it outlives them (R2): append-only, each entry
 * written once whatever the retries, deleted only by the retention purge. Shared by every process.
 */
export interface AuditStore {
  /** Appends the entries; one already held (the same account and seq) stays as it was first written. */
  append(records: readonly AuditRecord[]): Promise<void>;
  /** An account's trail, oldest first. */
  history(accountId: string): Promise<AuditRecord[]>;
  search(search: AuditSearch): Promise<AuditPage>;
  /** The retention purge: deletes the entries recorded before `before`; how many it deleted. */
  purge(before: Date): Promise<number>;
}
