import type { Principal } from '../access/principals';
import { ADMINS, administers } from '../access/rights';
import type { AuditRecord, AuditStore } from '../ports/audit-store';
import { requireKind } from './caller';
import { forbidden } from './errors';
import { auditQuery, encodeAuditCursor } from './schemas/audit-query';
import { parseOrReject } from './validation';

export interface AuditSearchPage {
  items: AuditRecord[];
  nextCursor: string | null;
}

/**
 * R2, R1: the audit trail searched by actor, organisation, account and time, newest first, a page at a
 * time; a local administrator sees the entries recorded while the account was in one of their
 * organisations, and is refused another organisation's.
 */
export async function searchAudit(
  audit: AuditStore,
  principal: Principal,
  rawQuery: unknown,
): Promise<AuditSearchPage> {
  requireKind(principal, ADMINS);
  const query = parseOrReject(auditQuery, rawQuery);
  let organisations: string[] | undefined;
  if (principal.kind === 'local-admin') {
    if (query.org && !administers(principal, query.org)) {
      throw forbidden(`You do not administer accounts of ${query.org}.`);
    }
    organisations = principal.orgs;
  }
  const page = await audit.search({
    organisations,
    organisation: query.org,
    actor: query.actor,
    accountId: query.account?.toLowerCase(),
    from: query.from,
    to: query.to,
    after: query.cursor,
    limit: query.limit,
  });
  const last = page.records.at(-1);
  return { items: page.records, nextCursor: page.more && last ? encodeAuditCursor(last) : null };
}
