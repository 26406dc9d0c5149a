import { forbidden } from '../problem';
import type { Principal, Principals } from '../../access/principals';
import type { OidcSettings } from './portal-options';

/** What the portal reads of a verified ID token. */
export type IdTokenClaims = Record<string, unknown>;

/**
 * The principal an ID token names (R1), or a 403 saying why none: a token of another tenant (`tid`, when
 * PORTAL_OIDC_TENANT_ID is set); an email address the provider does not say it verified; or a claim that
 * names no administrator. `sub` and `oid` never change for a person and name a principal's `oidcSubject`;
 * an email address can be given to someone else, so it counts only when `email_verified` is true.
 */
export function principalFromClaims(
  claims: IdTokenClaims,
  settings: Pick<OidcSettings, 'principalClaim' | 'tenantId'>,
  principals: Principals,
): Principal {
  if (settings.tenantId !== undefined && claims.tid !== settings.tenantId) {
    throw forbidden(
      "You signed in with an account of another organisation's directory: sign in with your NHS account.",
    );
  }
  const value = claims[settings.principalClaim];
  if (settings.principalClaim === 'email') {
    if (claims.email_verified !== true) {
      throw forbidden(
        'Your sign-in provider does not say that your email address is verified, so it cannot name you here: ' +
          'verify it with the provider, or ask for your account to be named by its id (sub).',
      );
    }
    const principal = typeof value === 'string' ? principals.byId(value) : undefined;
    if (principal) return principal;
    throw forbidden(
      'You signed in, but your email is not an administrator of this portal: ask for it to be added to the ' +
        'principals file.',
    );
  }
  const principal = typeof value === 'string' ? principals.bySubject(value) : undefined;
  if (principal) return principal;
  throw forbidden(
    `You signed in, but your account (${settings.principalClaim} ${typeof value === 'string' ? value : 'missing'}) ` +
      'is not an administrator of this portal: ask for it to be added to the principals file as its oidcSubject.',
  );
}
