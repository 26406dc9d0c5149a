import type { Principal } from '../access/principals';
import { FEEDS } from '../access/rights';
import type { ProfileChanges } from '../domain/account';
import type { AccountView } from '../domain/lifecycle-state';
import type { FeedFilter } from '../ports/directory';
import { withinDeadline } from '../temporal/deadline';
import { getAccountQuery } from '../workflows/definitions';
import { reachAccount, type AccountDeps, type AccountTarget } from './account-access';
import { applyChange } from './account-change';
import { requireKind } from './caller';
import { createAccountOnce } from './create-account-once';
import { FEED_CHANGES } from './feed-changes';
import { editAccountRequest } from './edit-account';
import { conflict, notFound, OperationError } from './errors';
import { editAccountBody } from './schemas/requests';
import { feedFields } from './schemas/feed';
import { parseOrReject } from './validation';

/** An account as a feed sees it: its view, and when its directory entry last changed. */
export interface FedAccount {
  view: AccountView;
  lastModified: string;
}

const gone = (id: unknown) => notFound(`No account ${String(id)}.`);

/** R1, R33: an account of the feed's organisations, not deleted (a deleted one is gone for a feed, R32). */
async function reachFed(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
): Promise<{ target: AccountTarget; account: FedAccount }> {
  const target = await reachAccount(deps, principal, id, FEED_CHANGES.updateFromFeed.who);
  const located = await deps.directory.locate(target.id);
  const view = await withinDeadline(deps.client, () => target.handle.query(getAccountQuery));
  if (view.status === 'Deleted') throw gone(id);
  return { target, account: { view, lastModified: located?.lastModified ?? view.createdAt } };
}

/** R33: one account, for the feed. */
export async function readForFeed(deps: AccountDeps, principal: Principal, id: unknown): Promise<FedAccount> {
  return (await reachFed(deps, principal, id)).account;
}

/**
 * R33: a feed's create, under R3-R13 as every create (R12's duplicates, the address of R11), with the feed's
 * key, unique in the organisation (a repeat answers 409 naming the account it made), and its leaving (R28).
 */
export async function createFromFeed(
  deps: AccountDeps,
  principal: Principal,
  raw: { account: unknown; feed: unknown },
): Promise<FedAccount & { warnings: string[]; temporaryPassword: string | null }> {
  requireKind(principal, FEEDS);
  const feed = parseOrReject(feedFields, raw.feed);
  const leaving = feed.leaving;
  const outcome = await createAccountOnce(deps, principal, raw.account, undefined, {
    feed: {
      ...(feed.externalId ? { externalId: feed.externalId } : {}),
      ...(feed.esrAssignmentNumber ? { esrAssignmentNumber: feed.esrAssignmentNumber } : {}),
      ...(leaving && (!leaving.active || leaving.leavingDate)
        ? { leaving: { on: leaving.active ? leaving.leavingDate : null } }
        : {}),
    },
  });
  const created = outcome.kind === 'created' ? outcome.created : outcome.answer;
  const account = await readForFeed(deps, principal, created.id);
  return { ...account, warnings: created.warnings, temporaryPassword: created.temporaryPassword };
}

/**
 * R33: a feed's replace or patch, as one change: the attributes under R25 (held while Pending, R17), its key
 * (unique in the organisation), and its leaving (R28). The lifecycle refuses it whole or applies it whole.
 */
export async function changeFromFeed(
  deps: AccountDeps,
  principal: Principal,
  id: unknown,
  raw: { changes: Record<string, unknown>; feed: unknown },
): Promise<FedAccount> {
  const { target, account } = await reachFed(deps, principal, id);
  const feed = parseOrReject(feedFields, raw.feed);
  let changes: ProfileChanges = {};
  if (Object.keys(raw.changes).length > 0) {
    changes = editAccountRequest(parseOrReject(editAccountBody, raw.changes), target).changes;
  }
  if (feed.esrAssignmentNumber !== undefined)
    changes = { ...changes, esrAssignmentNumber: feed.esrAssignmentNumber };
  if (feed.externalId) await keyFree(deps, target, feed.externalId);
  const view = await applyChange(deps, target, FEED_CHANGES.updateFromFeed.update, {
    actor: target.actor,
    ...(Object.keys(changes).length > 0 ? { changes } : {}),
    ...(feed.externalId !== undefined ? { externalId: feed.externalId } : {}),
    ...(feed.leaving ? { leaving: feed.leaving } : {}),
  });
  return { view, lastModified: account.lastModified };
}

/** R33: no other account of the organisation has this key. */
async function keyFree(deps: AccountDeps, target: AccountTarget, externalId: string): Promise<void> {
  const filter: FeedFilter = { op: 'eq', attribute: 'externalId', value: externalId };
  const page = await deps.directory.feedSearch({
    organisations: [target.organisation],
    filter,
    startIndex: 1,
    count: 2,
  });
  const other = page.entries.find((e) => e.id !== target.id);
  if (other) {
    throw conflict(
      'duplicate-external-id',
      'Duplicate externalId',
      `Another account of the organisation has this externalId: ${other.id} (R33).`,
      {
        extra: { existing: { id: other.id } },
        rule: 'R33',
      },
    );
  }
}

/** R32, R33: a feed's delete, restorable as every deletion; the account is then gone for the feed. */
export async function deleteFromFeed(deps: AccountDeps, principal: Principal, id: unknown): Promise<void> {
  const { target } = await reachFed(deps, principal, id);
  await applyChange(deps, target, FEED_CHANGES.deleteAccount.update, { actor: target.actor });
}

/**
 * R33: a feed's search, evaluated by the directory over its organisations, and each account as it is now.
 * One the directory still lists but whose lifecycle has just deleted it (R32; the directory is told by an
 * activity a moment later) is left out of the page and its total, rather than failing the whole list.
 */
export async function findForFeed(
  deps: AccountDeps,
  principal: Principal,
  search: { filter?: FeedFilter; startIndex: number; count: number },
): Promise<{ total: number; accounts: FedAccount[] }> {
  requireKind(principal, FEEDS);
  const organisations = principal.kind === 'scim-client' ? principal.orgs : [];
  const page = await deps.directory.feedSearch({ organisations, ...search });
  const found = await Promise.all(
    page.entries.map(async ({ id, lastModified }) => {
      try {
        const { account } = await reachFed(deps, principal, id);
        return [{ ...account, lastModified: lastModified ?? account.lastModified }];
      } catch (err) {
        if (err instanceof OperationError && err.kind === 'not-found') return [];
        throw err;
      }
    }),
  );
  const accounts = found.flat();
  return { total: page.total - (page.entries.length - accounts.length), accounts };
}
