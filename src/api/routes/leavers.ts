import { Router } from 'express';
import type { Directory } from '../../ports/directory';
import { ADMINS, principalOf, requireKind } from '../authenticate';
import { parsePhone } from '../phone';
import { leaversQuery } from '../schemas/requests';
import { parseOrReject } from '../validation';

/**
 * GET /v1/leavers?q= (R28): any administrator finds the leavers they may accept as joiners, by name,
 * address or mobile number; never their phone numbers.
 */
export function leaverRoutes(directory: Directory): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireKind(principalOf(res), ADMINS);
    const { q, cursor, limit } = parseOrReject(leaversQuery, req.query);
    const phone = /^[+\d][\d\s()-]*$/.test(q) ? parsePhone(q) : undefined;
    const page = await directory.search({
      status: 'Leaver',
      ...(phone ? { mobile: phone.e164 } : { q }),
      cursor,
      limit,
    });
    res.json({
      items: page.entries.map((e) => ({
        id: e.id,
        email: e.email,
        displayName: e.displayName,
        formerOrganisation: { code: e.organisationCode, name: e.organisationName },
        windowEndsAt: e.leaverWindowEndsAt ?? null,
      })),
      nextCursor: page.nextCursor,
    });
  });
  return router;
}
