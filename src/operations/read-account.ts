import type { AuditEntry } from '../domain/account';
import type { AccountView } from '../domain/lifecycle-state';
import { ADMINS } from '../access/rights';
import { withinDeadline } from '../temporal/deadline';
import type { Principal } from '../access/principals';
import { getAccountQuery, getAccountHistoryQuery } from '../workflows/definitions';
import { reachAccount, type AccountDeps } from './account-access';

type ReadDeps = Pick<AccountDeps, 'client' | 'taskQueue' | 'directory'>;

/** The account's state from its lifecycle, for an administrator of its organisation (R1). */
export async function readAccount(deps: ReadDeps, principal: Principal, id: unknown): Promise<AccountView> {
  const { handle } = await reachAccount(deps, principal, id, ADMINS);
  return withinDeadline(deps.client, () => handle.query(getAccountQuery));
}

/** R2: who did what to the account, and when, in domain words. */
export async function readHistory(deps: ReadDeps, principal: Principal, id: unknown): Promise<AuditEntry[]> {
  const { handle } = await reachAccount(deps, principal, id, ADMINS);
  return withinDeadline(deps.client, () => handle.query(getAccountHistoryQuery));
}
