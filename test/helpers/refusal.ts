import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { REFUSED } from '../../src/workflows/definitions';

/** Awaits an Update that must be refused by the lifecycle, and returns the refusal's message and what is missing. */
export async function refusalOf(update: Promise<unknown>): Promise<{ message: string; missing: string[] }> {
  try {
    await update;
  } catch (err) {
    assert.ok(err instanceof WorkflowUpdateFailedError, `expected a refused Update, got ${err}`);
    const cause = err.cause;
    assert.ok(
      cause instanceof ApplicationFailure && cause.type === REFUSED,
      `expected a refusal, got ${cause}`,
    );
    const details = (cause.details?.[0] ?? {}) as { missing?: string[] };
    return { message: cause.message, missing: details.missing ?? [] };
  }
  assert.fail('the Update was accepted');
}
