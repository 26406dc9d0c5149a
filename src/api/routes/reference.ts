import { Router } from 'express';
import type { CodedItem } from '../../reference/reference-data';
import { referenceData } from '../../reference/reference-data';
import { ADMINS, principalOf, requireKind } from '../authenticate';

/** /v1/reference: the lists behind the admin UI's drop-downs (R9, R10), for administrators. */
export function referenceRoutes(): Router {
  const router = Router();
  router.use((_req, res, next) => {
    requireKind(principalOf(res), ADMINS);
    next();
  });
  router.get('/organisations', (_req, res) => {
    const principal = principalOf(res);
    const visible =
      principal.kind === 'local-admin'
        ? referenceData.organisations.filter((o) => principal.orgs.includes(o.code))
        : referenceData.organisations;
    res.json(
      visible.map(({ code, name, kind, emailDomains, units, sites, nasManaged, connectorManaged }) => ({
        code,
        name,
        kind,
        emailDomains,
        units,
        sites,
        nasManaged,
        connectorManaged,
      })),
    );
  });
  const list = (path: string, items: CodedItem[]) => router.get(path, (_req, res) => void res.json(items));
  list('/specialities', referenceData.specialities);
  list('/roles', referenceData.roles);
  list('/work-areas', referenceData.workAreas);
  return router;
}
