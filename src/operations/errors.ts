/** A field at fault, named by its path (`profile.mobile`, `line 3`), with what is wrong with it (R4). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Why an operation did not do what was asked, in the core's own words. The API answers each kind with its
 * status (src/http/problem-of.ts); the portal shows the form's kinds on the form and the others on a page.
 */
export type OperationErrorKind =
  /** The request: `fields` names every field at fault (R4). */
  | 'invalid'
  /** Not this caller's to do (R1). */
  | 'forbidden'
  /** No such account or upload, or none this caller may know of. */
  | 'not-found'
  /** The account's lifecycle refuses the change now: `rule` is the rule it cites, `missing` what it waits for. */
  | 'refused'
  /** The request conflicts with what is there: a duplicate (R12), an upload running (R31), a closed account. */
  | 'conflict'
  /** Its Idempotency-Key was used for another request. */
  | 'key-reused'
  /** The caller has as many such requests under way as they may: `retryAfterSeconds`. */
  | 'busy'
  /** Something the operation needs did not answer now; it may be repeated. */
  | 'unavailable';

/** Which conflict a `conflict` is, for a caller's program to tell apart (each its own problem type). */
export type ConflictKind =
  | 'duplicate'
  | 'possible-duplicate'
  | 'duplicate-external-id'
  | 'in-progress'
  | 'closed'
  | 'upload-running'
  | 'upload-not-running'
  | 'upload-still-running';

export interface OperationErrorDetails {
  fields?: FieldError[];
  /** What the caller is told besides: a duplicate's candidates, the upload running, the reserved id. */
  extra?: Record<string, unknown>;
  /** When the request may be repeated, for a request that is only early. */
  retryAfterSeconds?: number;
  /** The rule a refusal cites (R1..R33), or "unspecified". */
  rule?: string;
  /** Which conflict a `conflict` is; 'invalid-file' an `invalid` bulk file refused whole (R31). */
  variant?: ConflictKind | 'invalid-file';
}

export class OperationError extends Error {
  readonly fields?: FieldError[];
  readonly extra: Record<string, unknown>;
  readonly retryAfterSeconds?: number;
  readonly rule?: string;
  readonly variant?: ConflictKind | 'invalid-file';

  constructor(
    readonly kind: OperationErrorKind,
    readonly title: string,
    readonly detail: string,
    details: OperationErrorDetails = {},
  ) {
    super(detail);
    this.name = 'OperationError';
    this.fields = details.fields;
    this.extra = details.extra ?? {};
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.rule = details.rule;
    this.variant = details.variant;
  }

  /** Whether the same request may succeed later unchanged: it was early, or something did not answer. */
  get transient(): boolean {
    return this.kind === 'unavailable' || this.retryAfterSeconds !== undefined;
  }
}

export const invalid = (fields: FieldError[]) =>
  new OperationError(
    'invalid',
    'Invalid request',
    'Correct the fields listed in errors; nothing was changed.',
    {
      fields,
    },
  );
export const forbidden = (detail: string) => new OperationError('forbidden', 'Forbidden', detail);
export const notFound = (detail: string) => new OperationError('not-found', 'Not found', detail);
export const conflict = (
  kind: ConflictKind,
  title: string,
  detail: string,
  details: OperationErrorDetails = {},
) => new OperationError('conflict', title, detail, { ...details, variant: kind });
