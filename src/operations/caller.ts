import type { Principal } from '../access/principals';
import { kindRefusal } from '../access/rights';
import { forbidden } from './errors';

/** R1: refuses a caller of another kind than `kinds` before anything is read or changed. */
export function requireKind(principal: Principal, kinds: readonly Principal['kind'][]): void {
  const refusal = kindRefusal(principal, kinds);
  if (refusal) throw forbidden(refusal);
}
