import type { Organisation } from '../domain/organisation';
import { ADMINS } from '../access/rights';
import { requireKind } from './caller';
import type { Principal } from '../access/principals';
import { referenceData } from '../reference/reference-data';

/** R1, R9: the organisations a caller may choose: a local administrator's own, or all for a national one. */
export function organisationsFor(principal: Principal): Organisation[] {
  requireKind(principal, ADMINS);
  return principal.kind === 'local-admin'
    ? referenceData.organisations.filter((o) => principal.orgs.includes(o.code))
    : referenceData.organisations;
}
