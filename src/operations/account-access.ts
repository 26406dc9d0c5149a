import type { Directory, Located } from '../ports/directory';
import type { PasswordSealer } from '../crypto/password-sealer';
import type { Actor } from '../domain/account';
import type { LifecyclePolicy } from '../domain/policy';
import { requireKind } from './caller';
import type { IdempotencyKeys } from '../ports/idempotency-keys';
import { actorOf, type Principal } from '../access/principals';
import { administers, feeds } from '../access/rights';
import { forbidden, notFound } from './errors';
import { accountId } from './schemas/requests';
import { accountWorkflowId } from '../workflows/workflow-id';
import { finishPendingStart, type LifecycleHandle, type Lifecycles } from './lifecycles';

/** What the account operations need: the lifecycles, the directory, the password seal, the policy. */
export interface AccountDeps extends Lifecycles {
  directory: Directory;
  sealer: PasswordSealer;
  idempotency: IdempotencyKeys;
  policy: LifecyclePolicy;
}

/** An account the caller may act on, with its lifecycle. */
export interface AccountTarget {
  id: string;
  organisation: string;
  handle: LifecycleHandle;
  actor: Actor;
  principal: Principal;
}

/**
 * R1: the account, if the caller may act on it; 404 for no such account, 403 for another organisation's
 * (unless `alsoFor` lets the caller in, as a leaver is for the administrators who may accept it).
 * A reservation whose lifecycle a crash kept from starting gets it started here.
 */
export async function reachAccount(
  deps: Lifecycles & { directory: Directory },
  principal: Principal,
  rawId: unknown,
  kinds: readonly Principal['kind'][],
  alsoFor: (located: Located) => boolean = () => false,
): Promise<AccountTarget> {
  requireKind(principal, kinds);
  const parsed = accountId.safeParse(rawId);
  const id = parsed.success ? parsed.data.toLowerCase() : undefined;
  const located = id ? await deps.directory.locate(id) : undefined;
  if (!id || !located) throw notFound(`No account ${String(rawId)}.`);
  const { organisation } = located;
  const theirs = administers(principal, organisation) || feeds(principal, organisation);
  if (principal.kind !== 'identity-platform' && !theirs && !alsoFor(located)) {
    throw forbidden(`You do not administer accounts of ${organisation}.`);
  }
  if (located.lifecyclePending) await finishPendingStart(deps, deps.directory, id);
  const handle: LifecycleHandle = deps.client.workflow.getHandle(accountWorkflowId(id));
  return { id, organisation, handle, actor: actorOf(principal), principal };
}
