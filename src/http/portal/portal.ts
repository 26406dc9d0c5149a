import express, { Router, type RequestHandler } from 'express';
import { policyInWords } from '../../domain/policy-in-words';
import { notFound } from '../problem';
import { assetRoutes } from './assets';
import { auditTrailPage } from './pages/audit-trail';
import { bulkUploadForm } from './bulk-upload-form';
import { csrfProtection } from './csrf';
import { errorPage } from './page-errors';
import { accountPage } from './pages/account';
import { addUserPage } from './pages/add-user';
import { bulkUploadPage } from './pages/bulk-upload';
import { editAccountPage } from './pages/edit-account';
import { joinersPage } from './pages/joiners';
import { oidcSignInPages } from './pages/oidc-sign-in';
import type { CountingFailures } from '../rate-limit';
import { signInPages } from './pages/sign-in';
import { userManagementPage } from './pages/user-management';
import type { PortalDeps } from './portal-deps';
import { loadSession } from './session';
import { requireSignIn } from './signed-in';

/**
 * The administrators' portal at `/`: server-rendered NHS.UK pages over the same account operations as
 * the API, behind server-side sessions (a sealed cookie holding the session's id) and CSRF protection, with
 * the API's rate limits.
 */
export function portalRoutes(
  deps: PortalDeps,
  limits: { perPrincipal: RequestHandler; countingFailures: CountingFailures },
): Router {
  const router = Router();
  router.use(assetRoutes());
  const durations = policyInWords(deps.policy);
  router.use((_req, res, next) => {
    res.locals.durations = durations;
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 500 }));
  router.use(loadSession(deps.portal, deps.portalSessions));
  router.use(bulkUploadForm());
  router.use(csrfProtection);
  router.use(signInPages(deps, limits.countingFailures));
  if (deps.portal.oidc) router.use(oidcSignInPages(deps, deps.portal.oidc));
  router.use(requireSignIn());
  router.use(limits.perPrincipal);
  router.use(userManagementPage(deps));
  router.use(addUserPage(deps));
  router.use(accountPage(deps));
  router.use(editAccountPage(deps));
  router.use(joinersPage(deps));
  router.use(bulkUploadPage(deps));
  router.use(auditTrailPage(deps));
  router.use((req) => {
    throw notFound(`There is no page at ${req.path}.`);
  });
  router.use(errorPage(deps.logger));
  return router;
}
