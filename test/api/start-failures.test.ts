import assert from 'node:assert/strict';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Directory } from '../../src/adapters/directory';
import { createAccount } from '../../src/api/routes/create-account';
import { PasswordSealer } from '../../src/crypto/password-sealer';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { testKeyRing } from '../helpers/test-keys';

const ADMIN = { kind: 'national-admin', id: 'n', name: 'N' } as const;
const BODY = {
  title: 'Dr',
  firstName: 'Ada',
  lastName: 'Start',
  emailAlias: 'nhs.net',
  organisation: 'RJ1',
};
const unavailable = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });

/** createAccount over stand-ins: a directory that records releases, a client whose start fails. */
function world(exists: 'yes' | 'no' | 'unknown') {
  const released: string[] = [];
  const directory = {
    reserve: async () => ({ kind: 'reserved', id: 'ada.start@nhs.net', email: 'ada.start@nhs.net' }),
    release: async (id: string) => void released.push(id),
  } as unknown as Directory;
  const sealer = new PasswordSealer(testKeyRing);
  const handle = {
    describe: async () => {
      if (exists === 'yes') return {};
      throw exists === 'no' ? new WorkflowNotFoundError('gone', 'w', undefined) : unavailable;
    },
    executeUpdate: async () => ({
      sealedTemporaryPassword: sealer.seal('Secret-123-abc', 'ada.start@nhs.net'),
    }),
  };
  const client = {
    workflow: {
      start: async () => {
        throw unavailable;
      },
      getHandle: () => handle,
    },
    connection: { withDeadline: (_d: number, call: () => Promise<unknown>) => call() },
  } as unknown as Client;
  const deps = { client, directory, sealer, taskQueue: 'q', policy: DEFAULT_POLICY };
  return { deps, released };
}

describe('Creating an account when the workflow start fails', () => {
  it('R11: gives the address back only when the lifecycle certainly was not started', async () => {
    const notStarted = world('no');
    await assert.rejects(createAccount(notStarted.deps, ADMIN, BODY), /UNAVAILABLE/);
    assert.deepEqual(notStarted.released, ['ada.start@nhs.net']);

    const unknown = world('unknown');
    await assert.rejects(createAccount(unknown.deps, ADMIN, BODY), /UNAVAILABLE/);
    assert.deepEqual(unknown.released, [], 'kept: the start may have happened');
  });

  it('R11: carries on with a lifecycle that was started although the start call failed', async () => {
    const started = world('yes');
    const created = await createAccount(started.deps, ADMIN, BODY);
    assert.equal(created.temporaryPassword, 'Secret-123-abc');
    assert.deepEqual(started.released, []);
  });
});
