import assert from 'node:assert/strict';
import { unsealData } from 'iron-session';
import supertest from 'supertest';
import { SqlPortalSessions } from '../../src/adapters/sql/portal-sessions';
import { openSqlite } from '../../src/adapters/sql/sqlite';
import { sessionPasswordsFrom } from '../../src/http/portal/portal-options';
import { LIVE_REFRESH_HEADER } from '../../src/http/portal/session';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { csrfOf, signIn } from '../helpers/portal-agent';
import { testKeyRing } from '../helpers/test-keys';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

const signedOut = (res: supertest.Response, what: string) => {
  assert.equal(res.status, 303, `${what}: ${res.status}`);
  assert.equal(res.headers.location, '/sign-in', what);
};

describe('Portal: server-side sessions', () => {
  it('Security 3: signing out ends the session: a copy of its cookie opens no page and sends no form', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const { agent, cookie } = await signIn(h.app);
      const _csrf = csrfOf((await agent.get('/users/new')).text);
      const stolen = () => supertest(h.app).get('/').set('Cookie', cookie);
      assert.equal((await stolen()).status, 200, 'a copy works while the session lasts');

      assert.equal((await agent.post('/sign-out').type('form').send({ _csrf })).status, 303);
      signedOut(await stolen(), 'the copied cookie after sign-out');
      const person = newPerson();
      const form = await supertest(h.app)
        .post('/users/new')
        .set('Cookie', cookie)
        .type('form')
        .send({ ...person, _csrf });
      assert.ok([401, 403].includes(form.status), `a form with the copied cookie: ${form.status}`);
      assert.equal((await h.directory.search({ q: person.lastName, limit: 10 })).entries.length, 0);
      const sealed = decodeURIComponent(/nhsmail-portal=([^;]+)/.exec(cookie)![1]!);
      const held = await unsealData<Record<string, string>>(sealed, {
        password: sessionPasswordsFrom(testKeyRing),
      });
      assert.deepEqual(
        Object.keys(held).sort(),
        ['csrfToken', 'sid'],
        'the session id and the form token only',
      );
      assert.match(held.sid!, /^[\w-]{43}$/, '256 random bits');
    });
  });

  it('Security 3: a session ends 8 hours after sign-in however busy (messages do not extend it), and 30 minutes after its last use (a page’s own refresh is not use)', async () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const sessions = new SqlPortalSessions(await openSqlite(':memory:'), () => now);
    const h = await apiHarness({ portal: true, portalSessions: sessions });
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201, created.text);
      const account = `/accounts/${encodeURIComponent(created.body.id as string)}`;

      const signedInAt = now;
      const { agent } = await signIn(h.app);
      const _csrf = csrfOf((await agent.get(account)).text);
      for (let t = 25 * MINUTE; t < 8 * HOUR; t += 25 * MINUTE) {
        now = signedInAt + t;
        const saved = await agent
          .post(`${account}/notes`)
          .type('form')
          .send({ _csrf, notes: `at ${t}` });
        assert.equal(saved.status, 303, `notes at ${t / MINUTE} min`);
        const page = await agent.get(account);
        assert.equal(page.status, 200);
        assert.match(page.text, /Notes saved\./);
      }
      now = signedInAt + 8 * HOUR;
      signedOut(await agent.get('/'), 'eight hours after sign-in');

      const again = await signIn(h.app);
      assert.equal((await again.agent.get(account)).status, 200);
      const lastUse = now;
      now = lastUse + 20 * MINUTE;
      const refresh = () => again.agent.get(`${account}/status`).set(LIVE_REFRESH_HEADER, '1');
      assert.equal((await refresh()).status, 200, 'a refresh within the idle time');
      now = lastUse + 30 * MINUTE;
      signedOut(await refresh(), 'a refresh 30 minutes after the last use');
      signedOut(await again.agent.get(account), 'a page after that');
    });
  });
});
