import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decrypt, encrypt } from './aes-gcm';
import { purposeKeys, type KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
/** Absent in payloads written before workflow binding (no associated data); "2" when bound to WORKFLOW_ID. */
const VERSION = 'encryption-version';
const BOUND = '2';
const WORKFLOW_ID = 'encryption-workflow-id';
const PURPOSE = 'temporal-payload-codec';

const text = (value: string) => new TextEncoder().encode(value);
const read = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** The workflow a payload belongs to, as the SDK tells the codec (workflow and activity payloads alike). */
function workflowOf(context: SerializationContext | undefined): string | undefined {
  return context?.workflowId || undefined;
}

/** A Schedule names each run `<its workflow id>-<the time it was due>`, e.g. `reconcile-reservations-2026-11-27T15:29:30Z`. */
const SCHEDULED_RUN = /^(.+)-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/**
 * Whether a payload bound to `boundTo` may be read for `reader`: the same workflow, or two runs of one
 * Schedule, which hands each run its previous run's result (a payload the previous run wrote).
 */
function belongsTo(boundTo: string, reader: string): boolean {
  if (boundTo === reader) return true;
  const [a, b] = [SCHEDULED_RUN.exec(boundTo)?.[1], SCHEDULED_RUN.exec(reader)?.[1]];
  return a !== undefined && a === b;
}

/** The workflow a payload is bound to, as its metadata says; none for a payload written before binding. */
export function boundWorkflowOf(payload: Payload): string | undefined {
  return read(payload.metadata?.[WORKFLOW_ID]);
}

export function isEncrypted(payload: Payload): boolean {
  return read(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

/**
 * Encrypts every payload with AES-GCM, so Temporal's history holds no plain-text personal data.
 * The key id travels in the payload's metadata, so keys can rotate and old histories stay readable.
 * Each payload is bound to its workflow: the workflow id is the associated data, so a payload copied
 * into another account's history fails authentication. The id also travels in the metadata, so a
 * reader that is not told the workflow (the codec endpoint) can still check the payload is intact;
 * when the SDK does say which workflow it is reading for, the two must agree.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly key: (keyId: string) => Buffer;

  constructor(private readonly ring: KeyRing) {
    this.key = purposeKeys(ring, PURPOSE);
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const workflowId = workflowOf(context);
    if (!workflowId) throw new Error('A payload is encrypted for its workflow; no workflow id was given');
    const keyId = this.ring.activeKeyId;
    const key = this.key(keyId);
    return payloads.map((payload) => ({
      metadata: {
        encoding: text(ENCRYPTED_ENCODING),
        [KEY_ID]: text(keyId),
        [VERSION]: text(BOUND),
        [WORKFLOW_ID]: text(workflowId),
      },
      data: encrypt(key, temporal.api.common.v1.Payload.encode(payload).finish(), Buffer.from(workflowId)),
    }));
  }

  /** Refuses plain payloads: everything this engine writes is encrypted, so a plain one was put there by someone else. */
  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) throw new Error('Refused an unencrypted payload');
      const keyId = read(payload.metadata?.[KEY_ID]);
      if (!keyId || !payload.data) throw new Error('Encrypted payload without key id or data');
      const version = read(payload.metadata?.[VERSION]);
      let aad: Buffer | undefined;
      if (version === BOUND) {
        const boundTo = boundWorkflowOf(payload);
        if (!boundTo) throw new Error('Bound payload without its workflow id');
        const expected = workflowOf(context);
        if (expected && !belongsTo(boundTo, expected))
          throw new Error('The payload belongs to another workflow');
        aad = Buffer.from(boundTo);
      } else if (version !== undefined) {
        throw new Error('Unknown payload encryption version');
      }
      return temporal.api.common.v1.Payload.decode(decrypt(this.key(keyId), payload.data, aad));
    });
  }
}
