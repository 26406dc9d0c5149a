import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

/** The value of one series in Prometheus text, 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('API: metrics', () => {
  it('GET /metrics: requests by route template and status, creates by outcome, refusals by rule, the process; no personal data', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const admin = bearer(TOKENS.gstt);
      const person = newPerson();
      const created = await h.api.post('/v1/accounts').set(admin).send(person);
      assert.equal(created.status, 201);
      const id = created.body.id as string;
      assert.equal((await h.api.post('/v1/accounts').set(admin).send(person)).status, 409, 'same mobile');
      const namesake = { ...newPerson(), firstName: person.firstName, lastName: person.lastName };
      assert.equal((await h.api.post('/v1/accounts').set(admin).send(namesake)).status, 409, 'same name');
      assert.equal((await h.api.get(`/v1/accounts/${id}`).set(admin)).status, 200);
      const edit = await h.api.patch(`/v1/accounts/${id}`).set(admin).send({ jobTitle: 'Ward Manager' });
      assert.equal(edit.status, 409, 'R17: not while Pending');
      assert.equal((await h.api.get('/v1/nothing-here').set(admin)).status, 404);

      const res = await h.api.get('/metrics');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type']!, /^text\/plain; version=0\.0\.4/);
      const text = res.text;
      assert.equal(valueOf(text, 'nhsmail_account_creates_total{outcome="created"}'), 1);
      assert.equal(valueOf(text, 'nhsmail_account_creates_total{outcome="duplicate"}'), 1);
      assert.equal(valueOf(text, 'nhsmail_account_creates_total{outcome="possible-duplicate"}'), 1);
      assert.equal(valueOf(text, 'nhsmail_lifecycle_refusals_total{rule="R17"}'), 1);
      const requests = (route: string, status: number, method = 'GET') =>
        valueOf(
          text,
          `nhsmail_http_request_duration_seconds_count{method="${method}",route="${route}",status="${status}"}`,
        );
      assert.equal(requests('/v1/accounts', 201, 'POST'), 1);
      assert.equal(requests('/v1/accounts', 409, 'POST'), 2);
      assert.equal(requests('/v1/accounts/:id', 200), 1);
      assert.equal(requests('/v1/accounts/:id', 409, 'PATCH'), 1);
      assert.equal(requests('unmatched', 404), 1);
      assert.ok(valueOf(text, 'process_resident_memory_bytes') > 0, "the process's own");
      assert.match(text, /^nodejs_eventloop_lag_seconds /m);

      for (const personal of [id, person.lastName.toLowerCase(), person.mobile.slice(1), 'Ward Manager'])
        assert.equal(
          text.toLowerCase().includes(personal.toLowerCase()),
          false,
          `no ${personal} in the metrics`,
        );
    });
  });

  it('GET /metrics: this machine only, unless a scraper presents METRICS_TOKEN', async () => {
    const relayed = { 'X-Forwarded-For': '203.0.113.9' };
    const closed = await apiHarness();
    await closed.run(async () => {
      assert.equal((await closed.api.get('/metrics').set(relayed)).status, 403, 'relayed: not from here');
      const principal = await closed.api.get('/metrics').set(bearer(TOKENS.national));
      assert.equal(principal.status, 401, "not a principal's token");
    });

    const token = 'metrics-scraper-token-0123456789';
    const open = await apiHarness({ metricsToken: token });
    await open.run(async () => {
      assert.equal((await open.api.get('/metrics').set(relayed)).status, 401);
      assert.equal(
        (
          await open.api
            .get('/metrics')
            .set(relayed)
            .set(bearer(`${token}x`))
        ).status,
        401,
      );
      const scraped = await open.api.get('/metrics').set(relayed).set(bearer(token));
      assert.equal(scraped.status, 200);
      assert.match(scraped.text, /# TYPE nhsmail_account_creates_total counter/);
      assert.equal((await open.api.get('/metrics')).status, 200, 'and this machine without it');
    });
  });
});
