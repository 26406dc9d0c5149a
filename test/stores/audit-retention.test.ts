import assert from 'node:assert/strict';
import { createLogger } from '../../src/logger';
import { SqlAuditStore } from '../../src/adapters/sql/audit-store';
import { openSqlite } from '../../src/adapters/sql/sqlite';
import { AuditSealer } from '../../src/crypto/audit-sealer';
import { SYSTEM } from '../../src/domain/account';
import { purgeAuditTrailEvery } from '../../src/operations/purge-audit-trail';
import { testKeyRing } from '../helpers/test-keys';

const DAY = 24 * 60 * 60 * 1000;

describe('Audit trail retention (R2)', () => {
  it('R2: the purge deletes the entries older than AUDIT_KEPT_FOR when the process starts, and keeps the rest', async () => {
    const db = await openSqlite(':memory:');
    try {
      const audit = new SqlAuditStore(db, new AuditSealer(testKeyRing));
      const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
      const entry = (seq: number, daysAgo: number) => ({
        accountId: 'a@nhs.net',
        seq,
        at: at(daysAgo),
        organisation: 'RJ1',
        actor: SYSTEM,
        action: `step ${seq}`,
      });
      const eightYears = 8 * 365.25 * DAY;
      await audit.append([entry(0, 8 * 365.25 + 1), entry(1, 8 * 365.25 - 1), entry(2, 0)]);
      const stop = purgeAuditTrailEvery(DAY, audit, eightYears, createLogger('silent'));
      try {
        for (let i = 0; i < 100 && (await audit.history('a@nhs.net')).length === 3; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.deepEqual(
          (await audit.history('a@nhs.net')).map((r) => r.seq),
          [1, 2],
          'the entry older than 8 years went; the one a day younger stayed',
        );
      } finally {
        await stop();
      }
    } finally {
      await db.close();
    }
  });
});
