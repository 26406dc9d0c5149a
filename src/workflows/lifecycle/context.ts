import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, AuditEntry } from '../../domain/account';
import type { AccountState, AccountView } from '../../domain/lifecycle-state';
import type { LifecyclePolicy } from '../../domain/policy';
import type { Refusal } from '../../domain/refusals';
import { REFUSED, UNCHANGED } from '../definitions';
import type { AuditTrail } from './audit-trail';

/** A temporary password not yet shown, sealed (R13): the lifecycle holds it until the API takes it, once. */
export interface PasswordToShow {
  sealed: string | null;
  toShow: boolean;
}

/** What every concern of a lifecycle works on: the account's state, its audit trail and its policy. */
export interface Lifecycle {
  readonly state: AccountState;
  readonly trail: AuditTrail;
  readonly policy: LifecyclePolicy;
  readonly password: PasswordToShow;
}

export function record(
  lc: Lifecycle,
  actor: Actor,
  action: string,
  extra: Omit<AuditEntry, 'at' | 'actor' | 'action'> = {},
): void {
  lc.trail.record({ at: now(), actor, action, ...extra }, lc.state.organisation.code);
}

export const now = () => new Date().toISOString();
export const isoAt = (ms: number) => new Date(ms).toISOString();

export function refusal({ message, missing = [], unchanged }: Refusal): ApplicationFailure {
  const type = unchanged ? UNCHANGED : REFUSED;
  return ApplicationFailure.create({ type, message, details: [{ missing }], nonRetryable: true });
}

export function refuseIf(refused: Refusal | null): void {
  if (refused) throw refusal(refused);
}

/**
 * How the lifecycle takes a change: its Update (definitions.ts), when it refuses it (a rule of
 * domain/refusals.ts), and how it applies it. Each concern module lists the changes it applies.
 */
export interface Change<Req> {
  update: UpdateDefinition<AccountView, [Req]>;
  refusal(lc: Lifecycle, request: Req): Refusal | null;
  apply(lc: Lifecycle, request: Req): Promise<void> | void;
}

/** A change whose request type is its own business: what the lifecycle registers, whatever the request. */
export interface AnyChange {
  register(handle: <Req>(change: Change<Req>) => void): void;
}

export const change = <Req>(c: Change<Req>): AnyChange => ({ register: (handle) => handle(c) });

/** For a change the lifecycle takes in any state. */
export const NEVER_REFUSED = (): null => null;
