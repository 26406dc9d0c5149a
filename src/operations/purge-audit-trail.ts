import type { Logger } from '../logger';
import type { AuditStore } from '../ports/audit-store';

/** R2: how long the audit trail is kept unless AUDIT_KEPT_FOR says otherwise: 8 years, as NHS records are. */
export const DEFAULT_AUDIT_KEPT_FOR_MS = 8 * 365.25 * 24 * 60 * 60 * 1000;

/**
 * R2: deletes the audit entries recorded more than `keptForMs` ago, now and then every `everyMs`; each API
 * process does it (harmless twice: the same entries go). The only deletion the audit store knows. Returns
 * what stops it.
 */
export function purgeAuditTrailEvery(
  everyMs: number,
  audit: AuditStore,
  keptForMs: number,
  log: Logger,
): () => Promise<void> {
  const purge = () =>
    audit
      .purge(new Date(Date.now() - keptForMs))
      .then((n) => n > 0 && log.info({ entries: n }, 'deleted the audit entries older than AUDIT_KEPT_FOR'))
      .catch((err: Error) => log.warn({ err: err.message }, 'could not purge the audit trail'));
  void purge();
  const timer = setInterval(() => void purge(), everyMs).unref();
  return async () => clearInterval(timer);
}
