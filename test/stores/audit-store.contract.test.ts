import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SqlAuditStore } from '../../src/adapters/sql/audit-store';
import { AuditSealer } from '../../src/crypto/audit-sealer';
import type { Actor } from '../../src/domain/account';
import type { AuditRecord } from '../../src/ports/audit-store';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

const ALEX: Actor = { kind: 'local-admin', id: 'alex.admin@nhs.net', name: 'Alex Admin' };
const SAM: Actor = { kind: 'local-admin', id: 'sam.admin@nhs.net', name: 'Sam Admin' };
const SYSTEM: Actor = { kind: 'system', id: 'lifecycle', name: 'Account lifecycle engine' };

/** An entry of `accountId`'s trail at `seq`, recorded `minutes` after 09:00 on 1 March 2026. */
function entry(
  accountId: string,
  seq: number,
  minutes: number,
  extra: Partial<AuditRecord> = {},
): AuditRecord {
  return {
    accountId,
    seq,
    at: new Date(Date.parse('2026-03-01T09:00:00.000Z') + minutes * 60_000).toISOString(),
    organisation: 'RJ1',
    actor: SYSTEM,
    action: `step ${seq}`,
    ...extra,
  };
}

for (const backend of STORE_BACKENDS) {
  describe(`Audit store contract: ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async function () {
      stores = await backend.open(this);
    });
    afterEach(() => stores?.close());

    it("R2: each entry is written once, whatever the retries, and an account's trail reads back oldest first, as written", async () => {
      const trail = [
        entry('a@nhs.net', 0, 0, { actor: ALEX, action: 'Account created', detail: 'a@nhs.net in RJ1' }),
        entry('a@nhs.net', 1, 5, {
          actor: ALEX,
          action: 'Attributes edited',
          changes: { jobTitle: { from: 'Nurse', to: 'Ward Manager' }, site: { from: null, to: 'RJ121' } },
        }),
        entry('a@nhs.net', 2, 9),
      ];
      await Promise.all([
        stores.audit.append(trail.slice(0, 2)),
        stores.audit.append(trail),
        stores.audit.append(trail.slice(1)),
      ]);
      // A retry that carries other words for a seq already written changes nothing.
      await stores.audit.append([{ ...trail[1]!, action: 'rewritten' }]);
      await stores.audit.append([entry('b@nhs.net', 0, 1)]);
      assert.deepEqual(await stores.audit.history('a@nhs.net'), trail);
      assert.deepEqual(await stores.audit.history('nobody@nhs.net'), []);
    });

    it('R2: an entry is never changed: the database refuses an update', async () => {
      await stores.audit.append([entry('a@nhs.net', 0, 0)]);
      await assert.rejects(
        sql`UPDATE audit_entries SET organisation_code = 'RRV'`.execute(stores.database.db),
        /audit entries are never changed \(R2\)/,
      );
      assert.equal((await stores.audit.history('a@nhs.net'))[0]!.organisation, 'RJ1');
    });

    it('R2, R7: no phone number, note or action is held in plain text; the seal is bound to its entry', async () => {
      const mobile = '+447400123456';
      await stores.audit.append([
        entry('a@nhs.net', 0, 0, {
          action: 'Mobile number updated by the user',
          changes: { mobile: { from: '+447400999888', to: mobile }, notes: { from: '', to: 'Night shifts' } },
        }),
      ]);
      const rows = await sql<Record<string, unknown>>`SELECT * FROM audit_entries`.execute(
        stores.database.db,
      );
      const raw = JSON.stringify(rows.rows);
      for (const secret of [mobile, '7400123456', '999888', 'Night shifts', 'Mobile number']) {
        assert.equal(raw.includes(secret), false, `${secret} in plain text`);
      }
      assert.ok(raw.includes('a@nhs.net') && raw.includes('lifecycle'), 'what searches filter on is plain');
      // A sealed entry moved to another account's place is refused, not read as that account's.
      await sql`INSERT INTO audit_entries (account_id, seq, at, organisation_code, actor_kind, actor_id, sealed)
        SELECT 'b@nhs.net', seq, at, organisation_code, actor_kind, actor_id, sealed FROM audit_entries`.execute(
        stores.database.db,
      );
      await assert.rejects(stores.audit.history('b@nhs.net'));
    });

    it('R2: an entry sealed under a key no longer configured reads as such, the others as written', async () => {
      const other = new SqlAuditStore(
        stores.database,
        new AuditSealer({
          activeKeyId: 'retired',
          keys: new Map([['retired', Buffer.alloc(32, 7)]]),
        }),
      );
      await other.append([entry('a@nhs.net', 0, 0, { actor: ALEX })]);
      await stores.audit.append([entry('a@nhs.net', 1, 1)]);
      const [old, current] = await stores.audit.history('a@nhs.net');
      assert.equal(old!.actor.id, ALEX.id);
      assert.match(
        old!.action,
        /not readable: sealed under key "retired", which ENCRYPTION_KEYS no longer lists/,
      );
      assert.equal(current!.action, 'step 1');
    });

    it('R2, R1: searched by organisations, actor, account and time, newest first, in pages that neither miss nor repeat', async () => {
      const records: AuditRecord[] = [];
      for (let i = 0; i < 30; i++) {
        records.push(
          entry(`p${i % 3}@nhs.net`, Math.floor(i / 3), Math.floor(i / 2), {
            organisation: i % 3 === 2 ? 'RRV' : 'RJ1',
            actor: i % 5 === 0 ? ALEX : i % 5 === 1 ? SAM : SYSTEM,
          }),
        );
      }
      await stores.audit.append(records);
      const key = (r: AuditRecord) => `${r.accountId}#${r.seq}`;
      const newestFirst = (rs: AuditRecord[]) =>
        [...rs]
          .sort((a, b) => b.at.localeCompare(a.at) || b.accountId.localeCompare(a.accountId) || b.seq - a.seq)
          .map(key);

      const pages: AuditRecord[][] = [];
      let after: AuditRecord | undefined;
      do {
        const page = await stores.audit.search({ organisations: ['RJ1'], limit: 7, after });
        pages.push(page.records);
        after = page.more ? page.records[page.records.length - 1] : undefined;
      } while (after);
      assert.deepEqual(
        pages.map((p) => p.length),
        [7, 7, 6],
      );
      assert.deepEqual(pages.flat().map(key), newestFirst(records.filter((r) => r.organisation === 'RJ1')));

      const alex = await stores.audit.search({ actor: ALEX.id, limit: 100 });
      assert.deepEqual(alex.records.map(key), newestFirst(records.filter((r) => r.actor.id === ALEX.id)));
      assert.equal(alex.records[0]!.actor.name, 'Alex Admin');

      const from = '2026-03-01T09:03:00.000Z';
      const to = '2026-03-01T09:06:00.000Z';
      const window = await stores.audit.search({ organisation: 'RRV', from, to, limit: 100 });
      assert.deepEqual(
        window.records.map(key),
        newestFirst(records.filter((r) => r.organisation === 'RRV' && r.at >= from && r.at < to)),
      );
      assert.ok(window.records.length > 0);
      const one = await stores.audit.search({ accountId: 'p1@nhs.net', limit: 100 });
      assert.equal(one.records.length, 10);
      assert.deepEqual(await stores.audit.search({ organisations: [], limit: 10 }), {
        records: [],
        more: false,
      });
    });

    it('R2: the retention purge deletes only the entries recorded before its time, however many', async () => {
      const old = Array.from({ length: 5200 }, (_, i) =>
        entry(`old${i % 50}@nhs.net`, Math.floor(i / 50), -60 * 24 * 365 * 9),
      );
      await stores.audit.append([...old, entry('new@nhs.net', 0, 0)]);
      assert.equal(await stores.audit.purge(new Date('2018-01-01T00:00:00Z')), 5200);
      assert.deepEqual(await stores.audit.history('old7@nhs.net'), []);
      assert.equal((await stores.audit.history('new@nhs.net')).length, 1);
      assert.equal(await stores.audit.purge(new Date('2018-01-01T00:00:00Z')), 0);
    });
  });
}
