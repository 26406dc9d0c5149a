import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Principal } from '../../src/access/principals';
import { createBodyOf, EXTERNAL_SYNC_ID_MAX, validateRows } from '../../src/bulk/bulk-rows';
import type { BulkColumn } from '../../src/bulk/bulk-file';
import { rowKeyOf } from '../../src/bulk/row-key';
import { LINE_ATTEMPTS } from '../../src/activities/bulk';
import { cancelUpload, startUpload, uploadProgress, type BulkDeps } from '../../src/operations/bulk-uploads';
import type { Directory } from '../../src/ports/directory';
import type { BulkRowRecord } from '../../src/ports/bulk-uploads';
import { bulkUpload } from '../../src/workflows';
import { bulkUploadWorkflowId } from '../../src/workflows/workflow-id';
import {
  postgresBackend,
  sqliteBackend,
  type StoreBackend,
  type TestStores,
} from '../helpers/store-backends';
import { bulkHarness, devPrincipals } from './bulk-harness';
import { csv, line } from './bulk-helpers';

const gstt = () => devPrincipals().byId('alex.admin@nhs.net')!;

/**
 * An upload whose lines were stored as given, unchecked: as an earlier version of the engine, which let
 * them through validation, stored them. `rowKey` as given, or the current one.
 */
async function storedUpload(
  deps: BulkDeps,
  uploader: Principal,
  lines: { fields: Record<BulkColumn, string>; rowKey?: string }[],
): Promise<string> {
  const id = `RJ1-${crypto.randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const rows: BulkRowRecord[] = lines.map(({ fields, rowKey }, i) => {
    const body = createBodyOf(fields);
    return {
      line: i + 2,
      fields,
      body,
      rowKey: rowKey ?? rowKeyOf(fields.ExternalSyncID || null, body),
      errors: [],
      state: 'pending',
      result: null,
      accountId: null,
    };
  });
  await deps.bulkUploads.create(
    {
      id,
      organisation: 'RJ1',
      uploadedBy: uploader,
      rows: rows.length,
      status: 'Running',
      createdAt: startedAt,
      finishedAt: null,
    },
    rows,
  );
  await deps.client.workflow.start(bulkUpload, {
    taskQueue: deps.taskQueue,
    workflowId: bulkUploadWorkflowId('RJ1'),
    args: [{ uploadId: id, rows: rows.length, invalid: 0, startedAt }],
  });
  return id;
}

async function untilFinished(deps: BulkDeps, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await uploadProgress(deps, gstt(), id);
    if (progress.status !== 'Running') return progress;
    if (Date.now() > deadline) assert.fail(`upload ${id} still running: ${JSON.stringify(progress)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const randomText = (n: number) => crypto.randomBytes(n).toString('base64').slice(0, n);

/** A directory whose reservation fails as `fault` says for a line of that last name (others as usual). */
function faultyDirectory(directory: Directory, lastName: string, fault: () => Error): Directory {
  return new Proxy(directory, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== 'reserve') return typeof value === 'function' ? value.bind(target) : value;
      return async (request: Parameters<Directory['reserve']>[0]) => {
        if (request.entry.lastName === lastName) throw fault();
        return target.reserve(request);
      };
    },
  });
}

