import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decrypt, encrypt } from './aes-gcm';
import { derivedKey, type KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const PURPOSE = 'temporal-payload-codec';

/**
 * Encrypts every payload with AES-GCM, so Temporal's history holds no plain-text personal data.
 * The key id travels in the payload's metadata, so keys can rotate and old histories stay readable.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.ring.activeKeyId;
    const key = this.key(keyId);
    return payloads.map((payload) => ({
      metadata: {
        encoding: new TextEncoder().encode(ENCRYPTED_ENCODING),
        [KEY_ID]: new TextEncoder().encode(keyId),
      },
      data: encrypt(key, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding && new TextDecoder().decode(payload.metadata.encoding);
      if (encoding !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      if (!keyIdBytes || !payload.data) throw new Error('Encrypted payload without key id or data');
      const plain = decrypt(this.key(new TextDecoder().decode(keyIdBytes)), payload.data);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }

  private key(keyId: string): Buffer {
    let key = this.keys.get(keyId);
    if (!key) {
      key = derivedKey(this.ring, keyId, PURPOSE);
      this.keys.set(keyId, key);
    }
    return key;
  }
}
