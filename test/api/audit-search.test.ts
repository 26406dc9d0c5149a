import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';

interface Item {
  accountId: string;
  seq: number;
  at: string;
  organisation: string;
  actor: { id: string };
  action: string;
}

async function created(h: ApiHarness, token: string, overrides: Record<string, unknown> = {}) {
  const res = await h.api.post('/v1/accounts').set(bearer(token)).send(newPerson(overrides));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string };
}

/** Every page of a search, following nextCursor. */
async function allPages(h: ApiHarness, token: string, query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await h.api
      .get(`/v1/audit?${query}${cursor ? `&cursor=${cursor}` : ''}`)
      .set(bearer(token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    items.push(...(res.body.items as Item[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

describe('API: the audit trail search (R2)', () => {
  it('R2, R1: searched by actor, organisation, account and time, newest first, page by page; a local administrator sees their organisations only', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const gstt = await created(h, TOKENS.gstt);
      const uclh = await created(h, TOKENS.uclhManchester, {
        organisation: 'RRV',
        site: undefined,
        organisationalUnit: undefined,
      });
      for (const notes of ['first', 'second']) {
        const res = await h.api.put(`/v1/accounts/${gstt.id}/notes`).set(bearer(TOKENS.gstt)).send({ notes });
        assert.equal(res.status, 200);
      }
      assert.equal(
        (await h.api.put(`/v1/accounts/${uclh.id}/notes`).set(bearer(TOKENS.national)).send({ notes: 'n' }))
          .status,
        200,
      );

      // The account's entries page by page; its organisation's whole trail (a test run may share its stores,
      // so other tests' entries are there too) holds none of another organisation's.
      const mine = await allPages(h, TOKENS.gstt, `limit=1&account=${encodeURIComponent(gstt.id)}`);
      assert.ok(mine.length >= 3, `${mine.length} entries`);
      const keys = mine.map((e) => `${e.accountId}#${e.seq}`);
      assert.equal(new Set(keys).size, keys.length, 'no entry twice across pages');
      const times = mine.map((e) => e.at);
      assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
      const mineWhole = await h.api
        .get(`/v1/audit?limit=100&account=${encodeURIComponent(gstt.id)}`)
        .set(bearer(TOKENS.gstt));
      assert.deepEqual(
        mineWhole.body.items.map((e: Item) => `${e.accountId}#${e.seq}`),
        keys,
        'the pages make the whole',
      );
      const organisation = await allPages(h, TOKENS.gstt, 'limit=100');
      assert.ok(
        organisation.some((e) => e.accountId === gstt.id),
        'its own organisation',
      );
      assert.ok(
        organisation.every((e) => e.organisation === 'RJ1'),
        'RJ1 only',
      );
      assert.ok(!organisation.some((e) => e.accountId === uclh.id), "not another organisation's account");

      const forbidden = await h.api.get('/v1/audit?org=RRV').set(bearer(TOKENS.gstt));
      assert.equal(forbidden.status, 403);
      assert.equal((await h.api.get('/v1/audit').set(bearer(TOKENS.identity))).status, 403);

      const byActor = await allPages(h, TOKENS.national, `actor=${encodeURIComponent('nas.admin@nhs.net')}`);
      assert.deepEqual(
        byActor.filter((e) => e.accountId === uclh.id || e.accountId === gstt.id).map((e) => e.action),
        ['Notes changed'],
        "the national administrator's one change",
      );
      const rrv = await allPages(h, TOKENS.national, 'org=RRV');
      assert.ok(rrv.some((e) => e.accountId === uclh.id) && rrv.every((e) => e.organisation === 'RRV'));
      const oneAccount = await allPages(h, TOKENS.gstt, `account=${encodeURIComponent(gstt.id)}`);
      assert.deepEqual(
        oneAccount.map((e) => e.seq),
        oneAccount.map((_, i) => oneAccount.length - 1 - i),
        "the account's whole trail, newest first",
      );

      const created0 = oneAccount.at(-1)!.at;
      const notesAt = oneAccount.filter((e) => e.action === 'Notes changed').map((e) => e.at);
      const from = encodeURIComponent(notesAt.at(-1)!);
      const inRange = await allPages(h, TOKENS.gstt, `account=${encodeURIComponent(gstt.id)}&from=${from}`);
      assert.ok(inRange.every((e) => e.at >= notesAt.at(-1)!));
      assert.ok(!inRange.some((e) => e.action === 'Account created' && e.at < notesAt.at(-1)!));
      const before = await allPages(h, TOKENS.gstt, `account=${encodeURIComponent(gstt.id)}&to=${from}`);
      assert.ok(before.every((e) => e.at < notesAt.at(-1)!) && before.some((e) => e.at === created0));
    });
  });

  it('R2, R4: a bad search names each field at fault and is never a 500', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const res = await h.api
        .get('/v1/audit?from=yesterday&to=2026-13-01T00:00:00Z&limit=0&cursor=%21%21&actor=a%07b&colour=red')
        .set(bearer(TOKENS.national));
      assert.equal(res.status, 400, JSON.stringify(res.body));
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
      for (const field of ['actor', 'cursor', 'from', 'limit', 'to']) assert.ok(paths.includes(field), field);
      const forged = Buffer.from(JSON.stringify({ at: 'x', accountId: 'a', seq: -1 })).toString('base64url');
      const bad = await h.api.get(`/v1/audit?cursor=${forged}`).set(bearer(TOKENS.national));
      assert.equal(bad.status, 400);
      const backwards = await h.api
        .get('/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')
        .set(bearer(TOKENS.national));
      assert.equal(backwards.status, 400);
      assert.match(JSON.stringify(backwards.body.errors), /from must be before to/);
    });
  });
});
