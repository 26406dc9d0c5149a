import { decrypt, encrypt } from './aes-gcm';
import { purposeKeys, type KeyRing } from './key-ring';

const PURPOSE = 'audit-entry-seal';

/**
 * Seals what an audit entry says (the actor's name, the action, the changes and details, which may hold a
 * phone number or notes) under a key of its own, bound to the entry's place (`context`), so that the store
 * holds no personal data in plain text and a sealed entry cannot be passed off as another.
 */
export class AuditSealer {
  private readonly key: (keyId: string) => Buffer;

  constructor(private readonly ring: KeyRing) {
    this.key = purposeKeys(ring, PURPOSE);
  }

  seal(value: unknown, context: string): string {
    const keyId = this.ring.activeKeyId;
    const sealed = encrypt(this.key(keyId), Buffer.from(JSON.stringify(value)), Buffer.from(context));
    return `${keyId}.${sealed.toString('base64url')}`;
  }

  /** The sealed value; throws UnknownAuditKey when the key it was sealed with is no longer configured. */
  unseal(sealed: string, context: string): unknown {
    const dot = sealed.indexOf('.');
    const keyId = sealed.slice(0, dot);
    if (!this.ring.keys.has(keyId)) throw new UnknownAuditKey(keyId);
    const data = Buffer.from(sealed.slice(dot + 1), 'base64url');
    return JSON.parse(decrypt(this.key(keyId), data, Buffer.from(context)).toString()) as unknown;
  }
}

/** An entry sealed under a key that ENCRYPTION_KEYS no longer lists. */
export class UnknownAuditKey extends Error {
  constructor(readonly keyId: string) {
    super(`sealed under key "${keyId}", which ENCRYPTION_KEYS no longer lists`);
  }
}
