import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AuditEntry } from '../domain/account';
import type { TrailEntry } from '../domain/lifecycle-state';
import type { AuditStore } from '../ports/audit-store';
import { withinDeadline } from '../temporal/deadline';
import { getAccountHistoryQuery } from '../workflows/definitions';
import type { LifecycleHandle } from './lifecycles';

/**
 * R2: an account's whole audit trail, oldest first: the audit store's, with the entries its lifecycle holds
 * that the store does not have yet. The lifecycle is asked first: what it writes after it answered is in
 * the store by the time the store is read, so no entry falls between the two. A lifecycle closed and gone
 * (the namespace's retention deleted it) leaves the store's, which hold its whole trail.
 */
export async function accountTrail(
  client: Client,
  handle: Pick<LifecycleHandle, 'query'>,
  audit: AuditStore,
  accountId: string,
): Promise<AuditEntry[]> {
  const held = await withinDeadline(client, () => handle.query(getAccountHistoryQuery)).catch(
    (err: unknown): TrailEntry[] => {
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    },
  );
  const stored = await audit.history(accountId);
  const trail = new Map<number, AuditEntry>();
  // A lifecycle on code from before the store answers its whole trail, without seqs: its place is its seq.
  held.forEach((entry, i) => trail.set(entry.seq ?? i, entryOf(entry)));
  for (const record of stored) trail.set(record.seq, entryOf(record));
  return [...trail.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

/** The entry as the API answers it: what was done, without its place in the store. */
function entryOf({ at, actor, action, changes, detail }: AuditEntry): AuditEntry {
  return {
    at,
    actor,
    action,
    ...(changes === undefined ? {} : { changes }),
    ...(detail === undefined ? {} : { detail }),
  };
}
