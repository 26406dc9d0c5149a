import assert from 'node:assert/strict';
import { BULK_COLUMNS, type BulkColumn } from '../../src/bulk/bulk-file';
import type { BulkRowRecord, BulkUpload } from '../../src/ports/bulk-uploads';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

const UPLOADER: BulkUpload['uploadedBy'] = {
  kind: 'local-admin',
  id: 'admin-rj1',
  name: 'Alex Admin',
  orgs: ['RJ1'],
};

function upload(id: string, rows: number): BulkUpload {
  return {
    id,
    organisation: 'RJ1',
    uploadedBy: UPLOADER,
    rows,
    status: 'Running',
    createdAt: '2026-03-01T09:00:00.000Z',
    finishedAt: null,
  };
}

/** A file's line: valid (pending, with its create request) or invalid (its errors). */
function line(n: number, valid = true): BulkRowRecord {
  const fields = Object.fromEntries(BULK_COLUMNS.map((c) => [c, ''])) as Record<BulkColumn, string>;
  Object.assign(fields, { Title: 'Dr', FirstName: 'Line', LastName: `Number${n}`, Organisation: 'RJ1' });
  return valid
    ? {
        line: n,
        fields,
        // Keys out of alphabetical order, and a quote and a backslash: stored as written.
        body: {
          title: 'Dr',
          firstName: 'Line',
          lastName: `Number${n}`,
          notes: 'a "quote" and a \\',
          organisation: 'RJ1',
        },
        rowKey: `row-key-${n}`,
        errors: [],
        state: 'pending',
        result: null,
        accountId: null,
      }
    : {
        line: n,
        fields: { ...fields, Title: '' },
        body: null,
        rowKey: null,
        errors: [{ line: n, path: 'Title', message: 'Title is required' }],
        state: 'invalid',
        result: null,
        accountId: null,
      };
}

const created = (n: number, password?: string) => ({
  state: 'created' as const,
  result: `line.number${n}@nhs.net`,
  accountId: `line.number${n}@nhs.net`,
  ...(password ? { sealedPassword: password } : {}),
});

