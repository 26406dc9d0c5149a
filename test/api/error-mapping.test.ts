import assert from 'node:assert/strict';
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { toProblem } from '../../src/http/problem-of';

describe('API error mapping', () => {
  it('answers 503, not 500, when Temporal or the lifecycle does not answer in time', () => {
    assert.equal(toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('late')).status, 503);
    assert.equal(toProblem(Object.assign(new Error('down'), { code: 14 })).status, 503);
    assert.equal(toProblem(Object.assign(new Error('wrapped'), { cause: { code: 4 } })).status, 503);
  });

  it('answers 503, not 500, when Temporal cancels a query (seen by npm run chaos when a worker is killed)', () => {
    const cancelled = Object.assign(new Error('Failed to query Workflow'), {
      cause: Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }),
    });
    const problem = toProblem(cancelled);
    assert.equal(problem.status, 503);
    assert.match(problem.detail!, /try again/);
  });

  it('answers 404 for an unknown lifecycle, 400 for unreadable JSON, 413 for a large body, 500 otherwise', () => {
    assert.equal(toProblem(new WorkflowNotFoundError('x', 'w', undefined)).status, 404);
    assert.equal(
      toProblem(Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 })).status,
      400,
    );
    assert.equal(
      toProblem(Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 })).status,
      413,
    );
    const internal = toProblem(new Error('a bug'));
    assert.equal(internal.status, 500);
    assert.ok(!internal.detail?.includes('a bug'), 'no internals in the answer');
  });
});
