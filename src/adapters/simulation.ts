import crypto from 'node:crypto';
import { EXCHANGE_ONLINE } from '../domain/account';
import type { AccountChanges, MailboxStatus } from '../ports/mail-platform';
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

/**
 * The platform keeps only a salted hash of the temporary password. A temporary password is 16 characters
 * drawn at random from 69 (about 97 bits), so a salted SHA-256 is as strong a store for it as a slow key
 * derivation, which exists for passwords people choose. Hashes written by an earlier version with scrypt
 * still verify.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  return `sha256:${salt.toString('base64')}:${sha256(salt, password).toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split(':');
  const saltBytes = Buffer.from(salt!, 'base64');
  const actual =
    scheme === 'scrypt' ? crypto.scryptSync(password, saltBytes, 32) : sha256(saltBytes, password);
  return crypto.timingSafeEqual(actual, Buffer.from(hash!, 'base64'));
}

const sha256 = (salt: Buffer, password: string) =>
  crypto.createHash('sha256').update(salt).update(password, 'utf8').digest();

/** What the simulation records of an update: the name and the organisation, never a phone number. */
export function updateDetail(changes: AccountChanges): string {
  return [changes.displayName, changes.organisationCode].filter(Boolean).join(', ');
}
