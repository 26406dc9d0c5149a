import assert from 'node:assert/strict';
import { EXCHANGE_ONLINE } from '../../src/domain/account';
import type { MailPlatform } from '../../src/ports/mail-platform';
import { graphDouble } from '../helpers/graph-platform';
import { STORE_BACKENDS } from '../helpers/store-backends';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ID = 'grace.hopper@nhs.net';
const ACCOUNT = {
  accountId: ID,
  email: ID,
  displayName: 'Grace Hopper',
  organisationCode: 'RJ1',
  firstName: 'Grace',
  lastName: 'Hopper',
  jobTitle: 'Consultant',
  mobile: '+447400123456',
};
const MFA = 'NHSmail-MFA-Standard-CA';
const POLICY_1 = 'GSTT Standard User Policy';
const POLICY_2 = 'UCLH Clinical User Policy';

/** A MailPlatform and what a test may see of the platform behind it, whose clock the test moves. */
interface PlatformUnderTest {
  platform: MailPlatform;
  advance(ms: number): void;
  /** The user signs in, as the platform sees it. */
  signIn(id: string): Promise<void>;
  held(id: string): Promise<{ exists: boolean; enabled: boolean; groups: string[]; policy: string | null }>;
  passwordMatches(id: string, password: string): Promise<boolean>;
  notices(id: string): Promise<number>;
  close(): Promise<void>;
}

const start = Date.parse('2026-03-01T09:00:00Z');

