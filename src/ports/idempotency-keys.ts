import crypto from 'node:crypto';

export type Claim =
  /** This request owns the key; `account` is set when a request that died had already reserved one. */
  | { state: 'new'; claimId: string; account?: unknown }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

/**
 * Idempotency-Key, kept 24 hours per caller. For POST /v1/accounts the first request with a key is
 * remembered with its answer, so a repeat (same caller, same key, same body) gets that answer instead of a
 * second account; the account is noted as soon as it is reserved, so a repeat after a crash finds it rather
 * than making another. For a change to an account, the key becomes the Temporal Update ID, and Temporal
 * deduplicates; here it is only bound to its request, so that reusing it for another is refused. Nothing
 * secret is stored: the temporary password is never written here. Shared by every API process.
 */
export interface IdempotencyKeys {
  /** Takes the key for this request, or says why not: answered already, still running, or another request's. */
  claim(principalId: string, key: string, requestHash: string): Promise<Claim>;
  /** Notes the account reserved for the request holding the claim. */
  reserved(principalId: string, key: string, claimId: string, account: unknown): Promise<void>;
  /**
   * Binds a key to one lifecycle Update (same caller, same request), whose Temporal Update ID it becomes:
   * 'mismatch' when the caller used the key for a different request within 24 hours.
   */
  bindUpdate(principalId: string, key: string, requestHash: string): Promise<'bound' | 'mismatch'>;
  complete(principalId: string, key: string, claimId: string, status: number, body: unknown): Promise<void>;
  /**
   * The request holding the claim ended without an answer: its key is forgotten if it reserved nothing, so
   * the caller can try again with it; otherwise a repeat takes the reserved account over at once.
   */
  release(principalId: string, key: string, claimId: string): Promise<void>;
}

/** The fingerprint of a request that a key is bound to. */
export const IdempotencyKeys = {
  hash(body: unknown): string {
    return crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  },
};

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A first request still unanswered after this long died with its process; a repeat may take it over. A
 * create gives up well before: 10 s to start the lifecycle, 30 s to collect the password.
 */
export const IDEMPOTENCY_ABANDONED_MS = 60 * 1000;
/** The owner of a claim whose request ended without an answer, so that a repeat takes it over at once. */
export const NO_OWNER = '';
/** The status of a key bound to a lifecycle Update: Temporal itself deduplicates the Update by its ID. */
export const BOUND_TO_UPDATE = -1;
