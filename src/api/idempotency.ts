import crypto from 'node:crypto';
import type { Db } from '../adapters/sqlite/database';

const TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A first request still unanswered after this long died with its process; a repeat may take it over. A
 * create gives up well before: 10 s to start the lifecycle, 30 s to collect the password.
 */
const ABANDONED_MS = 60 * 1000;
/** The owner of a claim whose request ended without an answer, so that a repeat takes it over at once. */
const NO_OWNER = '';
/** The status of a key bound to a lifecycle Update: Temporal itself deduplicates the Update by its ID. */
const UPDATE = -1;

export type Claim =
  /** This request owns the key; `account` is set when a request that died had already reserved one. */
  | { state: 'new'; claimId: string; account?: unknown }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

interface Row {
  request_hash: string;
  claim_id: string;
  status: number | null;
  body: string | null;
  created_at: number;
}

/**
 * Idempotency-Key, kept 24 hours per caller. For POST /v1/accounts the first request with a key is
 * remembered with its answer, so a repeat (same caller, same key, same body) gets that answer instead of a
 * second account; the account is noted as soon as it is reserved, so a repeat after a crash finds it rather
 * than making another. For a change to an account, the key becomes the Temporal Update ID, and Temporal
 * deduplicates; here it is only bound to its request, so that reusing it for another is refused. Nothing
 * secret is stored: the temporary password is never written here.
 */
export class IdempotencyKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS api_idempotency_keys (
        principal_id TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        claim_id TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (principal_id, key)
      );
      CREATE INDEX IF NOT EXISTS api_idempotency_keys_age ON api_idempotency_keys (created_at);
    `);
  }

  static hash(body: unknown): string {
    return crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }

  claim(principalId: string, key: string, requestHash: string): Claim {
    const now = this.clock();
    return this.db
      .transaction((): Claim => {
        this.db.prepare('DELETE FROM api_idempotency_keys WHERE created_at < ?').run(now - TTL_MS);
        const row = this.db
          .prepare('SELECT * FROM api_idempotency_keys WHERE principal_id = ? AND key = ?')
          .get(principalId, key) as Row | undefined;
        const claimId = crypto.randomUUID();
        if (!row) {
          this.db
            .prepare(
              `INSERT INTO api_idempotency_keys (principal_id, key, request_hash, claim_id, created_at)
               VALUES (?, ?, ?, ?, ?)`,
            )
            .run(principalId, key, requestHash, claimId, now);
          return { state: 'new', claimId };
        }
        if (row.request_hash !== requestHash) return { state: 'mismatch' };
        if (row.status !== null) return { state: 'replay', status: row.status, body: JSON.parse(row.body!) };
        if (row.claim_id !== NO_OWNER && row.created_at >= now - ABANDONED_MS)
          return { state: 'in-progress' };
        this.db
          .prepare(
            'UPDATE api_idempotency_keys SET claim_id = ?, created_at = ? WHERE principal_id = ? AND key = ?',
          )
          .run(claimId, now, principalId, key);
        return row.body === null
          ? { state: 'new', claimId }
          : { state: 'new', claimId, account: JSON.parse(row.body) };
      })
      .immediate();
  }

  /** Notes the account reserved for the request holding the claim. */
  reserved(principalId: string, key: string, claimId: string, account: unknown): void {
    this.db
      .prepare('UPDATE api_idempotency_keys SET body = ? WHERE principal_id = ? AND key = ? AND claim_id = ?')
      .run(JSON.stringify(account), principalId, key, claimId);
  }

  /**
   * Binds a key to one lifecycle Update (same caller, same request), whose Temporal Update ID it becomes:
   * 'mismatch' when the caller used the key for a different request within 24 hours.
   */
  bindUpdate(principalId: string, key: string, requestHash: string): 'bound' | 'mismatch' {
    const now = this.clock();
    return this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM api_idempotency_keys WHERE created_at < ?').run(now - TTL_MS);
        this.db
          .prepare(
            `INSERT INTO api_idempotency_keys (principal_id, key, request_hash, claim_id, status, created_at)
             VALUES (?, ?, ?, '', ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(principalId, key, requestHash, UPDATE, now);
        const row = this.db
          .prepare('SELECT request_hash FROM api_idempotency_keys WHERE principal_id = ? AND key = ?')
          .get(principalId, key) as { request_hash: string };
        return row.request_hash === requestHash ? 'bound' : 'mismatch';
      })
      .immediate();
  }

  complete(principalId: string, key: string, claimId: string, status: number, body: unknown): void {
    this.db
      .prepare(
        'UPDATE api_idempotency_keys SET status = ?, body = ? WHERE principal_id = ? AND key = ? AND claim_id = ?',
      )
      .run(status, JSON.stringify(body), principalId, key, claimId);
  }

  /**
   * The request holding the claim ended without an answer: its key is forgotten if it reserved nothing, so
   * the caller can try again with it; otherwise a repeat takes the reserved account over at once.
   */
  release(principalId: string, key: string, claimId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM api_idempotency_keys
           WHERE principal_id = ? AND key = ? AND claim_id = ? AND status IS NULL AND body IS NULL`,
        )
        .run(principalId, key, claimId);
      this.db
        .prepare(
          `UPDATE api_idempotency_keys SET claim_id = ?
           WHERE principal_id = ? AND key = ? AND claim_id = ? AND status IS NULL`,
        )
        .run(NO_OWNER, principalId, key, claimId);
    })();
  }
}
