import type { ConflictKind } from '../operations/errors';

/**
 * Every kind of problem the engine answers (RFC 9457), each with its own `type` URI, so that a client tells
 * them apart by a constant rather than by the title's words. docs/api.md lists them with what to do.
 */
export const PROBLEM_TYPES = {
  'invalid-request': {
    status: 400,
    title: 'Invalid request',
    about: '`errors` names each field at fault, one error per field (R4); nothing was changed',
  },
  'invalid-file': {
    status: 400,
    title: 'Invalid file',
    about: 'The bulk file cannot be read as a whole: `errors` names the line (R31); nothing was created',
  },
  unauthorized: { status: 401, title: 'Unauthorized', about: 'No bearer token, or one that is not known' },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    about: 'Not allowed to this principal, or for this organisation (R1)',
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    about: 'No such account or upload, or none this caller may know of',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    about: 'The path has no such method: `Allow` lists those it has',
  },
  refused: {
    status: 409,
    title: 'Refused',
    about:
      "The account's lifecycle refuses the change now: `rule` is the rule it cites, `missing` what it waits for",
  },
  duplicate: {
    status: 409,
    title: 'Duplicate account',
    about:
      'An account with this mobile number exists (R12): accept it as a joiner once it is a leaver (R28), do not create it',
  },
  'possible-duplicate': {
    status: 409,
    title: 'Possible duplicate account',
    about:
      'Accounts with the same name exist (R12): send the request again with `confirmNotDuplicate: true` if the person is none of the `candidates`',
  },
  'duplicate-external-id': {
    status: 409,
    title: 'Duplicate externalId',
    about:
      "The organisation has an account with this feed's key already (R33): `existing.id` is its id; nothing was created",
  },
  'in-progress': {
    status: 409,
    title: 'In progress',
    about: 'A request with this Idempotency-Key is still being processed: repeat it after Retry-After',
  },
  closed: {
    status: 409,
    title: 'Closed',
    about: 'The account was deleted and its restore window has ended: nothing can change it (R32)',
  },
  'upload-running': {
    status: 409,
    title: 'Upload running',
    about: 'An upload of the organisation is running (R31): `running` is its id; wait for it or cancel it',
  },
  'upload-not-running': {
    status: 409,
    title: 'Not running',
    about: 'The upload has finished or was cancelled: there is nothing to cancel (R31)',
  },
  'upload-still-running': {
    status: 409,
    title: 'Still running',
    about: 'The upload is still running: download its results file once it has finished, then confirm (R13)',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    about: 'The body is larger than the API reads',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    about: 'The body is not of a media type this operation reads',
  },
  'misdirected-request': {
    status: 421,
    title: 'Misdirected Request',
    about: 'The server does not answer for that host name (ALLOWED_HOSTS)',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    about: 'This Idempotency-Key was used for a different request',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    about:
      'Too many requests by this principal, or failed authentications from this address: wait for Retry-After',
  },
  'internal-error': {
    status: 500,
    title: 'Internal error',
    about: 'Something went wrong: the request id (X-Request-Id) identifies it in the logs',
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    about:
      "Temporal, or the account's lifecycle, did not answer in time: repeat the request after Retry-After",
  },
} as const satisfies Record<string, { status: number; title: string; about: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Every variant of an operation's error is a problem type of its own. */
const variants: Record<ConflictKind | 'invalid-file', ProblemType> = {
  'invalid-file': 'invalid-file',
  duplicate: 'duplicate',
  'possible-duplicate': 'possible-duplicate',
  'duplicate-external-id': 'duplicate-external-id',
  'in-progress': 'in-progress',
  closed: 'closed',
  'upload-running': 'upload-running',
  'upload-not-running': 'upload-not-running',
  'upload-still-running': 'upload-still-running',
};
export const variantProblem = (variant: ConflictKind | 'invalid-file'): ProblemType => variants[variant];

/**
 * A problem type's URI: a URN, as the engine has no documentation site of its own whose address every
 * deployment shares; it names the kind for ever, whichever host answered. docs/api.md documents each.
 */
export const problemTypeUri = (type: ProblemType) => `urn:nhsmail-account-engine:problem:${type}`;

/** The type of a problem nothing more specific was said of: the first of its status. */
export function problemTypeOf(status: number): ProblemType | undefined {
  return (Object.keys(PROBLEM_TYPES) as ProblemType[]).find((t) => PROBLEM_TYPES[t].status === status);
}
