import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { EXCHANGE_ONLINE } from '../../src/domain/account';
import {
  editAccountUpdate,
  getAccountQuery,
  retryProvisioningUpdate,
  setNotesUpdate,
  takeTemporaryPasswordUpdate,
} from '../../src/workflows/definitions';
import { ADMIN, HOUR, MINUTE, lifecycleHarness, until } from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

describe('Mailbox provisioning', () => {
  it('R15: starts Pending, polls no earlier than 1 hour, backs off within bounds, and turns Active in Exchange Online', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: 3 * HOUR });
    await h.run(async () => {
      const { handle, id, requestedAt } = await h.start();
      let view = await handle.query(getAccountQuery);
      assert.equal(view.status, 'Pending');
      assert.equal(view.mailboxLocation, null);

      await h.sleep(59 * MINUTE);
      view = await handle.query(getAccountQuery);
      assert.equal(view.status, 'Pending');
      assert.deepEqual(await h.platform.operations(id, 'mailboxStatus'), [], 'no poll in the first hour');

      await h.sleep(3 * HOUR);
      view = await until(handle, (v) => v.status === 'Active', 'Active');
      assert.equal(view.mailboxLocation, EXCHANGE_ONLINE);

      const polls = (await h.platform.operations(id, 'mailboxStatus')).map(
        (op) => Date.parse(op.at) - requestedAt,
      );
      assert.ok(polls[0]! >= HOUR, `first poll ${polls[0]} ms after the request`);
      const gaps = polls.slice(1).map((t, i) => t - polls[i]!);
      assert.deepEqual(
        gaps.map((g) => Math.round(g / MINUTE)),
        [5, 10, 20, 30, 30, 30],
        'back-off doubles from 5 minutes up to a 30-minute cap',
      );
      const activatedAfter = Date.parse(view.activatedAt!) - requestedAt;
      assert.ok(
        activatedAfter >= 3 * HOUR && activatedAfter <= 3 * HOUR + 30 * MINUTE,
        `active after ${activatedAfter} ms`,
      );
    });
  });

  it('R16: at 24 hours marks the account overdue and raises one incident, and keeps polling', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: 30 * HOUR });
    await h.run(async () => {
      const { handle, id, requestedAt } = await h.start();
      await h.sleep(23 * HOUR + 50 * MINUTE);
      let view = await handle.query(getAccountQuery);
      assert.equal(view.provisioningOverdue, false, 'not overdue before 24 hours');
      assert.deepEqual(await h.incidents.list(id), []);

      await h.sleep(20 * MINUTE);
      view = await until(handle, (v) => v.provisioningOverdue, 'overdue');
      assert.equal(view.status, 'Pending');
      const [incident, ...more] = await h.incidents.list(id);
      assert.equal(more.length, 0, 'one incident');
      assert.equal(incident!.kind, 'ProvisioningOverdue');
      assert.equal(incident!.status, 'Open');
      assert.ok(Date.parse(incident!.raisedAt) - requestedAt >= 24 * HOUR, 'raised at 24 hours');
      assert.ok(view.warnings.some((w) => w.includes('overdue')));

      const pollsAt24h = (await h.platform.operations(id, 'mailboxStatus')).length;
      await h.sleep(7 * HOUR);
      view = await until(handle, (v) => v.status === 'Active', 'Active at 30 hours');
      assert.ok(
        (await h.platform.operations(id, 'mailboxStatus')).length > pollsAt24h,
        'polling went on after 24 hours',
      );
      assert.equal((await h.incidents.list(id)).length, 1, 'still one incident');
      assert.equal((await h.incidents.list(id))[0]!.status, 'Resolved');
      assert.equal(view.provisioningOverdue, false);
    });
  });

  it('R16: at 72 hours fails the provisioning, cleans up the partial account, and lets an administrator retry', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: null });
    await h.run(async () => {
      const { handle, id, requestedAt } = await h.start();
      await h.sleep(71 * HOUR + 50 * MINUTE);
      let view = await handle.query(getAccountQuery);
      assert.equal(view.status, 'Pending', 'still Pending just before 72 hours');
      assert.ok((await h.platform.inspect(id)).exists);

      await h.sleep(20 * MINUTE);
      view = await until(handle, (v) => v.status === 'ProvisioningFailed', 'ProvisioningFailed');
      assert.ok(Date.parse(view.provisioning.failedAt!) - requestedAt >= 72 * HOUR);
      assert.equal((await h.platform.inspect(id)).exists, false, 'partial account removed');
      const [incident, ...more] = await h.incidents.list(id);
      assert.equal(more.length, 0);
      assert.ok(
        incident!.notes.some((n) => n.includes('failed')),
        'incident updated',
      );
      assert.equal((await h.directory.search({ q: id, limit: 5 })).entries[0]!.status, 'ProvisioningFailed');

      const pollsAtFailure = (await h.platform.operations(id, 'mailboxStatus')).length;
      await h.sleep(5 * HOUR);
      assert.equal(
        (await h.platform.operations(id, 'mailboxStatus')).length,
        pollsAtFailure,
        'no polling after failure',
      );

      h.platform.settings.mailboxDelayMs = HOUR;
      view = await handle.executeUpdate(retryProvisioningUpdate, { args: [{ actor: ADMIN }] });
      assert.equal(view.status, 'Pending');
      assert.equal(view.provisioning.attempt, 2);
      const password = await h.temporaryPassword(handle, id);
      assert.ok((await h.platform.inspect(id)).passwordMatches(password), 'a new temporary password is set');
      await h.sleep(2 * HOUR);
      view = await until(handle, (v) => v.status === 'Active', 'Active after retry');
      assert.equal(view.email, id, 'the same address');
    });
  });

  it('R16: looks at the mailbox once more at 72 hours, and keeps one that became active since the last poll', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: 71 * HOUR + 50 * MINUTE });
    await h.run(async () => {
      const { handle, id, requestedAt } = await h.start();
      await h.sleep(72 * HOUR + MINUTE);
      const view = await until(handle, (v) => v.status !== 'Pending', 'no longer Pending');
      assert.equal(view.status, 'Active');
      assert.ok((await h.platform.inspect(id)).exists, 'the account is kept');
      const activated = Date.parse(view.activatedAt!) - requestedAt;
      assert.ok(
        activated >= 72 * HOUR && activated < 72 * HOUR + MINUTE,
        `activated at ${activated} ms, at the deadline`,
      );
      assert.equal((await h.incidents.list(id))[0]?.status, 'Resolved');
    });
  });

  it('R17: refuses attribute edits until the account is Active in Exchange Online, saying when, and changes nothing', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: 3 * HOUR });
    await h.run(async () => {
      const { handle, id } = await h.start();
      const edit = { actor: ADMIN, changes: { jobTitle: 'Consultant' } };
      const refused = await refusalOf(handle.executeUpdate(editAccountUpdate, { args: [edit] }));
      assert.match(refused.message, /Active with a mailbox location of Exchange Online/);
      assert.match(refused.message, /Pending/);
      const view = await handle.query(getAccountQuery);
      assert.equal(view.profile.jobTitle, undefined, 'nothing changed');
      assert.deepEqual(await h.platform.operations(id, 'updateAccount'), []);

      await h.sleep(3 * HOUR + 30 * MINUTE);
      await until(handle, (v) => v.status === 'Active', 'Active');
      const after = await handle.executeUpdate(editAccountUpdate, { args: [edit] });
      assert.equal(after.profile.jobTitle, 'Consultant');
    });
  });

  it('R14: notes can be changed while the account is Pending, and other administrators see them', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const notes = 'On maternity leave until 20 June 2027';
      const view = await handle.executeUpdate(setNotesUpdate, { args: [{ actor: ADMIN, notes }] });
      assert.equal(view.status, 'Pending');
      assert.equal((await handle.query(getAccountQuery)).notes, notes);
      const entry = (await h.trail(handle)).find((e) => e.action === 'Notes changed');
      assert.equal(entry?.actor.id, ADMIN.id);
    });
  });

  it('R13: sets a strong temporary password on the new account and shows it only once', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await h.start();
      const password = await h.temporaryPassword(handle, id);
      assert.ok(password.length >= 12, 'at least 12 characters');
      for (const cls of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) assert.match(password, cls);
      assert.ok(
        (await h.platform.inspect(id)).passwordMatches(password),
        'the platform account has this password',
      );
      assert.equal((await h.platform.inspect(id)).passwordMatches(`${password}x`), false);
      const second = await refusalOf(handle.executeUpdate(takeTemporaryPasswordUpdate));
      assert.match(second.message, /already been shown/);
    });
  });

  it('R13: of two requests for the password at once, one gets it and the other is refused', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const [a, b] = await Promise.allSettled([
        handle.executeUpdate(takeTemporaryPasswordUpdate),
        handle.executeUpdate(takeTemporaryPasswordUpdate),
      ]);
      assert.deepEqual([a.status, b.status].sort(), ['fulfilled', 'rejected']);
      assert.equal((await handle.describe()).status.name, 'RUNNING');
    });
  });

  it('R2: records who created the account and each change, with when and what changed', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      await h.sleep(3 * HOUR + 30 * MINUTE);
      await until(handle, (v) => v.status === 'Active', 'Active');
      const editedAt = await h.now();
      await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { lastName: 'Smythe' } }],
      });
      const trail = await h.trail(handle);
      assert.equal(trail[0]!.action, 'Account created');
      assert.equal(trail[0]!.actor.id, ADMIN.id);
      const edit = trail.find((e) => e.action === 'Attributes edited')!;
      assert.equal(edit.actor.name, ADMIN.name);
      assert.ok(Math.abs(Date.parse(edit.at) - editedAt) < 60_000, 'recorded at the time of the edit');
      assert.deepEqual(edit.changes?.lastName, { from: 'Smith', to: 'Smythe' });
      assert.ok(
        trail.some((e) => e.action === 'Mailbox active in Exchange Online' && e.actor.kind === 'system'),
      );
    });
  });
});

describe('Refusals', () => {
  it('R17: a refused edit is an Update failure, not a workflow failure', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      await assert.rejects(
        handle.executeUpdate(editAccountUpdate, { args: [{ actor: ADMIN, changes: { jobTitle: 'x' } }] }),
        WorkflowUpdateFailedError,
      );
      assert.equal((await handle.describe()).status.name, 'RUNNING');
    });
  });
});
