import crypto from 'node:crypto';
import {
  BOUND_TO_UPDATE,
  IDEMPOTENCY_TTL_MS,
  NO_OWNER,
  type Claim,
  type IdempotencyKeys,
} from '../../ports/idempotency-keys';
import { claimOnHeldKey } from '../idempotency-claims';
import { inTransaction, type Pool, type PoolClient } from './database';

interface Row {
  request_hash: string;
  claim_id: string;
  status: number | null;
  body: string | null;
  created_at: number;
}

/**
 * Idempotency-Key claims in PostgreSQL, shared by every API process: a key is claimed by inserting it (the
 * primary key lets one request in; another waits for it to commit and then reads it, locked, to decide).
 */
export class PostgresIdempotencyKeys implements IdempotencyKeys {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  async claim(principalId: string, key: string, requestHash: string): Promise<Claim> {
    const now = this.clock();
    const claimId = crypto.randomUUID();
    return inTransaction(this.pool, async (db): Promise<Claim> => {
      await forgetExpired(db, principalId, key, now);
      const inserted = await db.query(
        `INSERT INTO api_idempotency_keys (principal_id, key, request_hash, claim_id, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [principalId, key, requestHash, claimId, now],
      );
      if (inserted.rowCount === 1) return { state: 'new', claimId };
      const { rows } = await db.query<Row>(
        'SELECT * FROM api_idempotency_keys WHERE principal_id = $1 AND key = $2 FOR UPDATE',
        [principalId, key],
      );
      const row = rows[0]!;
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
        await db.query(
          'UPDATE api_idempotency_keys SET claim_id = $1, created_at = $2 WHERE principal_id = $3 AND key = $4',
          [claimId, now, principalId, key],
        );
      }
      return claim;
    });
  }

  async reserved(principalId: string, key: string, claimId: string, account: unknown): Promise<void> {
    await this.pool.query(
      'UPDATE api_idempotency_keys SET body = $1 WHERE principal_id = $2 AND key = $3 AND claim_id = $4',
      [JSON.stringify(account), principalId, key, claimId],
    );
  }

  async bindUpdate(principalId: string, key: string, requestHash: string): Promise<'bound' | 'mismatch'> {
    const now = this.clock();
    return inTransaction(this.pool, async (db) => {
      await forgetExpired(db, principalId, key, now);
      await db.query(
        `INSERT INTO api_idempotency_keys (principal_id, key, request_hash, claim_id, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [principalId, key, requestHash, NO_OWNER, BOUND_TO_UPDATE, now],
      );
      const { rows } = await db.query<{ request_hash: string }>(
        'SELECT request_hash FROM api_idempotency_keys WHERE principal_id = $1 AND key = $2',
        [principalId, key],
      );
      return rows[0]!.request_hash === requestHash ? 'bound' : 'mismatch';
    });
  }

  async complete(
    principalId: string,
    key: string,
    claimId: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE api_idempotency_keys SET status = $1, body = $2
       WHERE principal_id = $3 AND key = $4 AND claim_id = $5`,
      [status, JSON.stringify(body), principalId, key, claimId],
    );
  }

  async release(principalId: string, key: string, claimId: string): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `DELETE FROM api_idempotency_keys
         WHERE principal_id = $1 AND key = $2 AND claim_id = $3 AND status IS NULL AND body IS NULL`,
        [principalId, key, claimId],
      );
      await db.query(
        `UPDATE api_idempotency_keys SET claim_id = $1
         WHERE principal_id = $2 AND key = $3 AND claim_id = $4 AND status IS NULL`,
        [NO_OWNER, principalId, key, claimId],
      );
    });
  }
}

/**
 * Keys older than 24 hours are forgotten: this one at once (so it can be claimed afresh), the others a
 * few at a time, so that no request waits for a large sweep or on rows another request is sweeping.
 */
async function forgetExpired(db: PoolClient, principalId: string, key: string, now: number): Promise<void> {
  const before = now - IDEMPOTENCY_TTL_MS;
  await db.query(
    'DELETE FROM api_idempotency_keys WHERE principal_id = $1 AND key = $2 AND created_at < $3',
    [principalId, key, before],
  );
  await db.query(
    `DELETE FROM api_idempotency_keys WHERE ctid IN (
       SELECT ctid FROM api_idempotency_keys WHERE created_at < $1 LIMIT 100 FOR UPDATE SKIP LOCKED)`,
    [before],
  );
}
