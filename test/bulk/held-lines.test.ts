import assert from 'node:assert/strict';
import type { createBulkActivities } from '../../src/activities/bulk';
import { bulkKeyScope } from '../../src/activities/bulk-line';
import { startUpload, uploadProgress } from '../../src/operations/bulk-uploads';
import { checkCreateRequest } from '../../src/operations/create-account';
import { IdempotencyKeys } from '../../src/ports/idempotency-keys';
import { testEnv } from '../helpers/global-setup';
import { sqliteBackend } from '../helpers/store-backends';
import { bulkHarness, devPrincipals } from './bulk-harness';
import { csv, line } from './bulk-helpers';

type BulkActivities = ReturnType<typeof createBulkActivities>;

const until = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting until ${what}`);
};

describe('R31: a line held by an attempt that died waits aside while the upload goes on', () => {
  it('R31: a line whose idempotency key a dead attempt holds is tried again later; the lines after it are created meanwhile, and it is created once', async function () {
    const stores = await sqliteBackend.open(this);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const h = await bulkHarness(stores, {
      linesAtOnce: 2,
      activityWrapper: <T>(activities: T): T => {
        const a = activities as T & BulkActivities;
        const create = a.createBulkLane.bind(a);
        return {
          ...a,
          createBulkLane: async (uploadId: string, lines: number[]) => {
            await opened;
            return create(uploadId, lines);
          },
        } as T;
      },
    });
    const uploader = devPrincipals().byId('alex.admin@nhs.net')!;
    try {
      await h.run(async () => {
        const people = Array.from({ length: 6 }, () => line());
        const { uploadId } = await startUpload(h.deps, uploader, 'RJ1', Buffer.from(csv(people)));
        // Line 3 (the file's second person) as a worker that died mid-create left it: its key claimed.
        const held = (await stores.bulkUploads.row(uploadId, 3))!;
        const hash = IdempotencyKeys.hash(checkCreateRequest(uploader, held.body));
        const claim = await stores.idempotency.claim(bulkKeyScope('RJ1'), held.rowKey!, hash);
        assert.equal(claim.state, 'new');
        open();

        await until(
          async () => (await stores.bulkUploads.counts(uploadId)).created === 5,
          'the five other lines are created',
        );
        assert.equal((await stores.bulkUploads.row(uploadId, 3))!.state, 'pending', 'line 3 waits aside');
        assert.equal((await uploadProgress(h.deps, uploader, uploadId)).status, 'Running');

        // The dead attempt's claim runs out (a minute after it was made), and the wait for line 3 passes.
        if (claim.state === 'new')
          await stores.idempotency.release(bulkKeyScope('RJ1'), held.rowKey!, claim.claimId);
        await testEnv().sleep(20_000);
        await until(
          async () => (await uploadProgress(h.deps, uploader, uploadId)).status !== 'Running',
          'the upload finishes',
        );
        const done = await uploadProgress(h.deps, uploader, uploadId);
        assert.deepEqual(
          { status: done.status, created: done.created, failed: done.failed },
          {
            status: 'Completed',
            created: 6,
            failed: 0,
          },
        );
        const accounts = (await stores.directory.search({ q: people[1]!.LastName, limit: 10 })).entries;
        assert.equal(accounts.length, 1, 'line 3’s person has one account');
        assert.ok((await stores.bulkUploads.passwords(uploadId)).get(3), 'and line 3 its password');
      });
    } finally {
      await stores.close();
    }
  });
});
