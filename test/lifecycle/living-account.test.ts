import assert from 'node:assert/strict';
import {
  editAccountUpdate,
  getAccountQuery,
  setDirectoryVisibilityUpdate,
} from '../../src/workflows/definitions';
import { ADMIN, activeAccount, lifecycleHarness, ukTestMobile } from '../helpers/lifecycle-harness';
import { refusalOf } from '../helpers/refusal';

describe('Living with the account', () => {
  it('R5: the display name is "First Last", set at creation and recomputed when a name changes', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id, view } = await activeAccount(h, {
        profile: { firstName: 'Aoife', lastName: "O'Neil" },
      });
      assert.equal(view.displayName, "Aoife O'Neil");
      const edited = await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { lastName: 'Smith-Jones' } }],
      });
      assert.equal(edited.displayName, 'Aoife Smith-Jones');
      assert.equal((await h.platform.operations(id, 'updateAccount')).at(-1)?.detail, 'Aoife Smith-Jones');
      assert.equal((await h.directory.get(id))?.displayName, 'Aoife Smith-Jones');
    });
  });

  it('R25: once Active, an edit applies at once and the directory entry is updated', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle, id } = await activeAccount(h);
      const telephone = '+442071234567';
      const view = await handle.executeUpdate(editAccountUpdate, {
        args: [
          {
            actor: ADMIN,
            changes: { jobTitle: 'Consultant Cardiologist', telephone, clinicalRoles: ['R8000', 'R8003'] },
          },
        ],
      });
      assert.equal(view.profile.jobTitle, 'Consultant Cardiologist');
      const entry = await h.directory.get(id);
      assert.equal(entry?.jobTitle, 'Consultant Cardiologist');
      assert.equal(entry?.telephone, telephone);
      assert.deepEqual(entry?.clinicalRoles, ['R8000', 'R8003']);
      const cleared = await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { jobTitle: null } }],
      });
      assert.equal(cleared.profile.jobTitle, undefined, 'a null clears an optional field');
      assert.equal((await h.directory.get(id))?.jobTitle, undefined);
    });
  });

  it('R26: accounts are searchable in the directory by name, organisation and role', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { id } = await activeAccount(h, {
        organisation: 'RR8',
        profile: { firstName: 'Priya', lastName: 'Raman', clinicalRoles: ['R8016'] },
      });
      const byName = await h.directory.search({ q: 'priya raman', limit: 10 });
      assert.ok(byName.entries.some((e) => e.id === id));
      const byOrg = await h.directory.search({ organisation: 'RR8', limit: 50 });
      assert.ok(byOrg.entries.some((e) => e.id === id));
      assert.ok(byOrg.entries.every((e) => e.organisationCode === 'RR8'));
      const byRole = await h.directory.search({ role: 'R8016', limit: 50 });
      assert.ok(byRole.entries.some((e) => e.id === id));
      const otherRole = await h.directory.search({ role: 'R8007', q: 'raman', limit: 50 });
      assert.ok(!otherRole.entries.some((e) => e.id === id));
    });
  });

  it("R26: a user's phone numbers can be hidden from the directory and shown again", async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const mobile = ukTestMobile();
      const { handle, id } = await activeAccount(h, { profile: { mobile } });
      assert.equal((await h.directory.get(id))?.mobile, mobile);
      let view = await handle.executeUpdate(setDirectoryVisibilityUpdate, {
        args: [{ actor: ADMIN, hidden: true }],
      });
      assert.equal(view.phonesHiddenInDirectory, true);
      const hidden = await h.directory.get(id);
      assert.equal(hidden?.mobile, undefined, 'hidden from directory users');
      assert.ok(
        (await h.directory.search({ q: 'john', limit: 100 })).entries.every((e) => e.mobile !== mobile),
      );
      assert.equal(
        (await handle.query(getAccountQuery)).profile.mobile,
        mobile,
        'administrators still see it',
      );
      view = await handle.executeUpdate(setDirectoryVisibilityUpdate, {
        args: [{ actor: ADMIN, hidden: false }],
      });
      assert.equal(view.phonesHiddenInDirectory, false);
      assert.equal((await h.directory.get(id))?.mobile, mobile);
      const trail = await h.trail(handle);
      assert.ok(trail.some((e) => e.action === 'Phone numbers hidden in the directory'));
    });
  });

  it('R26, R17: phone visibility is an attribute too: not before the account is Active', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await h.start();
      const refused = await refusalOf(
        handle.executeUpdate(setDirectoryVisibilityUpdate, { args: [{ actor: ADMIN, hidden: true }] }),
      );
      assert.match(refused.message, /Active/);
    });
  });

  it("R14a: a new account joins its organisation's default policy where that is not the national user policy", async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const trust = await activeAccount(h, { organisation: 'RJ1' });
      assert.equal((await h.platform.inspect(trust.id)).policy, 'GSTT Standard User Policy');
      assert.equal(trust.view.defaultPolicy, 'GSTT Standard User Policy');
      const practice = await activeAccount(h, { organisation: 'A81001', profile: { firstName: 'Sam' } });
      assert.equal(
        (await h.platform.inspect(practice.id)).policy,
        null,
        'national user policy: nothing to add',
      );
      assert.equal(practice.view.defaultPolicy, null);
    });
  });

  it('R27: an account of a connector-managed organisation carries the connector warning', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await activeAccount(h, { organisation: 'R0A' });
      const view = await handle.executeUpdate(editAccountUpdate, {
        args: [{ actor: ADMIN, changes: { jobTitle: 'Nurse' } }],
      });
      assert.ok(view.warnings.some((w) => w.includes('connector managed')));
    });
  });
});