const BACKENDS: { name: string; open(test: Mocha.Context): Promise<PlatformUnderTest> }[] = [
  ...STORE_BACKENDS.map((backend) => ({
    name: `the simulator (${backend.name})`,
    async open(test: Mocha.Context): Promise<PlatformUnderTest> {
      let now = start;
      const stores = await backend.open(test, {
        clock: () => new Date(now),
        simulation: { mailboxDelayMs: 3 * HOUR, syncDelayMs: 30 * MINUTE },
      });
      const p = stores.platform;
      return {
        platform: p,
        advance: (ms) => void (now += ms),
        signIn: (id) => p.signIn(id),
        held: async (id) => {
          const { exists, enabled, groups, policy } = await p.inspect(id);
          return { exists, enabled, groups, policy };
        },
        passwordMatches: async (id, password) => (await p.inspect(id)).passwordMatches(password),
        notices: async (id) => (await p.operations(id, 'notify')).length,
        close: () => stores.close(),
      };
    },
  })),
  {
    name: 'Microsoft Graph (the double)',
    async open(): Promise<PlatformUnderTest> {
      let now = start;
      const { double, platform } = await graphDouble({
        mailboxDelayMs: 3 * HOUR,
        servicesDelayMs: 30 * MINUTE,
      });
      double.now = () => now;
      const policies = new Set([POLICY_1, POLICY_2, 'Leeds Teaching Hospitals User Policy']);
      return {
        platform,
        advance: (ms) => void (now += ms),
        signIn: async (id) => double.signIn(id),
        held: async (id) => {
          const held = double.inspect(id);
          return {
            exists: held.exists,
            enabled: held.body?.accountEnabled === true,
            groups: held.groups.filter((g) => !policies.has(g)),
            policy: held.groups.find((g) => policies.has(g)) ?? null,
          };
        },
        passwordMatches: async (id, password) => double.inspect(id).password === password,
        notices: async (id) => double.sentMail.filter((m) => m.to === id).length,
        close: async () => {
          assert.deepEqual(double.violations, [], "every request as Graph's description allows");
          await double.stop();
        },
      };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`Mail platform contract: ${backend.name}`, () => {
    let t: PlatformUnderTest;
    let platform: MailPlatform;
    beforeEach(async function () {
      t = await backend.open(this);
      platform = t.platform;
    });
    afterEach(() => t?.close());

    it('R13, R15: creates one account, whose mailbox is ready once provisioned; a repeat sets the password again', async () => {
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Absent' });
      await platform.createAccount(ACCOUNT, 'first-Password-1');
      await platform.createAccount(ACCOUNT, 'second-Password-2');
      assert.equal((await t.held(ID)).exists, true);
      assert.equal(
        await t.passwordMatches(ID, 'second-Password-2'),
        true,
        'a repeat sets the password again',
      );
      assert.equal(await t.passwordMatches(ID, 'first-Password-1'), false);
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Provisioning' });
      t.advance(3 * HOUR);
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Created', location: EXCHANGE_ONLINE });
    });

    it('R20: the sync begun after the AUP completes in time, and beginning it again is harmless', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      t.advance(3 * HOUR);
      await platform.beginSync(ID);
      await platform.beginSync(ID);
      t.advance(30 * MINUTE);
      assert.deepEqual(await platform.syncStatus(ID), { complete: true });
    });

    it('R21, R14a: groups and policies change once however often asked; a policy replaces the one before', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.addToGroup(ID, MFA);
      await platform.addToGroup(ID, MFA);
      await platform.assignPolicy(ID, POLICY_1);
      await platform.assignPolicy(ID, POLICY_1);
      assert.deepEqual(await t.held(ID), { exists: true, enabled: true, groups: [MFA], policy: POLICY_1 });
      await platform.assignPolicy(ID, POLICY_2);
      assert.equal((await t.held(ID)).policy, POLICY_2);
      await platform.removeFromGroup(ID, MFA);
      await platform.removeFromGroup(ID, MFA);
      await platform.removePolicy(ID);
      await platform.removePolicy(ID);
      assert.deepEqual(await t.held(ID), { exists: true, enabled: true, groups: [], policy: null });
    });

    it('R7: disables and enables, each however often asked', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.disable(ID, 'NonUkMobile');
      await platform.disable(ID, 'NonUkMobile');
      assert.equal((await t.held(ID)).enabled, false);
      await platform.enable(ID);
      await platform.enable(ID);
      assert.equal((await t.held(ID)).enabled, true);
    });

    it('R32, R16: deletes the account with its memberships, restores it once, and makes it afresh after a delete', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.addToGroup(ID, MFA);
      await platform.assignPolicy(ID, POLICY_1);
      await platform.deleteAccount(ID);
      await platform.deleteAccount(ID);
      const gone = await t.held(ID);
      assert.deepEqual([gone.exists, gone.groups, gone.policy], [false, [], null]);
      assert.deepEqual(await platform.mailboxStatus(ID), { state: 'Absent' });
      await platform.restoreAccount(ID);
      await platform.restoreAccount(ID);
      assert.equal((await t.held(ID)).exists, true);
      await platform.deleteAccount(ID);
      t.advance(HOUR);
      await platform.createAccount(ACCOUNT, 'Password-2');
      assert.equal((await platform.mailboxStatus(ID)).state, 'Provisioning', 'a new mailbox, requested now');
      assert.equal(await t.passwordMatches(ID, 'Password-2'), true);
    });

    it('R30: says the last sign-in it knows of, and none before the first or for an account it does not hold', async () => {
      assert.equal(await platform.lastSignIn('nobody@nhs.net'), null);
      await platform.createAccount(ACCOUNT, 'Password-1');
      assert.equal(await platform.lastSignIn(ID), null);
      t.advance(5 * HOUR);
      await t.signIn(ID);
      assert.equal(await platform.lastSignIn(ID), new Date(start + 5 * HOUR).toISOString());
    });

    it('R28, R29, R25: notifies once per key; resets, revokes, renames and sets passwords', async () => {
      await platform.createAccount(ACCOUNT, 'Password-1');
      await platform.notify(ID, 'leaver-1', 'You are a leaver');
      await platform.notify(ID, 'leaver-1', 'You are a leaver');
      assert.equal(await t.notices(ID), 1);
      await platform.resetAupAndSecret(ID);
      await platform.revokeSessions(ID);
      await platform.setPassword(ID, 'Password-3');
      await platform.updateAccount(ID, {
        displayName: 'Grace B. Hopper',
        organisationCode: 'RRV',
        jobTitle: null,
      });
      assert.equal(await t.passwordMatches(ID, 'Password-3'), true);
    });
  });
}
