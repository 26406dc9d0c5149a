import crypto from 'node:crypto';
import {
  BOUND_TO_UPDATE,
  IDEMPOTENCY_TTL_MS,
  NO_OWNER,
  type Claim,
  type IdempotencyKeys,
} from '../../ports/idempotency-keys';
import { claimOnHeldKey } from '../idempotency-claims';
import type { Db } from './database';

interface Row {
  request_hash: string;
  claim_id: string;
  status: number | null;
  body: string | null;
  created_at: number;
}

/** Idempotency-Key claims in the embedded database, shared by the processes on its host. */
export class SqliteIdempotencyKeys implements IdempotencyKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  async claim(principalId: string, key: string, requestHash: string): Promise<Claim> {
    const now = this.clock();
    return this.db
      .transaction((): Claim => {
        this.forgetExpired(now);
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
        const { claim, takeOver } = claimOnHeldKey(
          {
            requestHash: row.request_hash,
            claimId: row.claim_id,
            status: row.status,
            body: row.body,
            createdAt: row.created_at,
          },
          requestHash,
          now,
          claimId,
        );
        if (takeOver) {
          this.db
            .prepare(
              'UPDATE api_idempotency_keys SET claim_id = ?, created_at = ? WHERE principal_id = ? AND key = ?',
            )
            .run(claimId, now, principalId, key);
        }
        return claim;
      })
      .immediate();
  }

  async reserved(principalId: string, key: string, claimId: string, account: unknown): Promise<void> {
    this.db
      .prepare('UPDATE api_idempotency_keys SET body = ? WHERE principal_id = ? AND key = ? AND claim_id = ?')
      .run(JSON.stringify(account), principalId, key, claimId);
  }

  async bindUpdate(principalId: string, key: string, requestHash: string): Promise<'bound' | 'mismatch'> {
    const now = this.clock();
    return this.db
      .transaction(() => {
        this.forgetExpired(now);
        this.db
          .prepare(
            `INSERT INTO api_idempotency_keys (principal_id, key, request_hash, claim_id, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          )
          .run(principalId, key, requestHash, NO_OWNER, BOUND_TO_UPDATE, now);
        const row = this.db
          .prepare('SELECT request_hash FROM api_idempotency_keys WHERE principal_id = ? AND key = ?')
          .get(principalId, key) as { request_hash: string };
        return row.request_hash === requestHash ? ('bound' as const) : ('mismatch' as const);
      })
      .immediate();
  }

  async complete(
    principalId: string,
    key: string,
    claimId: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    this.db
      .prepare(
        'UPDATE api_idempotency_keys SET status = ?, body = ? WHERE principal_id = ? AND key = ? AND claim_id = ?',
      )
      .run(status, JSON.stringify(body), principalId, key, claimId);
  }

  async release(principalId: string, key: string, claimId: string): Promise<void> {
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

  private forgetExpired(now: number): void {
    this.db.prepare('DELETE FROM api_idempotency_keys WHERE created_at < ?').run(now - IDEMPOTENCY_TTL_MS);
  }
}
