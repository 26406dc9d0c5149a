import assert from 'node:assert/strict';
import { EXCHANGE_ONLINE } from '../../src/domain/account';
import { getAccount } from '../../src/workflows/definitions';
import { HOUR, MINUTE, lifecycleHarness, until } from '../helpers/lifecycle-harness';

describe('Mailbox provisioning', () => {
  it('R15: starts Pending, polls no earlier than 1 hour, backs off within bounds, and turns Active in Exchange Online', async () => {
    const h = await lifecycleHarness({ mailboxDelayMs: 3 * HOUR });
    await h.run(async () => {
      const { handle, id, requestedAt } = await h.start();
      let view = await handle.query(getAccount);
      assert.equal(view.status, 'Pending');
      assert.equal(view.mailboxLocation, null);

      await h.sleep(59 * MINUTE);
      view = await handle.query(getAccount);
      assert.equal(view.status, 'Pending');
      assert.deepEqual(h.platform.operations(id, 'mailboxStatus'), [], 'no poll in the first hour');

      await h.sleep(3 * HOUR);
      view = await until(handle, (v) => v.status === 'Active', 'Active');
      assert.equal(view.mailboxLocation, EXCHANGE_ONLINE);

      const polls = h.platform.operations(id, 'mailboxStatus').map((op) => Date.parse(op.at) - requestedAt);
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
});
