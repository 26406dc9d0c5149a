import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import {
  confirmPasswordsSaved,
  purgeExpiredPasswords,
  startUpload,
  uploadProgress,
  uploadResults,
} from '../../src/operations/bulk-uploads';
import { DEFAULT_BULK_SETTINGS } from '../../src/bulk/bulk-settings';
import type { BulkUploads } from '../../src/ports/bulk-uploads';
import type { IdempotencyKeys } from '../../src/ports/idempotency-keys';
import { TOKENS, apiHarness, bearer, type ApiHarness } from '../helpers/api-harness';
import { sqliteBackend, type TestStores } from '../helpers/store-backends';
import { bulkHarness, devPrincipals, type BulkHarness } from './bulk-harness';
import { csv, finished, line, upload } from './bulk-helpers';

type Results = ({ Result: string; TemporaryPassword?: string } & Record<string, string>)[];

const resultsOf = async (h: ApiHarness, id: string, token = TOKENS.gstt) => {
  const res = await h.api.get(`/v1/bulk-uploads/${id}/results.csv`).set(bearer(token));
  assert.equal(res.status, 200);
  return parse(res.text, { columns: true }) as Results;
};

const gstt = () => devPrincipals().byId('alex.admin@nhs.net')!;

async function untilFinished(h: BulkHarness, id: string) {
  for (let i = 0; i < 600; i++) {
    const progress = await uploadProgress(h.deps, gstt(), id);
    if (progress.status !== 'Running') return progress;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`upload ${id} did not finish`);
}

/** `target` with one method failing once per key (a lost connection: another try may succeed). */
function failingOnce<T extends object>(
  target: T,
  method: keyof T,
  keyOf: (args: unknown[]) => string | null,
) {
  const failed = new Set<string>();
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== method) return value.bind(t);
      return async (...args: unknown[]) => {
        const key = keyOf(args);
        if (key !== null && !failed.has(key)) {
          failed.add(key);
          // Done, then the answer lost: the write stands, as after a crash before the caller heard of it.
          if (String(method) === 'complete')
            await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          throw new Error('Connection terminated unexpectedly (injected)');
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
      };
    },
  });
}

