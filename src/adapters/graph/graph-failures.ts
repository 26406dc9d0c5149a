import { ApplicationFailure } from '@temporalio/common';
import { PLATFORM_REFUSED } from '../../ports/mail-platform';
import { graphError, type GraphResponse } from './graph-http';

/** Statuses Graph answers when it is busy (throttling) or briefly unavailable: retried by Temporal. */
const BUSY = new Set([429, 502, 503, 504]);

/**
 * The failure for an answer the caller did not expect. Throttling and outages are retried by Temporal, at
 * Graph's `Retry-After` when it gives one; a 400 (or another 4xx) will never succeed and fails at once with
 * Graph's error code; anything else is retried with the activity's back-off.
 */
export function unexpected(res: GraphResponse, what: string): Error {
  const { code, message } = graphError(res);
  const said = `${what}: Microsoft Graph answered ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  if (BUSY.has(res.status)) {
    const delayMs = retryAfterMs(res);
    return ApplicationFailure.create({
      type: 'GraphBusy',
      message: said,
      nonRetryable: false,
      ...(delayMs !== undefined ? { nextRetryDelay: delayMs } : {}),
    });
  }
  if (
    res.status >= 400 &&
    res.status < 500 &&
    res.status !== 401 &&
    res.status !== 403 &&
    res.status !== 404
  ) {
    return refused(said, code);
  }
  return new Error(said);
}

/** A refusal for good: the activity fails at once, naming Graph's error code. */
export function refused(message: string, code?: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: PLATFORM_REFUSED,
    message,
    nonRetryable: true,
    details: [{ code: code ?? null }],
  });
}

/** A user just made may answer 404 for a few seconds (replication): expected, retried, not an incident. */
export function replicationLag(what: string): Error {
  return new Error(`${what}: the user is not yet visible to Microsoft Graph (replication); retried`);
}

/** Retry-After in milliseconds: seconds, or an HTTP date. */
export function retryAfterMs(res: GraphResponse): number | undefined {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d{1,6}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - Date.now(), 0);
}
