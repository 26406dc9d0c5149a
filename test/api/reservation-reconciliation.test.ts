import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { getAccountHistoryQuery } from '../../src/workflows/definitions';
import { reconcileReservations } from '../../src/workflows';
import type { ReconciliationReport } from '../../src/workflows/reconcile-reservations';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';

let runs = 0;
/** One run of the reconciliation the Schedule runs every minute, on the test's worker. */
function reconcile(h: ApiHarness): Promise<ReconciliationReport> {
  return h.client.workflow.execute(reconcileReservations, {
    taskQueue: h.taskQueue,
    workflowId: `reconcile-test-${process.pid}-${++runs}`,
  });
}

const lifecycleExists = (h: ApiHarness, id: string) =>
  h.client.workflow
    .getHandle(accountWorkflowId(id))
    .describe()
    .then(
      () => true,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      },
    );

/** A create whose lifecycle start fails after the address was reserved (Temporal down at that moment). */
async function createDuringOutage(h: ApiHarness, key: string, person = newPerson()) {
  h.faults.failStarts = 1;
  const res = await h.api
    .post('/v1/accounts')
    .set(bearer(TOKENS.gstt))
    .set('Idempotency-Key', key)
    .send(person);
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const id = res.body.id as string;
  assert.equal(res.headers.location, `/v1/accounts/${encodeURIComponent(id)}`);
  assert.equal(res.body.status, 'Pending');
  assert.equal(res.body.temporaryPassword, null);
  assert.match(res.body.warnings.at(-1), /reserved.*starts by itself as soon as Temporal is back/s);
  assert.equal(await lifecycleExists(h, id), false, 'the window is open: an address without a lifecycle');
  return { id, person };
}

describe('No account left behind: a reservation always gets its lifecycle', () => {
  it('R11: reconciliation starts the lifecycle of a reservation whose start failed, then the repeat shows the password once', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await createDuringOutage(h, 'outage-1');

      const report = await reconcile(h);
      assert.ok(report.started.includes(id), `repaired: ${JSON.stringify(report)}`);
      assert.match(
        await h.metrics.registry.metrics(),
        /^nhsmail_reconciliation_repairs_total\{outcome="lifecycle-started"\} 1$/m,
        'counted as a repair',
      );
      assert.equal(await lifecycleExists(h, id), true);
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      const again = await reconcile(h);
      assert.ok(!again.started.includes(id) && !again.wereRunning.includes(id), 'nothing left to repair');

      const get = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(get.status, 200);
      assert.equal(get.body.status, 'Pending');

      const repeat = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'outage-1')
        .send(person);
      assert.equal(repeat.status, 201, JSON.stringify(repeat.body));
      assert.equal(repeat.body.id, id);
      assert.ok(repeat.body.temporaryPassword, 'nobody saw the password yet: the repeat shows it (R13)');
      assert.ok((await h.platform.inspect(id)).passwordMatches(repeat.body.temporaryPassword));
      const third = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'outage-1')
        .send(person);
      assert.equal(third.status, 201);
      assert.equal(third.headers['idempotent-replayed'], 'true');
      assert.equal(third.body.temporaryPassword, null, 'shown once only');
      const trail = await h.client.workflow.getHandle(accountWorkflowId(id)).query(getAccountHistoryQuery);
      assert.equal(trail.filter((e) => e.action === 'Account created').length, 1);
    });
  });

  it('R11: a repeat with the same Idempotency-Key finishes the start itself, at once', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await createDuringOutage(h, 'outage-2');
      const repeat = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'outage-2')
        .send(person);
      assert.equal(repeat.status, 201, JSON.stringify(repeat.body));
      assert.equal(repeat.body.id, id);
      assert.ok(repeat.body.temporaryPassword);
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      assert.equal(h.starts(), 1, 'one lifecycle');
    });
  });

  it('R12: without a key, the repeat finds the reserved account as a duplicate, and that account answers', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await createDuringOutage(h, 'outage-3');
      const repeat = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(repeat.status, 409);
      assert.equal(repeat.body.existing.id, id);
      const get = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(get.status, 200, 'the account route starts a lifecycle the outage left unstarted');
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      assert.equal((await reconcile(h)).started.includes(id), false, 'nothing left for reconciliation');
    });
  });

  it('R11: a create whose start Temporal did not answer is a success (202), so a client retrying without a key makes no second account', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const person = { ...newPerson(), confirmNotDuplicate: true };
      h.faults.failStarts = 1;
      const first = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.match(
        first.body.warnings.at(-1),
        /Do not create it again.*resecure the account once it is Active/s,
      );
      // Every HTTP client and retry library repeats a 5xx; none repeats a 2xx. Here a careless one repeats anyway:
      const again = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(person);
      assert.equal(again.status, 409, 'a repeat finds the reserved account (R12), it makes no second one');
      assert.equal(again.body.existing.id, first.body.id);
      const report = await reconcile(h);
      assert.ok(report.started.includes(first.body.id), JSON.stringify(report));
      h.track(h.client.workflow.getHandle(accountWorkflowId(first.body.id)));
      const listed = await h.api
        .get('/v1/accounts')
        .query({ q: `${person.firstName} ${person.lastName}` })
        .set(bearer(TOKENS.gstt));
      assert.deepEqual(
        listed.body.items.map((a: { id: string }) => a.id),
        [first.body.id],
        'one account for the person',
      );
    });
  });

  it('R11: a repeat with the same key while Temporal still does not answer is 202 again, then 201 with the password once it does', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id, person } = await createDuringOutage(h, 'outage-4');
      h.faults.failStarts = 1;
      const during = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'outage-4')
        .send(person);
      assert.equal(during.status, 202, JSON.stringify(during.body));
      assert.equal(during.body.id, id);
      const after = await h.api
        .post('/v1/accounts')
        .set(bearer(TOKENS.gstt))
        .set('Idempotency-Key', 'outage-4')
        .send(person);
      assert.equal(after.status, 201, JSON.stringify(after.body));
      assert.ok(after.body.temporaryPassword, 'shown now, once (R13)');
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      assert.equal(h.starts(), 1, 'one lifecycle');
    });
  });

  it('R11: a lifecycle that started but was not marked started is found running, not started twice', async () => {
    const h = await apiHarness();
    const lifecycleStarted = h.directory.lifecycleStarted.bind(h.directory);
    h.directory.lifecycleStarted = async () => {
      throw new Error('crashed before marking the start (injected)');
    };
    await h.run(async () => {
      const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      assert.equal(res.status, 201);
      h.directory.lifecycleStarted = lifecycleStarted;
      const report = await reconcile(h);
      assert.ok(report.wereRunning.includes(res.body.id), JSON.stringify(report));
      assert.ok(!report.started.includes(res.body.id));
      assert.equal(h.starts(), 1);
    });
  });
});
