import type { Directory } from '../ports/directory';
import { ADMINS } from '../access/rights';
import { requireKind } from './caller';
import { parsePhone } from './schemas/phone';
import type { Principal } from '../access/principals';
import { leaversQuery } from './schemas/requests';
import { parseOrReject } from './validation';

export interface LeaverFound {
  id: string;
  email: string;
  displayName: string;
  formerOrganisation: { code: string; name: string };
  windowEndsAt: string | null;
}

/**
 * R28: any administrator finds the leavers they may accept as joiners, by name, address or mobile number;
 * never their phone numbers.
 */
export async function findLeavers(
  directory: Directory,
  principal: Principal,
  rawQuery: unknown,
): Promise<{ items: LeaverFound[]; nextCursor: string | null }> {
  requireKind(principal, ADMINS);
  const { q, cursor, limit } = parseOrReject(leaversQuery, rawQuery);
  const phone = /^[+\d][\d\s()-]*$/.test(q) ? parsePhone(q) : undefined;
  const page = await directory.search({
    status: 'Leaver',
    ...(phone ? { mobile: phone.e164 } : { q }),
    cursor,
    limit,
  });
  return {
    items: page.entries.map((e) => ({
      id: e.id,
      email: e.email,
      displayName: e.displayName,
      formerOrganisation: { code: e.organisationCode, name: e.organisationName },
      windowEndsAt: e.leaverWindowEndsAt ?? null,
    })),
    nextCursor: page.nextCursor,
  };
}
