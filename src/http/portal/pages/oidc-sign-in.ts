import { Router, type NextFunction, type Request, type Response } from 'express';
import { getIronSession } from 'iron-session';
import { Problem, forbidden } from '../../problem';
import { principalsOf } from '../../security/demo-principals';
import { isLoopbackAddress } from '../../security/loopback';
import type { OidcSettings } from '../portal-options';
import type { PortalDeps } from '../portal-deps';
import { secureCookie } from '../session';
import { principalFromClaims } from '../oidc-principal';
import { renderPage } from '../views';
import { signInAs } from './sign-in';

type OpenIdClient = typeof import('openid-client');
type Discovered = { oidc: OpenIdClient; config: Awaited<ReturnType<OpenIdClient['discovery']>> };

/** What the sign-in keeps between leaving for the provider and coming back: its checks, for 10 minutes. */
interface Transaction {
  state?: string;
  nonce?: string;
  codeVerifier?: string;
}

/**
 * A real deployment's sign-in: OpenID Connect's authorization code flow with PKCE (openid-client), the
 * ID token naming a principal of the principals file (principalFromClaims), whose rights it gets (R1).
 */
export function oidcSignInPages(deps: PortalDeps, settings: OidcSettings): Router {
  const router = Router();
  let discovered: Promise<Discovered> | undefined;
  const failed = () =>
    new Problem(
      400,
      'Sign-in failed',
      `The sign-in with ${settings.name} did not complete: sign in again. If it fails again, the provider may ` +
        'be unavailable: try again in a few minutes.',
    );
  /** A step with the provider; its failure (an answer refused by openid-client, or none) is the sign-in's. */
  const withProvider = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (err) {
      throw Object.assign(failed(), { cause: err });
    }
  };
  const provider = () =>
    (discovered ??= (async () => {
      const oidc = await import('openid-client');
      const issuer = new URL(settings.issuer);
      // Plain HTTP only for a provider on this machine (a test or a demonstration); the configuration refuses it elsewhere.
      const local = issuer.protocol === 'http:' && isLoopbackAddress(issuer.hostname.replace(/^\[|\]$/g, ''));
      const config = await oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
      return { oidc, config };
    })().catch((err: unknown) => {
      discovered = undefined;
      throw err;
    }));

  // SameSite=Lax: the provider sends the browser back from another site, where a Strict cookie is not sent.
  const transaction = (req: Request, res: Response) =>
    getIronSession<Transaction>(req, res, {
      cookieName: 'nhsmail-portal-oidc',
      password: deps.portal.sessionPasswords,
      ttl: 600,
      cookieOptions: {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie(req, deps.portal),
        path: '/sign-in',
      },
    });

  router.get('/sign-in/oidc', async (req, res) => {
    const { oidc, config } = await withProvider(provider);
    const t = await transaction(req, res);
    t.state = oidc.randomState();
    t.nonce = oidc.randomNonce();
    t.codeVerifier = oidc.randomPKCECodeVerifier();
    await t.save();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(t.codeVerifier),
      code_challenge_method: 'S256',
      state: t.state,
      nonce: t.nonce,
    });
    res.redirect(303, url.href);
  });

  router.get('/sign-in/callback', async (req, res) => {
    const { oidc, config } = await withProvider(provider);
    const t = await transaction(req, res);
    const { state, nonce, codeVerifier } = t;
    t.destroy();
    if (!state || !nonce || !codeVerifier)
      throw forbidden('The sign-in took too long or was not started here: sign in again.');
    const tokens = await withProvider(() =>
      oidc.authorizationCodeGrant(config, new URL(req.originalUrl, settings.redirectUri), {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      }),
    );
    const principal = principalFromClaims(tokens.claims() ?? {}, settings, principalsOf(res));
    await signInAs(deps, res, principal);
    // The browser comes from the provider's site: a page of ours moves it on, so the Strict cookie is sent.
    renderPage(res, 'signed-in.njk', { pageTitle: 'Signed in' });
  });

  // A failed or refused sign-in is the person's or the provider's, not the portal's: a 400-class page and a
  // warning naming the cause (never the code or the tokens).
  router.use(
    ['/sign-in/oidc', '/sign-in/callback'],
    (err: unknown, req: Request, _res: Response, next: NextFunction) => {
      if (err instanceof Problem && err.status < 500) {
        const cause = err.cause as { name?: string; code?: string; message?: string } | undefined;
        const why = cause ? { name: cause.name, code: cause.code, message: cause.message } : err.detail;
        req.log.warn({ why, status: err.status }, 'sign-in with the OpenID Connect provider failed');
      }
      next(err);
    },
  );
  return router;
}
