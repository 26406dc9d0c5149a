import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { createBulkActivities } from '../../src/activities/bulk';
import { Principals } from '../../src/access/principals';
import { startUpload, uploadProgress } from '../../src/operations/bulk-uploads';
import { PROJECT_ROOT } from '../../src/project-root';
import { sqliteBackend } from '../helpers/store-backends';
import { bulkHarness } from './bulk-harness';
import { csv, line } from './bulk-helpers';

type BulkActivities = ReturnType<typeof createBulkActivities>;
type Entry = { id: string; orgs?: string[] };

const DEV_ENTRIES = JSON.parse(
  fs.readFileSync(`${PROJECT_ROOT}/config/dev-principals.json`, 'utf8'),
) as Entry[];
const UPLOADER = 'alex.admin@nhs.net';
const LINES = 40;
const LANES = 4;

describe('Security 14: a bulk upload has its uploader’s rights of now, chunk by chunk', () => {
  for (const [change, entries, reason] of [
    [
      'moves to another organisation',
      DEV_ENTRIES.map((e) => (e.id === UPLOADER ? { ...e, orgs: ['RRV'] } : e)),
      /Alex Admin .*, who uploaded the file, no longer administers RJ1 \(R1\): the upload stopped before this line/,
    ],
    [
      'is removed from the principals file',
      DEV_ENTRIES.filter((e) => e.id !== UPLOADER),
      /Alex Admin .*, who uploaded the file, is no longer an administrator of this service \(R1\)/,
    ],
  ] as const) {
    it(`Security 14: the uploader ${change} part-way: the lines left fail with the reason, and the upload stops`, async function () {
      const stores = await sqliteBackend.open(this);
      let principals = new Principals(DEV_ENTRIES);
      // The chunks in the order they start: the change comes as the third starts, with two lanes under way.
      const chunks: number[][] = [];
      const h = await bulkHarness(stores, {
        principals: () => principals,
        linesAtOnce: LANES,
        activityWrapper: <T>(activities: T): T => {
          const a = activities as T & BulkActivities;
          const create = a.createBulkLane.bind(a);
          return {
            ...a,
            createBulkLane: async (uploadId: string, lines: number[]) => {
              if (chunks.push(lines) === 3) principals = new Principals(entries);
              return create(uploadId, lines);
            },
          } as T;
        },
      });
      try {
        await h.run(async () => {
          const uploader = new Principals(DEV_ENTRIES).byId(UPLOADER)!;
          const national = new Principals(DEV_ENTRIES).byId('nas.admin@nhs.net')!;
          const p = await startUpload(
            h.deps,
            uploader,
            'RJ1',
            Buffer.from(csv(Array.from({ length: LINES }, () => line()))),
          );
          let done = await uploadProgress(h.deps, national, p.uploadId);
          for (let i = 0; i < 400 && done.status === 'Running'; i++) {
            await new Promise((r) => setTimeout(r, 50));
            done = await uploadProgress(h.deps, national, p.uploadId);
          }
          const before = new Set(chunks.slice(0, 2).flat());
          assert.ok(before.size > 0);
          assert.deepEqual(
            { status: done.status, created: done.created, failed: done.failed, remaining: done.remaining },
            { status: 'Cancelled', created: before.size, failed: LINES - before.size, remaining: 0 },
            'the chunks under way before the change finish; every other line fails',
          );
          const rows = await stores.bulkUploads.rows(p.uploadId);
          for (const r of rows) {
            if (before.has(r.line)) assert.equal(r.state, 'created', `line ${r.line}`);
            else {
              assert.equal(r.state, 'failed', `line ${r.line}`);
              assert.match(r.result!, reason);
            }
          }
          assert.ok(chunks.length <= LANES + 1, 'no chunk started after the lanes saw the change');
        });
      } finally {
        await stores.close();
      }
    });
  }
});
