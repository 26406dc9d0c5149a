import { IDEMPOTENCY_ABANDONED_MS, NO_OWNER, type Claim } from '../ports/idempotency-keys';

/** A key as a store holds it. */
export interface ClaimRow {
  requestHash: string;
  claimId: string;
  status: number | null;
  /** The answer, or the account reserved so far; JSON text. */
  body: string | null;
  createdAt: number;
}

/**
 * What a new request with a key already held gets: the first answer, a refusal, or the key itself when the
 * request holding it died (then `takeOver` is true and the store gives the key to `claimId`).
 */
export function claimOnHeldKey(
  row: ClaimRow,
  requestHash: string,
  now: number,
  claimId: string,
): { claim: Claim; takeOver: boolean } {
  if (row.requestHash !== requestHash) return { claim: { state: 'mismatch' }, takeOver: false };
  if (row.status !== null) {
    return {
      claim: { state: 'replay', status: row.status, body: JSON.parse(row.body!) as unknown },
      takeOver: false,
    };
  }
  if (row.claimId !== NO_OWNER && row.createdAt >= now - IDEMPOTENCY_ABANDONED_MS) {
    return { claim: { state: 'in-progress' }, takeOver: false };
  }
  const claim: Claim =
    row.body === null
      ? { state: 'new', claimId }
      : { state: 'new', claimId, account: JSON.parse(row.body) as unknown };
  return { claim, takeOver: true };
}
