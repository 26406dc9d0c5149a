import type { Directory, DirectoryPage } from '../ports/directory';
import { ADMINS } from '../access/rights';
import { requireKind } from './caller';
import type { Principal } from '../access/principals';
import { administers } from '../access/rights';
import { forbidden } from './errors';
import { listAccountsQuery } from './schemas/requests';
import { parseOrReject } from './validation';

/** R26, R1: the directory searched by name, organisation, role and status; a local administrator's own only. */
export async function searchAccounts(
  directory: Directory,
  principal: Principal,
  rawQuery: unknown,
): Promise<DirectoryPage> {
  requireKind(principal, ADMINS);
  const query = parseOrReject(listAccountsQuery, rawQuery);
  let organisations: string[] | undefined;
  if (principal.kind === 'local-admin') {
    if (query.org && !administers(principal, query.org)) {
      throw forbidden(`You do not administer accounts of ${query.org}.`);
    }
    organisations = principal.orgs;
  }
  return directory.search({
    organisations,
    organisation: query.org,
    q: query.q,
    status: query.status,
    role: query.role,
    cursor: query.cursor,
    limit: query.limit,
  });
}
