import type { AuditRecord, AuditStore } from '../ports/audit-store';

export interface AuditActivityDeps {
  audit: AuditStore;
}

/** The lifecycle's audit trail written to the audit store (R2), where it outlives the workflow. */
export function createAuditActivities({ audit }: AuditActivityDeps) {
  return {
    /** Writes a step's new entries; idempotent, as the store keeps each account's seq once. */
    writeAuditEntries(entries: AuditRecord[]): Promise<void> {
      return audit.append(entries);
    },
  };
}

export type AuditActivities = ReturnType<typeof createAuditActivities>;
