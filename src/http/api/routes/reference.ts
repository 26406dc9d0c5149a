import { Router } from 'express';
import type { CodedItem } from '../../../reference/reference-data';
import { referenceData } from '../../../reference/reference-data';
import { organisationsFor } from '../../../operations/organisations-for';
import { ADMINS } from '../../../access/rights';
import { requireKind } from '../../../operations/caller';
import { principalOf } from '../../request-principal';
import { reply } from '../reply';
import { codedItems, organisations } from '../schemas/responses';

/** /v1/reference: the lists behind the admin UI's drop-downs (R9, R10), for administrators. */
export function referenceRoutes(): Router {
  const router = Router();
  router.use((_req, res, next) => {
    requireKind(principalOf(res), ADMINS);
    next();
  });
  router.get('/organisations', (_req, res) => {
    reply(
      res,
      organisations,
      organisationsFor(principalOf(res)).map(
        ({ code, name, kind, emailDomains, units, sites, nasManaged, connectorManaged }) => ({
          code,
          name,
          kind,
          emailDomains,
          units,
          sites,
          nasManaged,
          connectorManaged,
        }),
      ),
    );
  });
  const list = (path: string, items: CodedItem[]) =>
    router.get(path, (_req, res) => reply(res, codedItems, items));
  list('/specialities', referenceData.specialities);
  list('/roles', referenceData.roles);
  list('/work-areas', referenceData.workAreas);
  return router;
}
