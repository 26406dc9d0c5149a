import { administers } from '../access/rights';
import { snapshotOf } from '../domain/organisation';
import type { Located } from '../ports/directory';
import { referenceData } from '../reference/reference-data';
import type { AcceptJoinerRequest } from '../workflows/definitions';
import type { AccountTarget } from './account-access';
import { forbidden } from './errors';
import type { JoinerBody } from './schemas/requests';

/** R28: any administrator may reach a leaver, to accept it into their organisation. */
export const isLeaver = (located: Located) => located.status === 'Leaver';

/**
 * R28: a joiner's request: the receiving organisation, which the caller must administer, with the unit, site,
 * job title and lists it sets.
 */
export function acceptJoinerRequest(
  body: JoinerBody,
  target: AccountTarget,
): Omit<AcceptJoinerRequest, 'actor'> {
  const { organisation: code, ...changes } = body;
  if (!administers(target.principal, code)) {
    throw forbidden(
      `You do not administer ${code}: only its administrators can accept a joiner into it (R28).`,
    );
  }
  return { organisation: snapshotOf(referenceData.organisation(code)!), changes };
}
