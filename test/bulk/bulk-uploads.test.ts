import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { createBulkActivities } from '../../src/activities/bulk';
import { TOKENS, apiHarness, bearer, type ApiHarness } from '../helpers/api-harness';
import { csv, finished, gate, line, upload } from './bulk-helpers';

type BulkActivities = ReturnType<typeof createBulkActivities>;

/**
 * Holds every line's create at a gate (a chunk's lines one by one), so a test can stop an upload part-way;
 * `chunks` counts the chunks started.
 */
function gated() {
  const g = gate();
  let chunks = 0;
  const wrapper = <T>(activities: T): T => {
    const a = activities as T & BulkActivities;
    const create = a.createBulkLane.bind(a);
    return {
      ...a,
      createBulkLane: async (uploadId: string, lines: number[]) => {
        chunks++;
        const tally = { created: 0, failed: 0 };
        for (const n of lines) {
          await g.pass();
          const done = await create(uploadId, [n]);
          tally.created += done.created;
          tally.failed += done.failed;
        }
        return tally;
      },
    } as T;
  };
  return { gate: g, wrapper, chunks: () => chunks };
}

const resultsOf = async (h: ApiHarness, id: string, token = TOKENS.gstt) => {
  const res = await h.api.get(`/v1/bulk-uploads/${id}/results.csv`).set(bearer(token));
  assert.equal(res.status, 200);
  return parse(res.text, { columns: true }) as ({ Result: string; TemporaryPassword?: string } & Record<
    string,
    string
  >)[];
};

const accountsNamed = async (h: ApiHarness, lastName: string) =>
  (await h.directory.search({ q: lastName, limit: 100 })).entries.filter((e) => e.lastName === lastName);

