import type { AuditEntry } from '../domain/account';
import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import { withinDeadline } from '../temporal/deadline';
import type { Principal } from '../access/principals';
import type { AuditStore } from '../ports/audit-store';
import { getAccountQuery } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';
import { accountTrail } from './account-trail';

type ReadDeps = Pick<AccountDeps, 'client' | 'taskQueue' | 'directory'>;

/** The account's state from its lifecycle, for an administrator of its organisation (R1). */
export async function readAccount(deps: ReadDeps, principal: Principal, id: unknown): Promise<AccountView> {
  const { handle } = await reachAccount(deps, principal, id, ADMINS);
  return withinDeadline(deps.client, () => handle.query(getAccountQuery));
}

/** R2: who did what to the account, and when, in domain words; also after its lifecycle has gone. */
export async function readHistory(
  deps: ReadDeps & { audit: AuditStore },
  principal: Principal,
  id: unknown,
): Promise<AuditEntry[]> {
  const account = await reachAccount(deps, principal, id, ADMINS);
  return accountTrail(deps.client, account.handle, deps.audit, account.id);
}
