import type { DataConverter } from '@temporalio/common';
import type { KeyRing } from '../../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';

/** A fixed, public key for tests only, so recorded histories can be replayed in every run. */
export const testKeyRing: KeyRing = {
  activeKeyId: 'test-key-1',
  keys: new Map([['test-key-1', Buffer.alloc(32, 0x5a)]]),
};

export const testDataConverter: DataConverter = { payloadCodecs: [new AesGcmPayloadCodec(testKeyRing)] };
