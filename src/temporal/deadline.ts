import type { Client } from '@temporalio/client';

/** How long a request waits for an account's lifecycle to answer before the API answers 503. */
export const LIFECYCLE_WAIT_MS = 30_000;

/** A call to Temporal that gives up after `ms`, so a stopped worker makes a 503 rather than a hung request. */
export function withinDeadline<T>(
  client: Client,
  call: () => Promise<T>,
  ms = LIFECYCLE_WAIT_MS,
): Promise<T> {
  return client.connection.withDeadline(Date.now() + ms, call);
}
