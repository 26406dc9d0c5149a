import assert from 'node:assert/strict';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

for (const backend of STORE_BACKENDS) {
  describe(`Incidents contract: ${backend.name}`, () => {
    let now: number;
    let stores: TestStores;
    beforeEach(async function () {
      now = Date.parse('2026-03-01T09:00:00Z');
      stores = await backend.open(this, { clock: () => new Date(now) });
    });
    afterEach(() => stores?.close());

    it('R16, R20: raise an incident once per key, however often it is raised', async () => {
      const incident = {
        key: 'overdue:a@nhs.net',
        accountId: 'a@nhs.net',
        kind: 'ProvisioningOverdue' as const,
        summary: 'Mailbox overdue',
      };
      const ids = await Promise.all([1, 2, 3].map(() => stores.incidents.raise(incident)));
      assert.equal(new Set(ids).size, 1);
      assert.match(ids[0]!, /^INC-[0-9A-F]{8}$/);
      const [listed, ...more] = await stores.incidents.list('a@nhs.net');
      assert.equal(more.length, 0);
      assert.deepEqual(listed, {
        ...incident,
        id: ids[0],
        status: 'Open',
        notes: [],
        raisedAt: new Date(now).toISOString(),
      });
    });

    it('add each note once, in order, and set the status', async () => {
      const id = await stores.incidents.raise({
        key: 'sync:b@nhs.net',
        accountId: 'b@nhs.net',
        kind: 'SyncOverdue',
        summary: 'Sync overdue',
      });
      await stores.incidents.update(id, { noteKey: 'n1', note: 'first', status: 'Open' });
      await stores.incidents.update(id, { noteKey: 'n2', note: 'second', status: 'Open' });
      await stores.incidents.update(id, { noteKey: 'n1', note: 'first again', status: 'Open' });
      await stores.incidents.update(id, { noteKey: 'n3', note: 'resolved', status: 'Resolved' });
      const [incident] = await stores.incidents.list('b@nhs.net');
      assert.deepEqual(incident?.notes, ['first', 'second', 'resolved']);
      assert.equal(incident?.status, 'Resolved');
    });

    it("list an account's incidents oldest first, and only its own", async () => {
      for (const [i, kind] of (
        ['ProvisioningOverdue', 'SyncOverdue', 'ResecureOverdue'] as const
      ).entries()) {
        now += 60_000;
        await stores.incidents.raise({ key: `k${i}`, accountId: 'c@nhs.net', kind, summary: kind });
      }
      await stores.incidents.raise({
        key: 'other',
        accountId: 'd@nhs.net',
        kind: 'SyncOverdue',
        summary: 'x',
      });
      assert.deepEqual(
        (await stores.incidents.list('c@nhs.net')).map((i) => i.kind),
        ['ProvisioningOverdue', 'SyncOverdue', 'ResecureOverdue'],
      );
      assert.deepEqual(await stores.incidents.list('nobody@nhs.net'), []);
    });
  });
}
