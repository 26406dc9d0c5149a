import { patched, proxyActivities } from '@temporalio/workflow';
import type { AuditActivities } from '../../activities/audit';
import type { AuditEntry } from '../../domain/account';
import type { TrailEntry } from '../../domain/lifecycle-state';

/**
 * Lifecycles started before the audit store take up writing their trail to it by this patch, at the end of
 * the first step that records an entry on code that has it: such a run writes its whole trail then, once.
 * Runs started since, and runs continued as new by code that writes (they carry `auditWritten`), write
 * without it, and record no marker.
 */
export const WRITES_AUDIT_STORE = 'writes-audit-store';

const { writeAuditEntries } = proxyActivities<AuditActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  summary: 'write to the audit trail',
});

/** How a trail crosses continue-as-new: the entries not yet written, and how many were written before them. */
export interface CarriedTrail {
  audit: TrailEntry[];
  /** Absent in runs from before the audit store: none of their trail was written. */
  auditWritten?: number;
}

/**
 * The account's audit trail (R2), as its lifecycle holds it: only the entries recorded since the last step
 * ended, which that step then writes to the audit store (one activity for all of them), so that the
 * workflow's state and what it carries across continue-as-new stay small however long the account lives.
 */
export class AuditTrail {
  private readonly unwritten: TrailEntry[];
  /** The seq of the first unwritten entry: how many the store already holds. */
  private written: number;

  /** Whether this run writes to the store whatever the patch says. */
  private readonly writes: boolean;

  constructor(carried?: CarriedTrail, startedWriting = false) {
    this.unwritten = [...(carried?.audit ?? [])];
    this.written = carried?.auditWritten ?? 0;
    this.writes = startedWriting || carried?.auditWritten !== undefined;
  }

  record(entry: AuditEntry, organisation: string): void {
    this.unwritten.push({ ...entry, organisation });
  }

  /** The entries the store does not hold yet, each with its seq (the getAuditTrail query's answer). */
  get pending(): TrailEntry[] {
    return this.unwritten.map((entry, i) => ({ ...entry, seq: this.written + i }));
  }

  /**
   * Writes the unwritten entries to the store, once the run has the patch (before it, the trail stays whole
   * in the state, as it was). Entries without an organisation (recorded before the store) take `organisation`.
   */
  async write(accountId: string, organisation: string): Promise<void> {
    const count = this.unwritten.length;
    if (count === 0 || !(this.writes || patched(WRITES_AUDIT_STORE))) return;
    await writeAuditEntries(
      this.pending.slice(0, count).map((entry) => ({
        ...entry,
        accountId,
        seq: entry.seq!,
        organisation: entry.organisation ?? organisation,
      })),
    );
    this.unwritten.splice(0, count);
    this.written += count;
  }

  /** What continue-as-new carries: normally nothing but the count. */
  carried(): CarriedTrail {
    return { audit: this.unwritten, auditWritten: this.written };
  }
}
