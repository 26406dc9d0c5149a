import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { openGraphPlatform } from '../../src/adapters/graph/open-graph-platform';
import { PLATFORM_REFUSED } from '../../src/ports/mail-platform';
import type { GraphDouble } from '../graph-double/graph-double';
import { graphDouble } from '../helpers/graph-platform';

const ID = 'ada.lovelace@nhs.net';
const ACCOUNT = {
  accountId: ID,
  email: ID,
  displayName: 'Ada Lovelace',
  organisationCode: 'RJ1',
  firstName: 'Ada',
  lastName: 'Lovelace',
};
const PASSWORD = 'Temporary-Pa55word!';

/** Calls `fn` as Temporal would: again after each retryable failure, at most `attempts` times. */
async function withRetries<T>(fn: () => Promise<T>, attempts = 10): Promise<{ value: T; failures: Error[] }> {
  const failures: Error[] = [];
  for (;;) {
    try {
      return { value: await fn(), failures };
    } catch (err) {
      failures.push(err as Error);
      if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
      if (failures.length >= attempts) throw err;
    }
  }
}

describe('Microsoft Graph adapter: safe under every retry', () => {
  let double: GraphDouble;
  let platform: ReturnType<typeof openGraphPlatform>;
  beforeEach(async () => ({ double, platform } = await graphDouble()));
  afterEach(async () => {
    assert.deepEqual(double.violations, [], "every request as Graph's description allows");
    await double.stop();
  });

  it('R16: a create whose answer was lost after the user was made is retried and adopts that user: one user, one licence', async () => {
    double.inject({ kind: 'lost', match: (c) => c.template === '/users' && c.method === 'POST', times: 1 });
    double.inject({ kind: 'lost', match: (c) => c.template.endsWith('/assignLicense'), times: 1 });
    const { failures } = await withRetries(() => platform.createAccount(ACCOUNT, PASSWORD));
    assert.equal(failures.length, 2);
    assert.match(failures[0]!.message, /answer was lost/);
    assert.equal(double.allUsers().length, 1, 'one user');
    assert.deepEqual(double.inspect(ID).licences, [double.skuId], 'one licence');
    assert.equal(double.inspect(ID).password, PASSWORD);
    assert.deepEqual(
      double.calls.map((c) => `${c.method} ${c.template} ${c.status}`),
      [
        'POST /users lost',
        'POST /users 400',
        'GET /users/{user-id} 200',
        'PATCH /users/{user-id} 204',
        'POST /users/{user-id}/assignLicense lost',
        'POST /users 400',
        'GET /users/{user-id} 200',
        'PATCH /users/{user-id} 204',
        'POST /users/{user-id}/assignLicense 200',
      ],
    );
  });

  it("R16: a create finding its address held by a user this account did not make fails at once as a conflict, with Graph's code", async () => {
    double.createForeignUser(ID);
    const err = await platform.createAccount(ACCOUNT, PASSWORD).then(
      () => assert.fail('adopted a user it did not make'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, PLATFORM_REFUSED);
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /already held by a user this account did not make.*ObjectConflict/);
    assert.equal(double.inspect(ID).licences.length, 0, 'the other user is left as it was');
  });

  it('Graph throttling: a 429 or a 503 with Retry-After fails the call for Temporal to retry after that long, not retried inside', async () => {
    double.inject(
      { kind: 429, retryAfterSeconds: 7, times: 1 },
      { kind: 503, retryAfterSeconds: 3, times: 1 },
    );
    const { failures } = await withRetries(() => platform.createAccount(ACCOUNT, PASSWORD));
    assert.deepEqual(
      failures.map((f) => [
        f instanceof ApplicationFailure && f.nonRetryable,
        (f as ApplicationFailure).nextRetryDelay,
      ]),
      [
        [false, 7000],
        [false, 3000],
      ],
    );
    assert.equal(double.calls.filter((c) => c.status === 429 || c.status === 503).length, 2, 'one call each');
    assert.equal(double.allUsers().length, 1);
  });

  it('Replication lag: a user just made answers 404 for seconds; its licence fails retryably until it is seen, with no second user', async () => {
    let now = Date.parse('2026-05-01T10:00:00Z');
    double.now = () => now;
    double.settings.replicationLagMs = 5000;
    const failures: Error[] = [];
    for (;;) {
      try {
        await platform.createAccount(ACCOUNT, PASSWORD);
        break;
      } catch (err) {
        failures.push(err as Error);
        assert.ok(!(err instanceof ApplicationFailure && err.nonRetryable), 'never a failure for good');
        now += 2000;
      }
    }
    assert.ok(failures.length >= 2);
    assert.ok(
      failures.every((f) => /replication/.test(f.message)),
      failures.map((f) => f.message).join('\n'),
    );
    assert.equal(double.allUsers().length, 1);
    assert.deepEqual(double.inspect(ID).licences, [double.skuId]);
  });

  it("R16: a request Graph will never accept (an unknown licence) fails at once with Graph's error code, not retried", async () => {
    const { double: other, graphSettings } = await graphDouble();
    const wrongSku = openGraphPlatform({
      ...graphSettings,
      licenceSkuId: '00000000-0000-0000-0000-000000000001',
    });
    try {
      const err = await wrongSku.createAccount(ACCOUNT, PASSWORD).then(
        () => assert.fail('licensed with an unknown SKU'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ApplicationFailure && err.nonRetryable);
      assert.match(
        err.message,
        /Microsoft Graph answered 400 Request_BadRequest: License .* does not correspond/,
      );
    } finally {
      await other.stop();
    }
  });

  it('Security: a wrong client secret fails without the secret, the token or the password in the error', async () => {
    const { double: other, graphSettings } = await graphDouble();
    const wrong = openGraphPlatform({ ...graphSettings, clientSecret: 'wrong-secret-value-123' });
    try {
      const err = (await wrong.createAccount(ACCOUNT, PASSWORD).catch((e: unknown) => e)) as Error;
      assert.ok(err instanceof Error);
      for (const secret of ['wrong-secret-value-123', other.clientSecret, PASSWORD]) {
        assert.ok(
          !JSON.stringify({ m: err.message, s: err.stack }).includes(secret),
          `${secret} not in the error`,
        );
      }
      assert.equal(other.allUsers().length, 0);
    } finally {
      await other.stop();
    }
  });

  it("R21, R28: adding an existing member (Graph's 400) and removing a missing one (Graph's 404) are done, not failures", async () => {
    await platform.createAccount(ACCOUNT, PASSWORD);
    await platform.addToGroup(ID, 'NHSmail-MFA-Standard-CA');
    await platform.addToGroup(ID, 'NHSmail-MFA-Standard-CA');
    await platform.removeFromGroup(ID, 'NHSmail-MFA-Standard-CA');
    await platform.removeFromGroup(ID, 'NHSmail-MFA-Standard-CA');
    assert.deepEqual(
      double.calls.filter((c) => c.template.startsWith('/groups')).map((c) => `${c.method} ${c.status}`),
      ['POST 204', 'POST 400', 'DELETE 204', 'DELETE 404'],
    );
  });

  it("Graph's contract: a request the published description does not allow is refused by the double (the suite's checks can fail)", async () => {
    await platform.createAccount(ACCOUNT, PASSWORD);
    const badProperty = await platform.updateAccount(ID, { displayName: 'Ada L' }).then(() => null);
    assert.equal(badProperty, null);
    // The adapter's own calls pass; a body with a property user does not have is what Graph refuses.
    const http = (
      platform as unknown as { http: { request: (...a: unknown[]) => Promise<{ status: number }> } }
    ).http;
    const res = await http.request('PATCH', `/users/${encodeURIComponent(ID)}`, {
      body: { mobilephone: '+447400123456' },
    });
    assert.equal(res.status, 400);
    assert.match(
      double.violations.splice(0).join(),
      /Property 'mobilephone' does not exist on type 'microsoft.graph.user'/,
    );
  });
});
