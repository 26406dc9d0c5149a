import fs from 'node:fs';
import { derivedKey, type KeyRing } from '../../crypto/key-ring';

/** A demonstration principal offered on the sign-in page of the embedded run. */
export interface DevPrincipal {
  token: string;
  name: string;
  shortName: string;
}

export const OIDC_PRINCIPAL_CLAIMS = ['sub', 'oid', 'email'] as const;
export type OidcPrincipalClaim = (typeof OIDC_PRINCIPAL_CLAIMS)[number];

/** An OpenID Connect provider for a real deployment's sign-in; none is bundled. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * The ID token claim that names a principal: `sub` (or Entra ID's `oid`), a principal's `oidcSubject`; or
   * `email`, a principal's `id`, accepted only with `email_verified: true`.
   */
  principalClaim: OidcPrincipalClaim;
  /** Entra ID: the tenant whose accounts may sign in, checked against the token's `tid`. */
  tenantId?: string;
  /** This portal's callback, as registered with the provider: `<public URL>/sign-in/callback`. */
  redirectUri: string;
  /** The provider's name on the sign-in button. */
  name: string;
}

export interface PortalOptions {
  /** iron-session passwords by number; the highest seals new cookies, all open old ones. */
  sessionPasswords: Record<string, string>;
  /** Secure cookies: on everywhere but a portal served on this machine's loopback address. */
  secureCookies: boolean;
  /** A session's absolute lifetime, from its sign-in. */
  sessionTtlSeconds: number;
  /** A session ends this long after its last use. */
  sessionIdleSeconds: number;
  /** Offered on /sign-in: the demo principals, only with the demo file and the API on loopback. */
  devPrincipals: DevPrincipal[];
  oidc?: OidcSettings;
}

/**
 * The session cookie's keys, one derived from each encryption key: every API process already shares
 * ENCRYPTION_KEYS, so the cookie needs no secret of its own, and any process reads it.
 */
export function sessionPasswordsFrom(ring: KeyRing): Record<string, string> {
  const others = [...ring.keys.keys()].filter((id) => id !== ring.activeKeyId);
  return Object.fromEntries(
    [...others, ring.activeKeyId].map((id, i) => [
      String(i + 1),
      derivedKey(ring, id, 'portal-session-cookie').toString('base64url'),
    ]),
  );
}

/** The demo principals of a principals file that holds plain tokens, administrators only. */
export function devPrincipalsFrom(file: string): DevPrincipal[] {
  const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    token?: string;
    name: string;
    kind: string;
  }[];
  return entries
    .filter((e) => e.token && e.kind !== 'identity-platform' && e.kind !== 'scim-client')
    .map((e) => ({ token: e.token!, name: e.name, shortName: shortNameOf(e.name) }));
}

/** "Alex Admin (local administrator, RJ1)" is Alex Admin. */
function shortNameOf(name: string): string {
  const bracket = name.indexOf('(');
  return bracket < 0 ? name : name.slice(0, bracket).trimEnd();
}
