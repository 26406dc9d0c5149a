import assert from 'node:assert/strict';
import { activeAccount, passFirstGates } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

describe('API: concurrent and repeated creates', () => {
  it('R12: two concurrent creates for the same person make exactly one account', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson({ confirmNotDuplicate: true });
      const answers = await Promise.all(
        [TOKENS.gstt, TOKENS.national].map((t) => h.api.post('/v1/accounts').set(bearer(t)).send(person)),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
      const winner = answers.find((a) => a.status === 201)!;
      const loser = answers.find((a) => a.status === 409)!;
      assert.equal(loser.body.existing.id, winner.body.id);
      assert.equal(h.starts(), 1, 'one lifecycle started');
    });
  });

  it('R11: two concurrent creates for two different people of the same name get two different addresses', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const a = newPerson({ confirmNotDuplicate: true });
      const b = { ...newPerson({ confirmNotDuplicate: true }), firstName: a.firstName, lastName: a.lastName };
      const answers = await Promise.all(
        [a, b].map((p) => h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(p)),
      );
      assert.deepEqual(
        answers.map((r) => r.status),
        [201, 201],
      );
      const emails = answers.map((r) => r.body.email as string).sort();
      const base = `${a.firstName}.${a.lastName}`.toLowerCase();
      assert.deepEqual(emails, [`${base}1@nhs.net`, `${base}@nhs.net`].sort());
      assert.equal(h.starts(), 2);
    });
  });

  it('an Idempotency-Key repeat returns the first answer and creates no second account', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson();
      const key = `create-${person.lastName}`;
      const first = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', key)
        .send(person);
      assert.equal(first.status, 201);
      const again = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', key)
        .send(person);
      assert.equal(again.status, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.email, first.body.email);
      assert.equal(again.body.temporaryPassword, null, 'the password is shown once only (R13)');
      assert.equal(h.starts(), 1);

      const other = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', key)
        .send({ ...person, jobTitle: 'Other' });
      assert.equal(other.status, 422, 'the same key for a different request');
      const otherCaller = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.national))
        .set('Idempotency-Key', key)
        .send(person);
      assert.equal(otherCaller.status, 409, 'keys are per caller: this is a new request, and a duplicate');
      assert.equal(h.starts(), 1);
    });
  });

  it('an Idempotency-Key whose first request failed can be used again', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = newPerson();
      const key = `retry-${person.lastName}`;
      const bad = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', key)
        .send({ ...person, title: '' });
      assert.equal(bad.status, 400);
      const good = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', key)
        .send(person);
      assert.equal(good.status, 201);

      const twin = { ...newPerson(), mobile: person.mobile };
      const twinKey = `twin-${twin.lastName}`;
      for (let attempt = 0; attempt < 2; attempt++) {
        const refused = await h.api
          .post('/v1/accounts')
          .set(bearer(TOKENS.gstt))
          .set('Idempotency-Key', twinKey)
          .send(twin);
        assert.equal(refused.status, 409);
        assert.equal(refused.body.title, 'Duplicate account', 'refused on its merits, not held by the key');
      }
    });
  });

  it('R22, R24: twenty identical MFA exception requests with one Idempotency-Key make one exception, one audit entry, one end time', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      await passFirstGates(handle);
      const request = () =>
        h.api
          .post(`/v1/accounts/${id}/mfa-exceptions`)
          .set(bearer(TOKENS.gstt))
          .set('Idempotency-Key', 'mfa-once')
          .send({ term: 'short', riskAssessmentRef: 'RA-2026-1' });
      const answers = await Promise.all(Array.from({ length: 20 }, request));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]));
      assert.equal(new Set(answers.map((a) => a.body.mfa.exceptionEndsAt)).size, 1, 'one end time');
      await h.sleep(60_000);
      const late = await request();
      assert.equal(
        late.body.mfa.exceptionEndsAt,
        answers[0]!.body.mfa.exceptionEndsAt,
        'a late repeat moves nothing',
      );
      const trail = await h.trail(handle);
      assert.equal(trail.filter((e) => e.action.startsWith('MFA exception')).length, 1, 'one audit entry');

      const reused = await h.api
        .post(`/v1/accounts/${id}/mfa-exceptions`)
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'mfa-once')
        .send({ term: 'long', riskAssessmentRef: 'RA-2026-1' });
      assert.equal(reused.status, 422, 'the same key for a different request');
    });
  });

  it('R18: an identity event repeated with its Idempotency-Key is applied once, and the key cannot carry another event', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      const send = () =>
        h.api
          .post(`/v1/accounts/${id}/events`)
          .set(bearer(TOKENS.identity))
          .set('Idempotency-Key', 'evt-1')
          .send({ type: 'PasswordChanged' });
      const answers = await Promise.all([send(), send(), send()]);
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200],
      );
      const trail = await h.trail(handle);
      assert.equal(trail.filter((e) => e.action === 'PasswordChanged reported').length, 1);
      const other = await h.api
        .post(`/v1/accounts/${id}/events`)
        .set(bearer(TOKENS.identity))
        .set('Idempotency-Key', 'evt-1')
        .send({ type: 'AupAccepted' });
      assert.equal(other.status, 422);
      assert.equal((await h.trail(handle)).length, trail.length, 'nothing applied');
    });
  });
});
