import crypto from 'node:crypto';
import type { Db } from '../adapters/sqlite/database';

const TTL_MS = 24 * 60 * 60 * 1000;
/** A first request still unanswered after this long died with its process; a repeat may take it over. */
const ABANDONED_MS = 2 * 60 * 1000;

export type Claim =
  | { state: 'new' }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'in-progress' }
  | { state: 'mismatch' };

/**
 * Idempotency-Key for POST /v1/accounts: the first request with a key is remembered for 24 hours with
 * its answer, so a repeat (same caller, same key, same body) gets that answer instead of a second account.
 * Answers are stored without secrets: the temporary password is never written here.
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
        status INTEGER,
        body TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (principal_id, key)
      )
    `);
  }

  static hash(body: unknown): string {
    return crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }

  claim(principalId: string, key: string, requestHash: string): Claim {
    return this.db
      .transaction((): Claim => {
        this.db.prepare('DELETE FROM api_idempotency_keys WHERE created_at < ?').run(this.clock() - TTL_MS);
        const row = this.db
          .prepare(
            'SELECT request_hash, status, body FROM api_idempotency_keys WHERE principal_id = ? AND key = ?',
          )
          .get(principalId, key) as
          { request_hash: string; status: number | null; body: string | null } | undefined;
        if (!row) {
          this.db
            .prepare(
              'INSERT INTO api_idempotency_keys (principal_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)',
            )
            .run(principalId, key, requestHash, this.clock());
          return { state: 'new' };
        }
        if (row.request_hash !== requestHash) return { state: 'mismatch' };
        if (row.status === null) {
          const takenOver = this.db
            .prepare(
              'UPDATE api_idempotency_keys SET created_at = ? WHERE principal_id = ? AND key = ? AND created_at < ?',
            )
            .run(this.clock(), principalId, key, this.clock() - ABANDONED_MS).changes;
          return takenOver ? { state: 'new' } : { state: 'in-progress' };
        }
        return { state: 'replay', status: row.status, body: JSON.parse(row.body!) };
      })
      .immediate();
  }

  complete(principalId: string, key: string, status: number, body: unknown): void {
    this.db
      .prepare('UPDATE api_idempotency_keys SET status = ?, body = ? WHERE principal_id = ? AND key = ?')
      .run(status, JSON.stringify(body), principalId, key);
  }

  /** Forgets a key whose request did not succeed, so the caller can try again with it. */
  release(principalId: string, key: string): void {
    this.db
      .prepare('DELETE FROM api_idempotency_keys WHERE principal_id = ? AND key = ? AND status IS NULL')
      .run(principalId, key);
  }
}
