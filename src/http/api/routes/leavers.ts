import { Router } from 'express';
import type { Directory } from '../../../ports/directory';
import { findLeavers } from '../../../operations/find-leavers';
import { principalOf } from '../../request-principal';
import { reply } from '../reply';
import { leaversPage } from '../schemas/responses';

/** GET /v1/leavers?q= (R28): the leavers an administrator may accept as joiners. */
export function leaverRoutes(directory: Directory): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    reply(res, leaversPage, await findLeavers(directory, principalOf(res), req.query));
  });
  return router;
}
