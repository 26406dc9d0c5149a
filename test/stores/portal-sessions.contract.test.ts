import assert from 'node:assert/strict';
import type { SessionLimits } from '../../src/ports/portal-sessions';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const LIMITS: SessionLimits = { absoluteMs: 8 * HOUR, idleMs: 30 * MINUTE };

for (const backend of STORE_BACKENDS) {
  describe(`Portal sessions contract: ${backend.name}`, () => {
    let now: number;
    let stores: TestStores;
    let sessions: TestStores['portalSessions'];
    beforeEach(async function () {
      now = Date.parse('2026-03-01T09:00:00Z');
      stores = await backend.open(this, { clock: () => new Date(now) });
      sessions = stores.portalSessions;
    });
    afterEach(() => stores?.close());

    it('Security 3: a session records its principal, its sign-in and last use, under a random id of 256 bits', async () => {
      const id = await sessions.start('alex.admin@nhs.net', LIMITS);
      assert.match(id, /^[\w-]{43}$/, '32 random bytes, base64url');
      assert.notEqual(await sessions.start('alex.admin@nhs.net', LIMITS), id, 'each sign-in its own id');
      now += 5 * MINUTE;
      assert.equal(await sessions.resume(id, LIMITS, true), 'alex.admin@nhs.net');
      assert.deepEqual(await sessions.find(id), {
        principalId: 'alex.admin@nhs.net',
        signedInAt: '2026-03-01T09:00:00.000Z',
        lastSeenAt: '2026-03-01T09:05:00.000Z',
        revokedAt: null,
      });
      assert.equal(await sessions.resume('not-a-session', LIMITS, true), undefined);
    });

    it('Security 3: a revoked session is over for good, and its record says when', async () => {
      const id = await sessions.start('alex.admin@nhs.net', LIMITS);
      const other = await sessions.start('alex.admin@nhs.net', LIMITS);
      now += MINUTE;
      await sessions.revoke(id);
      assert.equal(await sessions.resume(id, LIMITS, true), undefined);
      assert.equal((await sessions.find(id))?.revokedAt, '2026-03-01T09:01:00.000Z');
      assert.equal(await sessions.resume(other, LIMITS, true), 'alex.admin@nhs.net', 'only that session');
    });

    it('Security 3: a session unused for the idle time ends; a page refresh does not count as use', async () => {
      const id = await sessions.start('alex.admin@nhs.net', LIMITS);
      now += 29 * MINUTE;
      assert.equal(await sessions.resume(id, LIMITS, true), 'alex.admin@nhs.net');
      for (let i = 0; i < 6; i++) {
        now += 5 * MINUTE;
        const refreshed = await sessions.resume(id, LIMITS, false);
        if (i < 5) assert.equal(refreshed, 'alex.admin@nhs.net', `refresh ${i}`);
        else assert.equal(refreshed, undefined, '30 minutes after the last use, refreshes or not');
      }
      assert.equal(await sessions.resume(id, LIMITS, true), undefined);
      assert.equal((await sessions.find(id))?.lastSeenAt, '2026-03-01T09:29:00.000Z');
    });

    it('Security 3: a session in constant use still ends at its absolute lifetime from sign-in', async () => {
      const id = await sessions.start('alex.admin@nhs.net', LIMITS);
      for (let t = 20 * MINUTE; t < 8 * HOUR; t += 20 * MINUTE) {
        now = Date.parse('2026-03-01T09:00:00Z') + t;
        assert.equal(await sessions.resume(id, LIMITS, true), 'alex.admin@nhs.net', `at ${t / MINUTE} min`);
      }
      now = Date.parse('2026-03-01T17:00:00Z');
      assert.equal(await sessions.resume(id, LIMITS, true), undefined, 'eight hours after sign-in');
    });

    it('Security 3: expired and revoked sessions are purged, at the latest by the next sign-in', async () => {
      const old = await sessions.start('a', LIMITS);
      now += 7 * HOUR + 45 * MINUTE;
      const idle = await sessions.start('b', LIMITS);
      const revoked = await sessions.start('c', LIMITS);
      await sessions.revoke(revoked);
      now += 10 * MINUTE;
      await sessions.resume(old, LIMITS, true);
      now += 25 * MINUTE;
      await sessions.resume(old, LIMITS, true);
      assert.ok(await sessions.find(idle), 'kept until purged');
      const live = await sessions.start('d', LIMITS);
      for (const gone of [idle, revoked, old]) assert.equal(await sessions.find(gone), undefined);
      assert.ok(await sessions.find(live));
      now += LIMITS.idleMs;
      assert.equal(await sessions.purgeExpired(LIMITS), 1);
      assert.equal(await sessions.find(live), undefined);
    });
  });
}
