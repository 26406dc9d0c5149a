import assert from 'node:assert/strict';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

describe('API: logs', () => {
  it('R13, R7: the logs of a create hold no temporary password and no phone number, in any format', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const numbers = { telephone: '020 7188 7188', pager: '07623 123456', fax: '020 7188 0000' };
      const person = { ...newPerson(), ...numbers };
      const res = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('X-Request-Id', 'log-test-1')
        .send(person);
      assert.equal(res.status, 201);
      assert.equal(res.headers['x-request-id'], 'log-test-1');
      await h.api.get(`/v1/accounts/${res.body.id}`).set(bearer(TOKENS.gstt));
      const logs = h.logs.join('');
      assert.ok(logs.includes('log-test-1'), 'the request was logged with its id');
      assert.ok(!logs.includes(res.body.temporaryPassword), 'no temporary password');
      assert.ok(!logs.includes(TOKENS.gstt), 'no bearer token');
      const digits = (n: string) => n.replace(/\D/g, '');
      for (const number of [person.mobile, ...Object.values(numbers)]) {
        const national = digits(number);
        for (const form of [number, national, `44${national.slice(1)}`, national.slice(1)]) {
          assert.ok(!logs.includes(form), `phone number ${form} in the logs`);
        }
      }
    });
  });

  it('operations: each request is one short line: method, route template, status, duration, request id and principal, at an ISO time', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(created.status, 201);
      const read = await h.api
        .get(`/v1/accounts/${created.body.id}?fields=all`)
        .set(bearer(TOKENS.gstt))
        .set('X-Request-Id', 'log-line-1')
        .set('User-Agent', 'x'.repeat(500));
      assert.equal(read.status, 200);
      const unknown = await h.api.get('/v1/nowhere?q=07400123456').set('X-Request-Id', 'log-line-2');
      assert.equal(unknown.status, 401);

      const lineOf = (id: string) => {
        const lines = h.logs.filter(
          (l) => l.includes(`"requestId":"${id}"`) && l.includes('"msg":"request"'),
        );
        assert.equal(lines.length, 1, `one line for ${id}: ${h.logs.join('')}`);
        return lines[0]!;
      };
      const line = lineOf('log-line-1');
      const logged = JSON.parse(line) as Record<string, unknown>;
      assert.deepEqual(Object.keys(logged).sort(), [
        'durationMs',
        'level',
        'method',
        'msg',
        'principal',
        'requestId',
        'route',
        'status',
        'time',
      ]);
      assert.deepEqual(
        { ...logged, time: undefined, durationMs: undefined },
        {
          level: 30,
          time: undefined,
          msg: 'request',
          requestId: 'log-line-1',
          method: 'GET',
          route: '/v1/accounts/:id',
          status: 200,
          durationMs: undefined,
          principal: 'alex.admin@nhs.net',
        },
      );
      assert.equal(typeof logged.durationMs, 'number');
      assert.match(String(logged.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(Buffer.byteLength(line) < 400, `${Buffer.byteLength(line)} bytes: ${line}`);
      assert.ok(!line.includes(created.body.id), 'no address from the path');

      const refused = JSON.parse(lineOf('log-line-2')) as Record<string, unknown>;
      assert.deepEqual([refused.route, refused.status, refused.principal], ['unmatched', 401, undefined]);
      assert.ok(!h.logs.join('').includes('07400123456'), 'no query');
    });
  });
});
