import assert from 'node:assert/strict';
import supertest from 'supertest';
import { portalPageRoutes } from '../../src/http/app';
import { BULK_COLUMNS } from '../../src/bulk/bulk-file';
import type { PageRoute } from '../../src/http/portal/page-routes';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';

/** Routes anyone may use: the sign-in and sign-out, and the static files. */
const PUBLIC = new Set([
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /sign-in/oidc',
  'GET /sign-in/callback',
  'GET /assets/nhsuk-frontend.min.css',
  'GET /assets/nhsuk-frontend.min.js',
]);
const FORGED = 'forged-token-0000000000000000000000000000000';
const key = (route: PageRoute) => `${route.method} ${route.path}`;

/** The world the forms would change: an account, its history, the people of the forms, the uploads. */
async function snapshot(h: ApiHarness, accountId: string, lastName: string) {
  const account = await h.api
    .get(`/v1/accounts/${encodeURIComponent(accountId)}`)
    .set(bearer(TOKENS.national));
  const history = await h.api
    .get(`/v1/accounts/${encodeURIComponent(accountId)}/history`)
    .set(bearer(TOKENS.national));
  return {
    account: account.body as unknown,
    history: (history.body as { items: unknown[] }).items.length,
    people: (await h.directory.search({ q: lastName, limit: 10 })).entries.length,
    uploads: (await h.db.db.selectFrom('bulk_uploads').selectAll().execute()).length,
  };
}

/** The portal's routes, their parameters filled in: a real account, and an upload id. */
function routesOf(h: ApiHarness, accountId: string) {
  const routes = portalPageRoutes(h.app);
  const concrete = (route: PageRoute) =>
    route.path.replace(
      /:id\b/,
      route.path.startsWith('/bulk-upload') ? 'RJ1-0a1b2c3d' : encodeURIComponent(accountId),
    );
  return { routes, concrete };
}

/** Bodies that would change something if a form were accepted, by route. */
function formBodies(person: ReturnType<typeof newPerson>): Record<string, Record<string, string | string[]>> {
  return {
    'POST /users/new': { ...person, confirmNotDuplicate: 'true' },
    'POST /accounts/:id/notes': { notes: 'Changed by a forged form' },
    'POST /accounts/:id/directory-visibility': { phonesHidden: 'true' },
    'POST /accounts/:id/mfa-exceptions': { term: 'short', riskAssessmentRef: 'RA-FORGED' },
    'POST /accounts/:id/edit': { jobTitle: 'Forged Title' },
    'POST /joiners/:id': { organisation: 'RJ1' },
    'POST /sign-in': { token: TOKENS.national },
  };
}

describe('Portal: every page and form guarded', () => {
  it('Security 19: signed out, every page and fragment sends the browser to sign in, and every form is refused 401', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201, created.text);
      const { routes, concrete } = routesOf(h, created.body.id as string);
      for (const expected of [
        'GET /',
        'GET /users/new',
        'GET /accounts/:id/status',
        'GET /bulk-upload/:id/progress',
      ]) {
        assert.ok(
          routes.some((r) => key(r) === expected),
          `the router lists ${expected}`,
        );
      }
      const guarded = routes.filter((r) => !PUBLIC.has(key(r)));
      assert.ok(guarded.length >= 20, `${guarded.length} guarded routes`);

      const anonymous = supertest.agent(h.app);
      const _csrf = csrfOf((await anonymous.get('/sign-in')).text);
      for (const route of guarded) {
        const path = concrete(route);
        if (route.method === 'GET') {
          const res = await anonymous.get(path);
          assert.equal(res.status, 303, `${key(route)}: ${res.status}`);
          assert.equal(res.headers.location, '/sign-in', key(route));
        } else {
          const res = await anonymous[route.method.toLowerCase() as 'post'](path)
            .type('form')
            .send({ _csrf });
          assert.equal(res.status, 401, `${key(route)}: ${res.status}`);
          assert.match(res.text, /Your session has ended: sign in again\./, key(route));
        }
      }
    });
  });

  it('Security 18: every form, the multipart bulk upload included, is refused 403 without its CSRF token or with a forged one, and changes nothing', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201, created.text);
      const accountId = created.body.id as string;
      const { routes, concrete } = routesOf(h, accountId);
      const forms = routes.filter((r) => r.method !== 'GET');
      assert.ok(forms.length >= 12, `${forms.length} forms`);
      const person = newPerson();
      const bodies = formBodies(person);
      const agent = await signedInAgent(h.app);
      const before = await snapshot(h, accountId, person.lastName);

      for (const route of forms) {
        for (const token of [undefined, FORGED]) {
          const body = { ...(bodies[key(route)] ?? {}), ...(token ? { _csrf: token } : {}) };
          const res = await agent[route.method.toLowerCase() as 'post'](concrete(route))
            .type('form')
            .send(body);
          assert.equal(res.status, 403, `${key(route)} with token ${token}: ${res.status}`);
          assert.match(res.text, /This form has expired or did not come from this portal\./);
        }
      }
      const csv = [BULK_COLUMNS.join(','), `Dr,Forged,${person.lastName},,,,,,nhs.net,RJ1,,,,,,,`].join(
        '\r\n',
      );
      for (const token of [undefined, FORGED]) {
        const upload = agent
          .post('/bulk-upload')
          .field('organisation', 'RJ1')
          .field('mode', 'create')
          .attach('file', Buffer.from(csv), { filename: 'intake.csv', contentType: 'text/csv' });
        const res = await (token ? upload.field('_csrf', token) : upload);
        assert.equal(res.status, 403, `the multipart upload with token ${token}: ${res.status}`);
      }

      assert.deepEqual(await snapshot(h, accountId, person.lastName), before, 'nothing changed');
      assert.equal((await agent.get('/')).status, 200, 'still signed in: sign-out was refused too');
    });
  });
});
