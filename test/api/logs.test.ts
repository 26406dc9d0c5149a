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
});
