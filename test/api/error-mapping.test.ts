import assert from 'node:assert/strict';
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { toProblem } from '../../src/http/problem-of';
import {
  OperationError,
  type OperationErrorDetails,
  type OperationErrorKind,
} from '../../src/operations/errors';

/** Each kind of operation error, with what names its variant where it has one. */
const KINDS: Record<OperationErrorKind, OperationErrorDetails> = {
  invalid: {},
  forbidden: {},
  'not-found': {},
  refused: {},
  conflict: { variant: 'possible-duplicate' },
  'key-reused': {},
  busy: {},
  unavailable: {},
};

describe('API error mapping', () => {
  it('answers 503, not 500, when Temporal or the lifecycle does not answer in time', () => {
    assert.equal(toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('late')).status, 503);
    assert.equal(toProblem(Object.assign(new Error('down'), { code: 14 })).status, 503);
    assert.equal(toProblem(Object.assign(new Error('wrapped'), { cause: { code: 4 } })).status, 503);
  });

  it('Issue 27: every 503 says when to repeat the request (Retry-After) and is of the unavailable type; each kind of error has its own type', () => {
    const unavailable = [
      toProblem(new WorkflowUpdateRPCTimeoutOrCancelledError('late')),
      toProblem(Object.assign(new Error('down'), { code: 14 })),
      toProblem(Object.assign(new Error('cut'), { cause: { code: 1 } })),
      toProblem(new OperationError('unavailable', 'Service unavailable', 'Not now')),
    ];
    for (const problem of unavailable) {
      assert.equal(problem.type, 'unavailable');
      assert.match(problem.headers['Retry-After'] ?? '', /^[1-9][0-9]*$/, problem.detail);
    }
    const types = (Object.keys(KINDS) as OperationErrorKind[]).map(
      (kind) => toProblem(new OperationError(kind, 'A title', 'What happened', KINDS[kind])).type,
    );
    assert.deepEqual(types, [
      'invalid-request',
      'forbidden',
      'not-found',
      'refused',
      'possible-duplicate',
      'idempotency-key-reused',
      'too-many-requests',
      'unavailable',
    ]);
    const refused = toProblem(new OperationError('refused', 'Refused', 'Not yet (R17).', { rule: 'R17' }));
    assert.equal(refused.extra.rule, 'R17', 'a refusal names its rule');
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

  it('Issue 23: an operation raises its error in its own words, without a status; the API answers each kind with its own, with its fields, members and Retry-After', () => {
    const statuses: Record<OperationErrorKind, number> = {
      invalid: 400,
      forbidden: 403,
      'not-found': 404,
      refused: 409,
      conflict: 409,
      'key-reused': 422,
      busy: 429,
      unavailable: 503,
    };
    for (const [kind, status] of Object.entries(statuses) as [OperationErrorKind, number][]) {
      const err = new OperationError(kind, 'A title', 'What happened', {
        fields: [{ path: 'mobile', message: 'Mobile is not a valid UK mobile number' }],
        extra: { missing: ['Active'] },
      });
      assert.ok(!('status' in err), 'no HTTP in the core');
      const problem = toProblem(err);
      assert.deepEqual(
        [problem.status, problem.title, problem.detail, problem.errors, problem.extra],
        [status, 'A title', 'What happened', err.fields, { missing: ['Active'] }],
        kind,
      );
    }
    const early = toProblem(new OperationError('conflict', 'In progress', 'Later', { retryAfterSeconds: 5 }));
    assert.deepEqual(early.headers, { 'Retry-After': '5' });
  });
});
