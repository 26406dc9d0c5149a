import { Context } from '@temporalio/activity';

/**
 * Now, as the Temporal server sees it: inside an activity, never earlier than the time the server
 * scheduled the attempt, so a simulated platform keeps time with the workflow's timers, also when a
 * test server skips time. Outside an activity, the machine's clock.
 */
export function serverTime(): Date {
  const now = Date.now();
  try {
    return new Date(Math.max(now, Context.current().info.currentAttemptScheduledTimestampMs));
  } catch {
    return new Date(now);
  }
}
