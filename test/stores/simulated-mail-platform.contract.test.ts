import assert from 'node:assert/strict';
import { EXCHANGE_ONLINE } from '../../src/domain/account';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ID = 'grace.hopper@nhs.net';
const ACCOUNT = { accountId: ID, email: ID, displayName: 'Grace Hopper', organisationCode: 'RJ1' };

for (const backend of STORE_BACKENDS) {
  describe(`Simulated mail platform contract: ${backend.name}`, () => {
    let now: number;
    let stores: TestStores;
    let platform: TestStores['platform'];
    beforeEach(async function () {
      now = Date.parse('2026-03-01T09:00:00Z');
      stores = await backend.open(this, {
        clock: () => new Date(now),
        simulation: { mailboxDelayMs: 3 * HOUR, syncDelayMs: 30 * MINUTE },
      });
      platform = stores.platform;
    });
    afterEach(() => stores?.close());
    const names = async (operation?: string) =>
      (await platform.operations(ID, operation)).map((o) => o.operation);

    it('R13, R15: creates one account, whose mailbox is created once its delay has passed', async () => {
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Absent' });
      await platform.createAccount(ACCOUNT, 'first-Password-1');
      await platform.createAccount(ACCOUNT, 'second-Password-2');
      const held = await platform.inspect(ID);
      assert.equal(held.exists, true);
      assert.equal(held.organisationCode, 'RJ1');
      assert.equal(held.passwordMatches('second-Password-2'), true, 'a repeat sets the password again');
      assert.equal(held.passwordMatches('first-Password-1'), false);
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Provisioning' });
      now += 3 * HOUR;
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Created', location: EXCHANGE_ONLINE });
      assert.deepEqual(await names(), [
        'mailboxStatus',
        'createAccount',
        'setPassword',
        'mailboxStatus',
        'mailboxStatus',
      ]);
      const [created] = await platform.operations(ID, 'createAccount');
      assert.deepEqual(created, {
        at: '2026-03-01T09:00:00.000Z',
        accountId: ID,
        operation: 'createAccount',
        detail: ID,
      });
    });

    it('R16: a mailbox never created when its delay is never; the settings are read at each call', async () => {
      platform.settings.mailboxDelayMs = null;
      await platform.createAccount(ACCOUNT, 'Password-1');
      now += 100 * HOUR;
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Provisioning' });
      platform.settings.mailboxDelayMs = HOUR;
      assert.equal((await platform.mailboxStatus(ID)).state, 'Created');
    });

    it('R20: the sync completes its delay after it began, and begins once', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      assert.deepEqual(await platform.syncStatus(ID), { complete: false });
      await platform.beginSync(ID);
      now += 10 * MINUTE;
      await platform.beginSync(ID);
      now += 20 * MINUTE;
      assert.deepEqual(await platform.syncStatus(ID), { complete: true }, '30 minutes after the first');
      assert.equal((await names('beginSync')).length, 1);
    });

    it('R21, R14a: groups and policies change once however often asked', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      for (const group of ['B-Group', 'A-Group', 'B-Group']) await platform.addToGroup(ID, group);
      await platform.assignPolicy(ID, 'Policy 1');
      await platform.assignPolicy(ID, 'Policy 1');
      assert.deepEqual((await platform.inspect(ID)).groups, ['A-Group', 'B-Group']);
      assert.equal((await platform.inspect(ID)).policy, 'Policy 1');
      await platform.removeFromGroup(ID, 'B-Group');
      await platform.removeFromGroup(ID, 'B-Group');
      await platform.assignPolicy(ID, 'Policy 2');
      await platform.removePolicy(ID);
      await platform.removePolicy(ID);
      assert.deepEqual((await platform.inspect(ID)).groups, ['A-Group']);
      assert.equal((await platform.inspect(ID)).policy, null);
      assert.deepEqual(await names('addToGroup'), ['addToGroup', 'addToGroup']);
      assert.deepEqual(
        (await platform.operations(ID, 'assignPolicy')).map((o) => o.detail),
        ['Policy 1', 'Policy 2'],
      );
      assert.deepEqual(await names('removeFromGroup'), ['removeFromGroup']);
      assert.deepEqual(await names('removePolicy'), ['removePolicy']);
    });

    it('R7: disables with its reason and enables, each once', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.disable(ID, 'Non-UK phone');
      await platform.disable(ID, 'Non-UK phone');
      assert.deepEqual(
        [(await platform.inspect(ID)).enabled, (await platform.inspect(ID)).disabledReason],
        [false, 'Non-UK phone'],
      );
      await platform.enable(ID);
      await platform.enable(ID);
      assert.deepEqual(
        [(await platform.inspect(ID)).enabled, (await platform.inspect(ID)).disabledReason],
        [true, null],
      );
      assert.deepEqual(await names('disable'), ['disable']);
      assert.deepEqual(await names('enable'), ['enable']);
    });

    it('R32, R16: deletes the account with its memberships and policy, restores it, and recreates it afresh', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.addToGroup(ID, 'A-Group');
      await platform.assignPolicy(ID, 'Policy 1');
      await platform.deleteAccount(ID);
      await platform.deleteAccount(ID);
      const gone = await platform.inspect(ID);
      assert.deepEqual([gone.exists, gone.groups, gone.policy], [false, [], null]);
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Absent' });
      await platform.restoreAccount(ID);
      await platform.restoreAccount(ID);
      assert.equal((await platform.inspect(ID)).exists, true);
      assert.deepEqual(await names('deleteAccount'), ['deleteAccount']);
      assert.deepEqual(await names('restoreAccount'), ['restoreAccount']);

      await platform.deleteAccount(ID);
      now += HOUR;
      await platform.createAccount(ACCOUNT, 'Password-2');
      assert.equal((await platform.mailboxStatus(ID)).state, 'Provisioning', 'a new mailbox, requested now');
      assert.equal((await platform.inspect(ID)).passwordMatches('Password-2'), true);
    });

    it('R28, R29, R25: notifies once per key, resets, revokes, renames, and sets passwords', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.notify(ID, 'leaver-1', 'You are a leaver');
      await platform.notify(ID, 'leaver-1', 'You are a leaver');
      await platform.resetAupAndSecret(ID);
      await platform.revokeSessions(ID);
      await platform.setPassword(ID, 'Password-3');
      await platform.updateAccount(ID, { displayName: 'Grace B. Hopper', organisationCode: 'RRV' });
      assert.deepEqual(
        (await platform.operations(ID, 'notify')).map((o) => o.detail),
        ['You are a leaver'],
      );
      assert.deepEqual(
        (await platform.operations(ID, 'updateAccount')).map((o) => o.detail),
        ['Grace B. Hopper, RRV'],
      );
      const held = await platform.inspect(ID);
      assert.equal(held.passwordMatches('Password-3'), true);
      assert.equal(held.organisationCode, 'RRV');
      assert.deepEqual((await names()).slice(-4), [
        'resetAupAndSecret',
        'revokeSessions',
        'setPassword',
        'updateAccount',
      ]);
    });

    it('holds nothing for an account never created', async () => {
      const none = await platform.inspect('nobody@nhs.net');
      assert.deepEqual(
        [none.exists, none.enabled, none.groups, none.policy, none.organisationCode],
        [false, false, [], null, null],
      );
      assert.equal(none.passwordMatches('anything'), false);
      assert.deepEqual(await platform.operations('nobody@nhs.net'), []);
    });
  });
}
