import type { DirectoryEntry } from '../ports/directory';
import { withinDeadline } from '../temporal/deadline';
import { getAccountQuery } from '../workflows/definitions';
import { accountWorkflowId } from '../workflows/workflow-id';
import type { Lifecycles } from './lifecycles';

/** How long a list waits for the lifecycles it asks; a slow one is shown without its overdue flag. */
const OVERDUE_QUERY_MS = 2000;

/**
 * R16, R20: which of the listed accounts are overdue (the mailbox past 24 hours, or the sync past 2),
 * asked of their lifecycles, as the directory does not hold it. Only Pending and Active ones can be.
 */
export async function overdueFlags(deps: Lifecycles, entries: DirectoryEntry[]): Promise<Set<string>> {
  const candidates = entries.filter((e) => e.status === 'Pending' || e.status === 'Active');
  const flags = await Promise.all(
    candidates.map(async (e) => {
      const handle = deps.client.workflow.getHandle(accountWorkflowId(e.id));
      const view = await withinDeadline(
        deps.client,
        () => handle.query(getAccountQuery),
        OVERDUE_QUERY_MS,
      ).catch(() => undefined);
      return view && (view.provisioningOverdue || view.syncOverdue) ? e.id : undefined;
    }),
  );
  return new Set(flags.filter((id): id is string => id !== undefined));
}