describe('Security 7: one bad line never wedges an organisation’s uploads', () => {
  it(`Security 7: Validate refuses an ExternalSyncID over ${EXTERNAL_SYNC_ID_MAX} characters, or with a control character, naming the column`, () => {
    const at = (fields: Record<BulkColumn, string>, n: number) => ({ line: n, fields });
    const lines = [
      at(line({ ExternalSyncID: 'E'.repeat(EXTERNAL_SYNC_ID_MAX) }), 2),
      at(line({ ExternalSyncID: 'E'.repeat(EXTERNAL_SYNC_ID_MAX + 1) }), 3),
      at(line({ ExternalSyncID: randomText(5000) }), 4),
      at(line({ ExternalSyncID: 'GSTT\u0000123' }), 5),
      at(line({ ExternalSyncID: 'GSTT\u0085123' }), 6),
    ];
    const { valid, errors } = validateRows(lines, 'RJ1');
    assert.deepEqual(
      valid.map((v) => v.line),
      [2],
    );
    assert.deepEqual(
      errors.map((e) => [e.line, e.path, e.message]),
      [
        [3, 'ExternalSyncID', `ExternalSyncID must be at most ${EXTERNAL_SYNC_ID_MAX} characters`],
        [4, 'ExternalSyncID', `ExternalSyncID must be at most ${EXTERNAL_SYNC_ID_MAX} characters`],
        [5, 'ExternalSyncID', 'ExternalSyncID must not contain control characters'],
        [6, 'ExternalSyncID', 'ExternalSyncID must not contain control characters'],
      ],
    );
  });

  it('Security 7: a line’s idempotency key is a hash, short whatever the line holds', () => {
    const long = randomText(5000);
    for (const key of [rowKeyOf(long, {}), rowKeyOf(null, { notes: long })]) {
      assert.match(key, /^(sync|row):[0-9a-f]{64}$/);
    }
    assert.notEqual(rowKeyOf('A-1', {}), rowKeyOf('A-2', {}));
    assert.equal(rowKeyOf('A-1', { a: 1 }), rowKeyOf('A-1', { a: 2 }), 'the ExternalSyncID decides');
  });

  it('Security 7: on PostgreSQL, a line with a NUL and a line with a 5,000-character ExternalSyncID (stored by an earlier version) end; the upload completes and the organisation can upload again', async function () {
    const stores = await postgresBackend.open(this);
    try {
      const h = await bulkHarness(stores);
      await h.run(async () => {
        const good = [line(), line()];
        const nul = line({ Notes: 'Starts\u0000Monday' });
        const longSync = line({ ExternalSyncID: randomText(5000) });
        const id = await storedUpload(
          h.deps,
          gstt(),
          [good[0]!, nul, longSync, good[1]!].map((fields) => ({ fields })),
        );
        const done = await untilFinished(h.deps, id);
        assert.deepEqual(
          { status: done.status, created: done.created, failed: done.failed, remaining: done.remaining },
          { status: 'Completed', created: 3, failed: 1, remaining: 0 },
        );
        const rows = await stores.bulkUploads.rows(id);
        // Stored by an earlier version, the NUL no longer reaches PostgreSQL: the create refuses it by name.
        assert.equal(rows[1]!.state, 'failed');
        assert.match(rows[1]!.result!, /notes: Notes must be plain text/);
        assert.equal(rows[2]!.state, 'created', 'the long ExternalSyncID is a short key');

        const again = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line()])));
        assert.equal((await untilFinished(h.deps, again.uploadId)).created, 1, 'the next upload runs');
      });
    } finally {
      await stores.close();
    }
  });

  for (const [backend, fault] of [
    [sqliteBackend, () => Object.assign(new Error('string or blob too big'), { code: 'SQLITE_TOOBIG' })],
    [
      postgresBackend,
      () =>
        Object.assign(new Error('index row size 5016 exceeds maximum'), { code: '54000', severity: 'ERROR' }),
    ],
  ] as [StoreBackend, () => Error][]) {
    it(`Security 7: on ${backend.name}, a store error on a line fails that line after ${LINE_ATTEMPTS} tries, and only that line`, async function () {
      const stores = await backend.open(this);
      try {
        const bad = line();
        const faulty: TestStores = {
          ...stores,
          directory: faultyDirectory(stores.directory, bad.LastName, fault),
        };
        const h = await bulkHarness(faulty);
        await h.run(async () => {
          const p = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line(), bad, line()])));
          const done = await untilFinished(h.deps, p.uploadId);
          assert.deepEqual({ created: done.created, failed: done.failed }, { created: 2, failed: 1 });
          const row = (await stores.bulkUploads.rows(p.uploadId))[1]!;
          assert.equal(row.state, 'failed');
          assert.match(
            row.result!,
            new RegExp(
              `${backend.name} store refused this line \\(error ${(fault() as Error & { code: string }).code}\\)`,
            ),
          );
        });
      } finally {
        await stores.close();
      }
    });
  }

  it('Security 7: cancel answers while a chunk retries a line whose store errors pass (a lost connection), and the organisation can upload again', async function () {
    const stores = await sqliteBackend.open(this);
    try {
      const stuck = line();
      const faulty: TestStores = {
        ...stores,
        directory: faultyDirectory(
          stores.directory,
          stuck.LastName,
          () => new Error('Connection terminated unexpectedly'),
        ),
      };
      const h = await bulkHarness(faulty);
      await h.run(async () => {
        const p = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line(), stuck, line()])));
        // The chunk retries the stuck line (after 1, 2, 4 seconds...): never the line's fault, so never failed.
        for (let i = 0; i < 200 && (await stores.bulkUploads.counts(p.uploadId)).created < 2; i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 4000));
        const began = Date.now();
        const cancelled = await cancelUpload(h.deps, gstt(), p.uploadId);
        assert.ok(Date.now() - began < 15_000, `answered in ${Date.now() - began} ms`);
        assert.deepEqual(
          {
            status: cancelled.status,
            created: cancelled.created,
            failed: cancelled.failed,
            remaining: cancelled.remaining,
          },
          { status: 'Cancelled', created: 2, failed: 0, remaining: 0 },
        );
        assert.equal(
          (await stores.bulkUploads.row(p.uploadId, 3))!.state,
          'pending',
          'the stuck line not created',
        );
        const again = await startUpload(h.deps, gstt(), 'RJ1', Buffer.from(csv([line()])));
        assert.equal((await untilFinished(h.deps, again.uploadId)).created, 1, 'the next upload runs');
      });
    } finally {
      await stores.close();
    }
  });
});
