import { Router, type NextFunction, type Request, type Response } from 'express';
import { ADMINS } from '../../../access/rights';
import { requireKind } from '../../../operations/caller';
import { Problem } from '../../problem';
import type { Principal } from '../../../access/principals';
import { principalsOf, unknownTokenDetail } from '../../security/demo-principals';
import { directFromThisMachine } from '../../security/loopback';
import { text, type Form } from '../forms/form-values';
import type { PortalDeps } from '../portal-deps';
import { newToken, sessionLimits, sessionOf, sessionPrincipalId } from '../session';
import { NO_ERRORS, renderPage, type PageErrors } from '../views';
import type { CountingFailures } from '../../rate-limit';

/**
 * Starts a fresh session for the principal: a new record and id (any session the cookie held is ended,
 * so no id chosen before sign-in survives it), and a new CSRF token.
 */
export async function signInAs(deps: PortalDeps, res: Response, principal: Principal): Promise<void> {
  requireKind(principal, ADMINS);
  const session = sessionOf(res);
  if (session.sid) await deps.portalSessions.revoke(session.sid);
  session.sid = await deps.portalSessions.start(principal.id, sessionLimits(deps.portal));
  session.csrfToken = newToken();
  delete session.flash;
  await session.save();
}

/**
 * /sign-in and /sign-out. In the embedded run (no OpenID Connect provider configured) a `Token` field,
 * and the demonstration principals to pick from when they are in use; the token is the API's bearer
 * token, so the rights are exactly the API's (R1). Failed tokens count towards the API's limit.
 */
export function signInPages(deps: PortalDeps, countingFailures: CountingFailures): Router {
  const router = Router();
  const { oidc, devPrincipals } = deps.portal;
  const tokenSignIn = !oidc;

  // The one-click list of demo principals only for a person at this machine, directly (their tokens are published).
  const show = (req: Request, res: Response, errors: PageErrors, status = 200, flash?: string) =>
    renderPage(
      res,
      'sign-in.njk',
      {
        errors,
        flash,
        tokenSignIn,
        oidc: oidc ? { name: oidc.name } : undefined,
        devPrincipals: tokenSignIn && directFromThisMachine(req) ? devPrincipals : [],
      },
      status,
    );
  const tokenError = (message: string): PageErrors => ({
    list: [{ text: message, href: '#token' }],
    byField: { token: message },
  });

  router.get('/sign-in', (req, res) => {
    const signedIn = sessionPrincipalId(res);
    if (signedIn && principalsOf(res).byId(signedIn)) {
      return res.redirect(303, '/');
    }
    show(req, res, NO_ERRORS, 200, 'signed-out' in req.query ? 'You have signed out.' : undefined);
  });

  if (tokenSignIn) {
    const check = (req: Request, res: Response) => {
      const token = text((req.body ?? {}) as Form, 'token').trim();
      if (token === '') return;
      const principal = principalsOf(res).find(token);
      if (!principal) {
        throw new Problem(401, 'Unauthorized', unknownTokenDetail(res, 'The token is not known.'));
      }
      res.locals.signingIn = principal;
    };
    router.post('/sign-in', ...countingFailures(check), async (req, res) => {
      const principal = res.locals.signingIn as Principal | undefined;
      if (!principal) return show(req, res, tokenError('Enter your token'), 400);
      try {
        await signInAs(deps, res, principal);
      } catch (err) {
        if (err instanceof Problem) return show(req, res, tokenError(err.detail ?? err.title), err.status);
        throw err;
      }
      res.redirect(303, '/');
    });
    router.use('/sign-in', (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (err instanceof Problem && err.status === 401)
        return show(req, res, tokenError(err.detail ?? err.title), 401);
      next(err);
    });
  }

  router.post('/sign-out', async (_req, res) => {
    const session = sessionOf(res);
    if (session.sid) await deps.portalSessions.revoke(session.sid);
    session.destroy();
    res.redirect(303, '/sign-in?signed-out');
  });
  return router;
}
