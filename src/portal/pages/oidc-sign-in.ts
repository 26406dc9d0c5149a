import { Router, type Request, type Response } from 'express';
import { getIronSession } from 'iron-session';
import { forbidden } from '../../api/problem';
import { principalsOf } from '../../api/security/demo-principals';
import { isLoopbackAddress } from '../../api/security/loopback';
import type { OidcSettings } from '../portal-options';
import type { PortalDeps } from '../portal-deps';
import { secureCookie } from '../session';
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
 * ID token's `principalClaim` naming a principal of the principals file, whose rights it gets (R1).
 */
export function oidcSignInPages(deps: PortalDeps, settings: OidcSettings): Router {
  const router = Router();
  let discovered: Promise<Discovered> | undefined;
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
    const { oidc, config } = await provider();
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
    const { oidc, config } = await provider();
    const t = await transaction(req, res);
    const { state, nonce, codeVerifier } = t;
    t.destroy();
    if (!state || !nonce || !codeVerifier)
      throw forbidden('The sign-in took too long or was not started here: sign in again.');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, settings.redirectUri), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claim = tokens.claims()?.[settings.principalClaim];
    const principal = typeof claim === 'string' ? principalsOf(res).byId(claim) : undefined;
    if (!principal) {
      throw forbidden(
        `You signed in, but your ${settings.principalClaim} is not an administrator of this portal: ask for it to ` +
          'be added to the principals file.',
      );
    }
    await signInAs(deps, res, principal);
    // The browser comes from the provider's site: a page of ours moves it on, so the Strict cookie is sent.
    renderPage(res, 'signed-in.njk', { pageTitle: 'Signed in' });
  });
  return router;
}
