import type { Principals } from '../../access/principals';
import type { Logger } from '../../logger';
import type { BulkDeps } from '../../operations/bulk-uploads';
import type { AuditStore } from '../../ports/audit-store';
import type { PortalSessions } from '../../ports/portal-sessions';
import type { PortalOptions } from './portal-options';

/**
 * The portal's needs: the account and bulk operations' own, the principals (R1), the audit trail (R2), the session store, the
 * logger and its options.
 */
export interface PortalDeps extends BulkDeps {
  principals: Principals;
  portalSessions: PortalSessions;
  audit: AuditStore;
  logger: Logger;
  portal: PortalOptions;
}