for (const backend of STORE_BACKENDS) {
  describe(`Bulk uploads contract: ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async function () {
      stores = await backend.open(this);
    });
    afterEach(() => stores?.close());

    it('R31: keeps an upload and its lines as written, lines in order, fields in the columns’ order', async () => {
      const rows = [line(4), line(2, false), line(3)];
      await stores.bulkUploads.create(upload('RJ1-a', 3), rows);
      assert.deepEqual(await stores.bulkUploads.get('RJ1-a'), upload('RJ1-a', 3));
      const stored = await stores.bulkUploads.rows('RJ1-a');
      assert.deepEqual(stored, [rows[1], rows[2], rows[0]]);
      assert.deepEqual(Object.keys(stored[0]!.fields), [...BULK_COLUMNS]);
      assert.equal(JSON.stringify(stored[1]!.body), JSON.stringify(rows[2]!.body), 'key order kept');
      assert.deepEqual(await stores.bulkUploads.row('RJ1-a', 2), rows[1]);
      assert.equal(await stores.bulkUploads.row('RJ1-a', 9), undefined);
      assert.equal(await stores.bulkUploads.get('RJ1-none'), undefined);
      assert.deepEqual(await stores.bulkUploads.rows('RJ1-none'), []);
    });

    it('R31: a file of 10,000 lines is stored at once and read back in order', async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) => line(i + 2, i % 7 !== 0));
      await stores.bulkUploads.create(upload('RJ1-big', rows.length), rows);
      const stored = await stores.bulkUploads.rows('RJ1-big');
      assert.equal(stored.length, 10_000);
      assert.deepEqual(stored[9_999], rows[9_999]);
      assert.deepEqual(await stores.bulkUploads.counts('RJ1-big'), {
        created: 0,
        failed: 0,
        invalid: Math.ceil(10_000 / 7),
        pending: 10_000 - Math.ceil(10_000 / 7),
      });
    });

    it('R31: the pending lines after a given line, in line order, at most the limit', async () => {
      await stores.bulkUploads.create(
        upload('RJ1-p', 7),
        [9, 2, 7, 3, 5, 8, 6].map((n) => line(n, n !== 6)),
      );
      await stores.bulkUploads.create(upload('RJ1-other', 2), [line(4), line(10)]);
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-p', 0, 100), [2, 3, 5, 7, 8, 9]);
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-p', 3, 2), [5, 7]);
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-p', 7, 100), [8, 9]);
      await stores.bulkUploads.recordResult('RJ1-p', 8, created(8));
      await stores.bulkUploads.recordResult('RJ1-p', 2, { state: 'failed', result: 'Duplicate account' });
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-p', 0, 100), [3, 5, 7, 9]);
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-p', 9, 100), []);
      assert.deepEqual(await stores.bulkUploads.pendingLines('RJ1-none', 0, 100), []);
    });

    it('R31: a line’s result is recorded once: a retried activity, or several at once, change nothing more', async () => {
      await stores.bulkUploads.create(upload('RJ1-r', 3), [line(2), line(3), line(4, false)]);
      await stores.bulkUploads.recordResult('RJ1-r', 2, created(2, 'sealed-2'));
      await stores.bulkUploads.recordResult('RJ1-r', 2, { state: 'failed', result: 'In progress' });
      await stores.bulkUploads.recordResult('RJ1-r', 2, created(2, 'sealed-2-again'));
      assert.deepEqual(await stores.bulkUploads.row('RJ1-r', 2), {
        ...line(2),
        state: 'created',
        result: 'line.number2@nhs.net',
        accountId: 'line.number2@nhs.net',
      });

      const outcomes = [1, 2, 3, 4, 5, 6].map((i) =>
        i % 2
          ? { ...created(3, `sealed-3-${i}`), result: `line.number3@nhs.net (attempt ${i})` }
          : { state: 'failed' as const, result: `refused ${i}` },
      );
      await Promise.all(outcomes.map((o) => stores.bulkUploads.recordResult('RJ1-r', 3, o)));
      const three = (await stores.bulkUploads.row('RJ1-r', 3))!;
      assert.notEqual(three.state, 'pending');
      const passwords = await stores.bulkUploads.passwords('RJ1-r');
      const winner = outcomes.find((o) => o.result === three.result);
      assert.ok(winner, `one of the outcomes: ${JSON.stringify(three)}`);
      assert.equal(
        passwords.get(3)?.sealed,
        'sealedPassword' in winner ? winner.sealedPassword : undefined,
        "the password of the result recorded, and no other's",
      );
      assert.deepEqual(passwords.get(2), { accountId: 'line.number2@nhs.net', sealed: 'sealed-2' });

      await stores.bulkUploads.recordResult('RJ1-r', 4, created(4, 'sealed-4'));
      assert.deepEqual(await stores.bulkUploads.row('RJ1-r', 4), line(4, false), 'an invalid line stays so');
      await stores.bulkUploads.recordResult('RJ1-r', 9, created(9));
      assert.equal(await stores.bulkUploads.row('RJ1-r', 9), undefined, 'no line made up');
    });

    it('Security 13, R13: the sealed passwords are kept, read by line as often as asked, until cleared; another upload’s untouched', async () => {
      await stores.bulkUploads.create(upload('RJ1-t', 4), [line(2), line(3), line(4), line(5)]);
      await stores.bulkUploads.create(upload('RJ1-u', 1), [line(2)]);
      await stores.bulkUploads.recordResult('RJ1-t', 4, created(4, 'sealed-4'));
      await stores.bulkUploads.recordResult('RJ1-t', 2, created(2, 'sealed-2'));
      // Created by an earlier upload of the line: no password to show.
      await stores.bulkUploads.recordResult('RJ1-t', 5, created(5));
      await stores.bulkUploads.recordResult('RJ1-u', 2, created(2, 'sealed-u-2'));

      const expected = [
        [2, { accountId: 'line.number2@nhs.net', sealed: 'sealed-2' }],
        [4, { accountId: 'line.number4@nhs.net', sealed: 'sealed-4' }],
      ];
      assert.deepEqual([...(await stores.bulkUploads.passwords('RJ1-t'))], expected, 'in line order');
      assert.deepEqual(
        [...(await stores.bulkUploads.passwords('RJ1-t'))],
        expected,
        'read again: still there',
      );
      assert.equal(await stores.bulkUploads.heldPasswords('RJ1-t'), 2);

      assert.equal(await stores.bulkUploads.clearPasswords('RJ1-t'), 2);
      assert.equal((await stores.bulkUploads.passwords('RJ1-t')).size, 0);
      assert.equal(await stores.bulkUploads.heldPasswords('RJ1-t'), 0);
      assert.equal(await stores.bulkUploads.clearPasswords('RJ1-t'), 0, 'a second clear finds none');
      assert.equal(
        (await stores.bulkUploads.row('RJ1-t', 2))!.result,
        'line.number2@nhs.net',
        'results kept',
      );
      assert.deepEqual(
        [...(await stores.bulkUploads.passwords('RJ1-u'))],
        [[2, { accountId: 'line.number2@nhs.net', sealed: 'sealed-u-2' }]],
        "another upload's passwords untouched",
      );
      assert.equal((await stores.bulkUploads.passwords('RJ1-none')).size, 0);
    });

    it('Security 13: the passwords of uploads finished before a time are purged; running and later ones kept', async () => {
      for (const id of ['RJ1-old', 'RJ1-new', 'RJ1-running']) {
        await stores.bulkUploads.create(upload(id, 1), [line(2)]);
        await stores.bulkUploads.recordResult(id, 2, created(2, `sealed-${id}`));
      }
      await stores.bulkUploads.finish('RJ1-old', 'Completed', '2026-03-01T09:00:00.000Z');
      await stores.bulkUploads.finish('RJ1-new', 'Cancelled', '2026-03-08T09:00:00.001Z');
      assert.equal(await stores.bulkUploads.purgePasswords('2026-03-08T09:00:00.000Z'), 1);
      assert.equal(await stores.bulkUploads.heldPasswords('RJ1-old'), 0);
      assert.equal(await stores.bulkUploads.heldPasswords('RJ1-new'), 1);
      assert.equal(await stores.bulkUploads.heldPasswords('RJ1-running'), 1);
      assert.equal(await stores.bulkUploads.purgePasswords('2026-03-08T09:00:00.000Z'), 0, 'once');
      assert.equal((await stores.bulkUploads.row('RJ1-old', 2))!.state, 'created', 'the result stays');
    });

    it('Security 14: the lines still pending fail with the reason, once; done and invalid lines are kept', async () => {
      await stores.bulkUploads.create(upload('RJ1-s', 5), [
        line(2),
        line(3),
        line(4),
        line(5, false),
        line(6),
      ]);
      await stores.bulkUploads.create(upload('RJ1-s2', 1), [line(2)]);
      await stores.bulkUploads.recordResult('RJ1-s', 2, created(2));
      await stores.bulkUploads.recordResult('RJ1-s', 3, { state: 'failed', result: 'Duplicate account' });
      assert.equal(await stores.bulkUploads.failPending('RJ1-s', 'The uploader left'), 2);
      assert.deepEqual(
        (await stores.bulkUploads.rows('RJ1-s')).map((r) => [r.line, r.state, r.result]),
        [
          [2, 'created', 'line.number2@nhs.net'],
          [3, 'failed', 'Duplicate account'],
          [4, 'failed', 'The uploader left'],
          [5, 'invalid', null],
          [6, 'failed', 'The uploader left'],
        ],
      );
      assert.equal(await stores.bulkUploads.failPending('RJ1-s', 'again'), 0, 'nothing left pending');
      assert.deepEqual(
        await stores.bulkUploads.pendingLines('RJ1-s2', 0, 10),
        [2],
        "another upload's untouched",
      );
    });

    it('R31: counts by state, and an upload finished once', async () => {
      await stores.bulkUploads.create(upload('RJ1-c', 5), [
        line(2),
        line(3),
        line(4),
        line(5, false),
        line(6),
      ]);
      assert.deepEqual(await stores.bulkUploads.counts('RJ1-c'), {
        created: 0,
        failed: 0,
        invalid: 1,
        pending: 4,
      });
      await stores.bulkUploads.recordResult('RJ1-c', 2, created(2));
      await stores.bulkUploads.recordResult('RJ1-c', 3, created(3));
      await stores.bulkUploads.recordResult('RJ1-c', 4, { state: 'failed', result: 'Duplicate account' });
      assert.deepEqual(await stores.bulkUploads.counts('RJ1-c'), {
        created: 2,
        failed: 1,
        invalid: 1,
        pending: 1,
      });
      assert.deepEqual(await stores.bulkUploads.counts('RJ1-none'), {
        created: 0,
        failed: 0,
        invalid: 0,
        pending: 0,
      });

      await stores.bulkUploads.finish('RJ1-c', 'Cancelled', '2026-03-01T09:05:00.000Z');
      await stores.bulkUploads.finish('RJ1-c', 'Completed', '2026-03-01T09:10:00.000Z');
      assert.deepEqual(await stores.bulkUploads.get('RJ1-c'), {
        ...upload('RJ1-c', 5),
        status: 'Cancelled',
        finishedAt: '2026-03-01T09:05:00.000Z',
      });
    });
  });
}
