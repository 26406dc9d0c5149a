import crypto from 'node:crypto';

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * R31: what makes a line the same request when a file is submitted again: its ExternalSyncID, or else its
 * content. Security 7: both are hashed, so the idempotency key a line claims is short whatever the line holds.
 */
export function rowKeyOf(externalSyncId: string | null, body: unknown): string {
  if (externalSyncId) return `sync:${sha256(externalSyncId)}`;
  return `row:${sha256(JSON.stringify(body))}`;
}
