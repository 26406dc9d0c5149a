import { decrypt, encrypt } from './aes-gcm';
import { purposeKeys, type KeyRing } from './key-ring';

const PURPOSE = 'temporary-password-seal';

/**
 * Seals a temporary password for its one trip from the activity that set it to the API that shows it,
 * under a key of its own: even an operator who may decode payloads in Temporal Web sees only the seal.
 * The account id is bound in, so a seal cannot be replayed for another account.
 */
export class PasswordSealer {
  private readonly key: (keyId: string) => Buffer;

  constructor(private readonly ring: KeyRing) {
    this.key = purposeKeys(ring, PURPOSE);
  }

  seal(password: string, accountId: string): string {
    const keyId = this.ring.activeKeyId;
    const sealed = encrypt(this.key(keyId), Buffer.from(password), Buffer.from(accountId));
    return `${keyId}.${sealed.toString('base64url')}`;
  }

  unseal(sealed: string, accountId: string): string {
    const dot = sealed.indexOf('.');
    const keyId = sealed.slice(0, dot);
    const data = Buffer.from(sealed.slice(dot + 1), 'base64url');
    return decrypt(this.key(keyId), data, Buffer.from(accountId)).toString();
  }
}