describe('Security 13: one-time passwords of a bulk upload are kept until the uploader confirms them saved', () => {
  it('Security 13, R13: every download by the uploader carries the passwords until they confirm; then none; nobody else may confirm, nor while it runs', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await upload(h, csv([line(), line({ Title: '' }), line()]), 'create');
      assert.equal(res.status, 202);
      const id = res.body.id as string;
      const early = await h.api.post(`/v1/bulk-uploads/${id}/passwords/confirm`).set(bearer(TOKENS.gstt));
      assert.ok([409, 200].includes(early.status), JSON.stringify(early.body));
      if (early.status === 409) assert.match(early.body.detail, /still running/);
      await finished(h, id);

      for (const download of [1, 2, 3]) {
        const results = await resultsOf(h, id);
        for (const r of [results[0]!, results[2]!]) {
          assert.ok(r.TemporaryPassword, `download ${download}: the password is there`);
          assert.ok((await h.platform.inspect(r.Result)).passwordMatches(r.TemporaryPassword!));
        }
      }
      const national = await h.api
        .post(`/v1/bulk-uploads/${id}/passwords/confirm`)
        .set(bearer(TOKENS.national));
      assert.equal(national.status, 403, 'only the uploader holds the passwords');
      assert.match(national.body.detail, /Only Alex Admin .* who uploaded the file/);
      const other = await h.api
        .post(`/v1/bulk-uploads/${id}/passwords/confirm`)
        .set(bearer(TOKENS.uclhManchester));
      assert.equal(other.status, 403);
      assert.ok((await resultsOf(h, id))[0]!.TemporaryPassword, 'still there after the refusals');

      const confirmed = await h.api.post(`/v1/bulk-uploads/${id}/passwords/confirm`).set(bearer(TOKENS.gstt));
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.deepEqual(confirmed.body, { id, passwordsDeleted: 2 });
      const after = await resultsOf(h, id);
      assert.equal('TemporaryPassword' in after[0]!, false, 'gone once confirmed');
      assert.match(after[0]!.Result, /@nhs\.net$/, 'the results stay');
      const again = await h.api.post(`/v1/bulk-uploads/${id}/passwords/confirm`).set(bearer(TOKENS.gstt));
      assert.deepEqual(again.body, { id, passwordsDeleted: 0 });
    });
  });

  it('Security 13: unconfirmed passwords expire: not shown after the set time, and purged from the store', async function () {
    const stores = await sqliteBackend.open(this);
    try {
      const h = await bulkHarness(stores);
      h.deps.bulk = { ...DEFAULT_BULK_SETTINGS, passwordsKeptForMs: 60 * 60 * 1000 };
      await h.run(async () => {
        const first = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line(), line()])));
        const done = await untilFinished(h, first.uploadId);
        const finishedAt = Date.parse(done.finishedAt!);
        const read = async (at: number) =>
          parse(await uploadResults(h.deps, gstt(), first.uploadId, new Date(at)), {
            columns: true,
          }) as Results;
        assert.ok((await read(finishedAt + 59 * 60 * 1000))[0]!.TemporaryPassword, 'kept within the hour');
        assert.equal(await purgeExpiredPasswords(h.deps, new Date(finishedAt + 59 * 60 * 1000)), 0);
        assert.equal('TemporaryPassword' in (await read(finishedAt + 60 * 60 * 1000))[0]!, false, 'expired');
        assert.equal(await stores.bulkUploads.heldPasswords(first.uploadId), 0, 'and deleted');

        const second = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line()])));
        const later = Date.parse((await untilFinished(h, second.uploadId)).finishedAt!);
        assert.equal(await stores.bulkUploads.heldPasswords(second.uploadId), 1);
        assert.equal(await purgeExpiredPasswords(h.deps, new Date(later + 61 * 60 * 1000)), 1, 'the purge');
        assert.equal(await stores.bulkUploads.heldPasswords(second.uploadId), 0);
      });
    } finally {
      await stores.close();
    }
  });

  for (const [window, wrap] of [
    [
      'the answer of the idempotency key’s completion is lost',
      (s: TestStores): TestStores => ({
        ...s,
        idempotency: failingOnce<IdempotencyKeys>(s.idempotency, 'complete', (args) => String(args[1])),
      }),
    ],
    [
      'recording the line’s result fails',
      (s: TestStores): TestStores => ({
        ...s,
        bulkUploads: failingOnce<BulkUploads>(s.bulkUploads, 'recordResult', (args) =>
          (args[2] as { sealedPassword?: string }).sealedPassword
            ? `${String(args[0])}:${String(args[1])}`
            : null,
        ),
      }),
    ],
  ] as const) {
    it(`Security 13: a line whose account was created when ${window} keeps its password: the retry gets the same one back`, async function () {
      const stores = await sqliteBackend.open(this);
      try {
        const h = await bulkHarness(wrap(stores));
        await h.run(async () => {
          const p = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line(), line(), line()])));
          const done = await untilFinished(h, p.uploadId);
          assert.deepEqual({ created: done.created, failed: done.failed }, { created: 3, failed: 0 });
          const results = parse(await uploadResults(h.deps, gstt(), p.uploadId), {
            columns: true,
          }) as Results;
          for (const r of results) {
            assert.match(r.Result, /^[\w.]+@nhs\.net$/, 'created by this upload');
            assert.ok(r.TemporaryPassword, `${r.Result}: the password is kept`);
            assert.ok((await stores.platform.inspect(r.Result)).passwordMatches(r.TemporaryPassword!));
          }
        });
      } finally {
        await stores.close();
      }
    });
  }

  it('Security 13: confirming is the uploader’s, once the upload has finished (the operation)', async function () {
    const stores = await sqliteBackend.open(this);
    try {
      const h = await bulkHarness(stores);
      await h.run(async () => {
        const p = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line()])));
        await untilFinished(h, p.uploadId);
        const national = devPrincipals().byId('nas.admin@nhs.net')!;
        await assert.rejects(confirmPasswordsSaved(h.deps, national, p.uploadId), { kind: 'forbidden' });
        assert.deepEqual(await confirmPasswordsSaved(h.deps, gstt(), p.uploadId), {
          id: p.uploadId,
          passwordsDeleted: 1,
        });
      });
    } finally {
      await stores.close();
    }
  });
});