describe('R31: bulk creation from a CSV file', () => {
  it('R31, R4: Validate reports exactly the bad lines and fields, every field at fault, and creates and reserves nothing', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const good1 = line();
      const good2 = line();
      const lines = [
        good1,
        line({ Title: '', Mobile: '+33 6 12 34 56 78', ClinicalRoles: 'R8001;NOPE' }),
        good2,
        line({ Organisation: 'RRV', OrganisationalUnit: '', Site: '' }),
        line({ Mobile: good1.Mobile }),
        line({ FirstName: good2.FirstName, LastName: good2.LastName, ExternalSyncID: '' }),
      ];
      const before = (await h.directory.search({ limit: 1000 })).entries.length;
      const res = await upload(h, csv(lines), 'validate');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        { rows: res.body.rows, valid: res.body.valid, invalid: res.body.invalid },
        { rows: 6, valid: 2, invalid: 4 },
      );
      assert.deepEqual(
        res.body.errors.map((e: { line: number; path: string }) => `${e.line} ${e.path}`),
        ['3 Title', '3 Mobile', '3 ClinicalRoles', '5 Organisation', '6 Mobile', '7 LastName'],
      );
      const byPath = Object.fromEntries(
        res.body.errors.map((e: { line: number; path: string; message: string }) => [
          `${e.line} ${e.path}`,
          e.message,
        ]),
      );
      assert.equal(byPath['3 Title'], 'Title is required', 'the words of a single create (R4)');
      assert.match(byPath['3 Mobile'], /UK mobile number/);
      assert.match(byPath['5 Organisation'], /must be RJ1/);
      assert.match(byPath['6 Mobile'], /same mobile number as line 2/);
      assert.match(byPath['7 LastName'], /same name as line 4/);
      assert.equal((await h.directory.search({ limit: 1000 })).entries.length, before, 'nothing reserved');
      assert.equal(h.starts(), 0, 'nothing started');
    });
  });

  it('R31: a file that cannot be read is refused whole, naming the line; nothing is created', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const good = csv([line(), line()]);
      const cases: [string | Buffer, RegExp][] = [
        ['Title,Name\nDr,X', /Line 1: The header row must be exactly/],
        [`${good}\r\nDr,Short,Row`, /Line 4: the row has the wrong number of fields/],
        [Buffer.from([0x54, 0x69, 0xff, 0xfe]), /not UTF-8/],
        [`${csv([])}`, /no rows/],
        [csv(Array.from({ length: 10_001 }, () => line())), /Line 10002: The file has more than 10000 rows/],
      ];
      for (const [file, message] of cases) {
        for (const mode of ['validate', 'create'] as const) {
          const res = await upload(h, file as string, mode);
          assert.equal(res.status, 400, `${mode}: ${JSON.stringify(res.body)}`);
          assert.match(res.body.detail, message);
          assert.doesNotMatch(res.body.detail, /Line \d+: Line/, 'the line named once');
        }
      }
      const big = await upload(h, 'x'.repeat(5 * 1024 * 1024 + 10), 'validate');
      assert.equal(big.status, 400);
      assert.match(big.body.detail, /larger than 5 MB/);
      const sample = await h.api.get('/v1/bulk-uploads/sample.csv').set(bearer(TOKENS.gstt));
      assert.equal(sample.status, 200);
      assert.equal((await upload(h, sample.text, 'validate')).body.valid, 2, 'the sample file is valid');
      assert.equal(h.starts(), 0);
    });
  });

  it('R31, R13, R12: Create makes exactly the good lines, reports the others, and hands the uploader the passwords until confirmed', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const good = [line(), line(), line()];
      const existing = good[0]!;
      const first = await upload(h, csv([existing]), 'create');
      assert.equal(first.status, 202);
      await finished(h, first.body.id);
      const lines = [
        line({ Mobile: existing.Mobile, FirstName: 'Someone', LastName: 'Else' }),
        good[1]!,
        line({ Title: '' }),
        good[2]!,
      ];
      const res = await upload(h, csv(lines), 'create');
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.headers.location, `/v1/bulk-uploads/${res.body.id}`);
      const done = await finished(h, res.body.id);
      assert.deepEqual(
        {
          status: done.status,
          rows: done.rows,
          created: done.created,
          failed: done.failed,
          remaining: done.remaining,
        },
        { status: 'Completed', rows: 4, created: 2, failed: 2, remaining: 0 },
      );
      for (const l of [good[1]!, good[2]!])
        assert.equal((await accountsNamed(h, l.LastName)).length, 1, l.LastName);
      assert.equal((await accountsNamed(h, 'Else')).length, 0, 'the duplicate was not created (R12)');

      const national = await resultsOf(h, res.body.id, TOKENS.national);
      assert.equal('TemporaryPassword' in national[0]!, false, 'another administrator sees no password');
      const results = await resultsOf(h, res.body.id);
      assert.deepEqual(
        results.map((r) => r.Result.replace(/^[\w.-]+@nhs\.net$/, 'ADDRESS').split(':')[0]),
        ['Not created', 'ADDRESS', 'Not created', 'ADDRESS'],
      );
      assert.match(results[0]!.Result, /Duplicate account/);
      assert.match(results[2]!.Result, /Title: Title is required/);
      for (const r of [results[1]!, results[3]!]) {
        assert.ok(r.TemporaryPassword, 'the uploader gets each new password');
        assert.ok((await h.platform.inspect(r.Result)).passwordMatches(r.TemporaryPassword!));
      }
      const again = await resultsOf(h, res.body.id);
      assert.deepEqual(
        again.map((r) => r.TemporaryPassword),
        results.map((r) => r.TemporaryPassword),
        'the same passwords until the uploader confirms them saved (R13)',
      );
      const lifecycle = await h.client.workflow.getHandle(`account:${results[1]!.Result}`).describe();
      assert.deepEqual(
        lifecycle.searchAttributes.BulkUploadId,
        [res.body.id],
        'Temporal Web names the upload',
      );
    });
  });

  it('R31: one upload per organisation at a time: a second answers 409 naming the running one', async () => {
    const { gate: g, wrapper } = gated();
    const h = await apiHarness({ activityWrapper: wrapper });
    await h.run(async () => {
      const first = await upload(h, csv([line(), line()]), 'create');
      assert.equal(first.status, 202);
      const second = await upload(h, csv([line()]), 'create');
      assert.equal(second.status, 409);
      assert.equal(second.body.running, first.body.id);
      assert.match(second.body.detail, new RegExp(`Upload ${first.body.id} for RJ1 is still running`));
      const otherOrg = await upload(
        h,
        csv([line({ Organisation: 'RRV', OrganisationalUnit: '', Site: '' })]),
        'create',
        TOKENS.national,
        'RRV',
      );
      assert.equal(otherOrg.status, 202, 'another organisation is not held up');
      g.allow(1000);
      await finished(h, first.body.id);
      await finished(h, otherOrg.body.id, TOKENS.national);
    });
  });

  it('R31, R1: another organisation’s administrator cannot start, read, cancel or download an upload', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const file = csv([line()]);
      assert.equal((await upload(h, file, 'validate', TOKENS.uclhManchester)).status, 403);
      assert.equal((await upload(h, file, 'create', TOKENS.identity)).status, 403);
      const res = await upload(h, file, 'create');
      const id = res.body.id as string;
      for (const path of [`/v1/bulk-uploads/${id}`, `/v1/bulk-uploads/${id}/results.csv`]) {
        assert.equal((await h.api.get(path).set(bearer(TOKENS.uclhManchester))).status, 403, path);
      }
      assert.equal((await h.api.delete(`/v1/bulk-uploads/${id}`).set(bearer(TOKENS.pharmacy))).status, 403);
      assert.equal((await h.api.get('/v1/bulk-uploads/RJ1-nothing').set(bearer(TOKENS.gstt))).status, 404);
      await finished(h, id);
    });
  });

  it('R31: the progress counts each line as it is created, not a lane’s chunk at a time', async () => {
    const { gate: g, wrapper } = gated();
    const h = await apiHarness({ activityWrapper: wrapper });
    await h.run(async () => {
      const res = await upload(h, csv(Array.from({ length: 40 }, () => line())), 'create');
      const id = res.body.id as string;
      g.allow(3); // three lines created, each the first of its lane's chunk of five
      for (let i = 0; i < 200 && (await h.bulkUploads.counts(id)).created < 3; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const progress = await h.api.get(`/v1/bulk-uploads/${id}`).set(bearer(TOKENS.gstt));
      g.allow(1000);
      assert.deepEqual(
        {
          status: progress.body.status,
          created: progress.body.created,
          failed: progress.body.failed,
          remaining: progress.body.remaining,
        },
        { status: 'Running', created: 3, failed: 0, remaining: 37 },
      );
      assert.equal((await finished(h, id)).created, 40);
    });
  });

  it('R31: cancelled part-way, then submitted again, no line is created twice', async () => {
    const { gate: g, wrapper, chunks } = gated();
    const h = await apiHarness({ activityWrapper: wrapper });
    await h.run(async () => {
      const lines = Array.from({ length: 30 }, () => line());
      const file = csv(lines);
      const first = await upload(h, file, 'create');
      g.allow(5);
      for (let i = 0; i < 200 && (await h.bulkUploads.counts(first.body.id)).created < 5; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      // Sent now (a supertest request goes out only once awaited or then-ed), before the gate opens.
      const cancelling = h.api
        .delete(`/v1/bulk-uploads/${first.body.id}`)
        .set(bearer(TOKENS.gstt))
        .then((res) => res);
      await new Promise((r) => setTimeout(r, 200));
      g.allow(1000); // the lines already under way finish; no new one starts
      const cancelled = await cancelling;
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.status, 'Cancelled');
      const createdFirst = cancelled.body.created as number;
      assert.ok(
        createdFirst >= 5 && createdFirst < lines.length,
        `${createdFirst} created: the 5 let through and the lanes' chunks under way`,
      );
      const chunksAtCancel = chunks();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(chunks(), chunksAtCancel, 'no chunk starts once the cancel has answered');

      const second = await upload(h, file, 'create');
      assert.equal(second.status, 202, JSON.stringify(second.body));
      const done = await finished(h, second.body.id);
      assert.equal(done.created, 30, 'every line has its account');
      assert.equal(done.failed, 0);
      for (const l of lines)
        assert.equal((await accountsNamed(h, l.LastName)).length, 1, `${l.LastName} once`);
      const results = await resultsOf(h, second.body.id);
      assert.equal(
        results.filter((r) => / \(created by an earlier upload of this line\)$/.test(r.Result)).length,
        createdFirst,
      );
    });
  });

  it('R31: a file of lines without an ExternalSyncID submitted again is matched by content: each line reported as created by the earlier upload, none as a failed duplicate', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const lines = [
        line({ ExternalSyncID: '' }),
        line({ ExternalSyncID: '', Mobile: '' }),
        line({ ExternalSyncID: '' }),
      ];
      const file = csv(lines);
      const first = await upload(h, file, 'create');
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.equal((await finished(h, first.body.id)).created, 3);
      const addresses = (await resultsOf(h, first.body.id)).map((r) => r.Result);

      const second = await upload(h, file, 'create');
      assert.equal(second.status, 202, JSON.stringify(second.body));
      const done = await finished(h, second.body.id);
      assert.deepEqual({ created: done.created, failed: done.failed }, { created: 3, failed: 0 });
      const results = await resultsOf(h, second.body.id);
      assert.deepEqual(
        results.map((r) => r.Result),
        addresses.map((a) => `${a} (created by an earlier upload of this line)`),
      );
      assert.ok(
        results.every((r) => !r.TemporaryPassword),
        'the passwords were the first upload’s to give',
      );
      for (const l of lines)
        assert.equal((await accountsNamed(h, l.LastName)).length, 1, `${l.LastName} once`);
    });
  });

  it('R31: a worker restarted mid-upload, and a line whose attempt dies after creating its account: every line created once', async () => {
    const { gate: g, wrapper } = gated();
    let dieOnce = true;
    const h = await apiHarness({
      workerRestartable: true,
      activityWrapper: <T>(activities: T): T => {
        const a = wrapper(activities) as T & BulkActivities;
        const create = a.createBulkLane.bind(a);
        return {
          ...a,
          createBulkLane: async (uploadId: string, lines: number[]) => {
            const outcome = await create(uploadId, lines);
            if (lines.includes(3) && dieOnce) {
              dieOnce = false;
              throw new Error('the worker died after creating the line (injected)');
            }
            return outcome;
          },
        } as T;
      },
    });
    const lines = Array.from({ length: 20 }, () => line());
    const id = await h.worker.runUntil(async () => {
      const res = await upload(h, csv(lines), 'create');
      g.allow(6);
      for (let i = 0; i < 200 && (await h.bulkUploads.counts(res.body.id)).created < 5; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      // The worker stops with lines under way: they finish as it drains, and the next worker does the rest.
      setTimeout(() => g.allow(1000), 200);
      return res.body.id as string;
    });
    await h.run(
      async () => {
        const done = await finished(h, id);
        assert.equal(done.created, 20);
        for (const l of lines) {
          const [account] = await accountsNamed(h, l.LastName);
          assert.ok(account, `${l.LastName} created`);
          assert.equal(
            (await h.platform.operations(account.id, 'createAccount')).length,
            1,
            `${l.LastName}: one platform account`,
          );
        }
      },
      await h.newWorker(),
    );
  });
});
