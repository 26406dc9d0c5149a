import type { Principal } from './principals';

/** The principals who administer accounts: of their own organisations, or of all of them (R1). */
export const ADMINS = ['local-admin', 'national-admin'] as const;

/** R1: whether the principal administers accounts of this organisation. */
export function administers(principal: Principal, organisationCode: string): boolean {
  if (principal.kind === 'national-admin') return true;
  if (principal.kind === 'local-admin') return principal.orgs.includes(organisationCode);
  return false;
}

/** R1: why the principal may not do what only `kinds` may, in its words; null when it may. */
export function kindRefusal(principal: Principal, kinds: readonly Principal['kind'][]): string | null {
  if (kinds.includes(principal.kind)) return null;
  return principal.kind === 'identity-platform'
    ? 'The identity platform may only report first-login events.'
    : 'Only the identity platform may report first-login events.';
}
