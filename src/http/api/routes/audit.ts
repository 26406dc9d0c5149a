import { Router } from 'express';
import { searchAudit } from '../../../operations/search-audit';
import type { AuditStore } from '../../../ports/audit-store';
import { principalOf } from '../../request-principal';
import { reply } from '../reply';
import { auditPage } from '../schemas/responses';

/** GET /v1/audit (R2, R1): the audit trail searched, within the caller's rights. */
export function auditRoutes(audit: AuditStore): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    reply(res, auditPage, await searchAudit(audit, principalOf(res), req.query));
  });
  return router;
}
