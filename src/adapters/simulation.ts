import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { EXCHANGE_ONLINE } from '../domain/account';
import type { MailboxStatus } from '../ports/mail-platform';
import type { SimulationSettings } from '../ports/simulated-mail-platform';

/** The simulated mailbox of a live account requested at `requestedAt`: created once its delay has passed. */
export function simulatedMailbox(
  requestedAt: number | undefined,
  now: number,
  settings: SimulationSettings,
): MailboxStatus {
  if (requestedAt === undefined) return { state: 'Absent' };
  const { mailboxDelayMs } = settings;
  if (mailboxDelayMs !== null && now >= requestedAt + mailboxDelayMs) {
    return { state: 'Created', location: EXCHANGE_ONLINE };
  }
  return { state: 'Provisioning' };
}

/** Whether the simulated sync, begun at `syncStartedAt` (null: not begun), is complete. */
export function simulatedSyncComplete(
  syncStartedAt: number | null | undefined,
  now: number,
  settings: SimulationSettings,
): boolean {
  const { syncDelayMs } = settings;
  return (
    syncStartedAt !== null &&
    syncStartedAt !== undefined &&
    syncDelayMs !== null &&
    now >= syncStartedAt + syncDelayMs
  );
}

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;

/**
 * The platform keeps only a salted hash of the temporary password; hashed on libuv's thread pool, as a
 * synchronous scrypt would stop the event loop of the process (API and worker in one) for tens of ms.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  return `scrypt:${salt.toString('base64')}:${(await scrypt(password, salt, 32)).toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split(':');
  const actual = crypto.scryptSync(password, Buffer.from(salt!, 'base64'), 32);
  return crypto.timingSafeEqual(actual, Buffer.from(hash!, 'base64'));
}
