import type { Principal } from './principals';

/** The principals who administer accounts: of their own organisations, or of all of them (R1). */
export const ADMINS = ['local-admin', 'national-admin'] as const;

/** R33: the principals that feed accounts by SCIM, and only by SCIM. */
export const FEEDS = ['scim-client'] as const;

/** R1, R33: whether the principal is a SCIM client feeding this organisation's accounts. */
export function feeds(principal: Principal, organisationCode: string): boolean {
  return principal.kind === 'scim-client' && principal.orgs.includes(organisationCode);
}

/** R1: whether the principal administers accounts of this organisation. */
export function administers(principal: Principal, organisationCode: string): boolean {
  if (principal.kind === 'national-admin') return true;
  if (principal.kind === 'local-admin') return principal.orgs.includes(organisationCode);
  return false;
}

/** R1: why the principal may not do what only `kinds` may, in its words; null when it may. */
export function kindRefusal(principal: Principal, kinds: readonly Principal['kind'][]): string | null {
  if (kinds.includes(principal.kind)) return null;
  if (principal.kind === 'scim-client') return 'A SCIM client may only call /scim/v2 (R33).';
  if (kinds.includes('scim-client')) return 'Only a SCIM client may call /scim/v2 (R33).';
  return principal.kind === 'identity-platform'
    ? 'The identity platform may only report first-login events.'
    : 'Only the identity platform may report first-login events.';
}
