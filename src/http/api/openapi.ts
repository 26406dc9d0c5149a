import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  accountView,
  bulkPasswordsConfirmed,
  bulkProgress,
  bulkValidation,
  codedItems,
  created,
  directoryPage,
  health,
  history,
  changeAnswers,
  leaversPage,
  organisations,
  problem,
  readiness,
  type AnswerSchema,
} from './schemas/responses';
import type { AnyAccountChange } from '../../operations/account-change-row';
import { CHANGE_ROWS } from '../../operations/account-changes';
import {
  bulkUploadQuery,
  createAccountBody,
  IDEMPOTENCY_KEY,
  leaversQuery,
  listAccountsQuery,
} from '../../operations/schemas/requests';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` names each field at fault, one error per field (R4); nothing was changed',
  401: 'No bearer token, or one that is not known',
  403: 'Not allowed to this principal, or for this organisation (R1)',
  404: 'No such account or upload, or none this caller may know of',
  409: "Refused by the account's lifecycle (with what is `missing`), a duplicate (R12), or a conflicting request",
  413: 'The body is larger than the API reads',
  415: 'The body is not of a media type this operation reads',
  422: 'This Idempotency-Key was used for a different request',
  429: 'Too many requests by this principal, or failed authentications from this address: wait for Retry-After',
  503: 'Temporal, or the account’s lifecycle, did not answer in time; the request may be repeated',
};

const text = (description: string) => ({ description, schema: { type: 'string' as const } });

/** The problem answers (RFC 9457) of an operation, with the headers some of them carry. */
function problems(statuses: number[]): Record<string, ResponseConfig> {
  return Object.fromEntries(
    [...new Set(statuses)]
      .sort((a, b) => a - b)
      .map((status) => {
        const headers: Record<string, ReturnType<typeof text> & { required?: boolean }> | undefined =
          status === 401
            ? { 'WWW-Authenticate': { ...text('Bearer'), required: true } }
            : status === 429
              ? { 'Retry-After': { ...text('Seconds to wait'), required: true } }
              : status === 409
                ? { 'Retry-After': text('Seconds to wait, when a request with the key is in progress') }
                : undefined;
        return [
          status,
          {
            description: PROBLEM_TEXT[status]!,
            ...(headers ? { headers } : {}),
            content: { 'application/problem+json': { schema: problem } },
          },
        ];
      }),
  );
}

const json = (description: string, schema: AnswerSchema, extra: Partial<ResponseConfig> = {}) => ({
  description,
  content: { 'application/json': { schema } },
  ...extra,
});

const accountId = z.object({
  id: z
    .email()
    .max(254)
    .describe('The account id: its primary email address')
    .meta({ example: 'aoife.oneil@nhs.net' }),
});
const uploadId = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .describe('The upload id, as POST /v1/bulk-uploads answered it')
    .meta({ example: 'RJ1-1a2b3c4d' }),
});
/** Every change may carry an Idempotency-Key, to be repeated safely after a lost answer. */
const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(IDEMPOTENCY_KEY)
    .optional()
    .describe(
      'Makes the request safe to repeat for 24 hours: a repeat with the same key and request is answered ' +
        'as the first was (for a create, without the temporary password once shown); the same key with ' +
        'another request is answered 422',
    ),
});
const body = (schema: z.ZodType, required = true) => ({
  body: { required, content: { 'application/json': { schema } } },
});
const csv = (schema: z.ZodType) => ({ 'text/csv': { schema } });

/**
 * What may follow a create, in the stateful sense (OpenAPI links): the reads of the account, and every
 * change its organisation's administrators make to it (not the identity platform's, nor a joiner's, which
 * another organisation makes).
 */
const ACCOUNT_OPERATIONS = [
  'getAccount',
  'getAccountHistory',
  ...CHANGE_ROWS.filter(([, c]) => !c.who.includes('identity-platform') && !c.alsoFor).map(([name]) => name),
];

interface Operation {
  method: Method;
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  request?: RouteConfig['request'];
  success: Record<number, ResponseConfig>;
  problems: number[];
  /** Health and the document itself need no token. */
  public?: true;
}

const change = (schema?: z.ZodType, required = true) => ({
  params: accountId,
  headers: idempotencyHeader,
  ...(schema ? body(schema, required) : {}),
});
/** The problems of a change to an account: its body (400, 413, 415), its lifecycle (409, 503), its key (422). */
const CHANGE = [400, 403, 404, 409, 413, 415, 422, 503];
const CHANGE_WITHOUT_BODY = [400, 403, 404, 409, 422, 503];

/** Rules as a summary cites them: a run of three or more in a row as a range (R22-R24). */
function citing(rules: readonly string[]): string {
  const numbers = rules.map((r) => Number(r.slice(1)));
  const parts: string[] = [];
  for (let i = 0; i < rules.length;) {
    let j = i;
    while (j + 1 < rules.length && numbers[j + 1] === numbers[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${rules[i]}-${rules[j]}` : rules.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** A change of the table (src/operations/account-changes.ts), as the document describes its route. */
function changeOperation(operationId: string, c: AnyAccountChange): Operation {
  return {
    method: c.http.method,
    path: `/v1/accounts/{id}${c.http.path}`,
    operationId,
    tag: c.http.tag,
    summary: `${c.summary} (${citing(c.rules)})`,
    ...(c.description ? { description: c.description } : {}),
    request: change(c.body?.schema, !c.body?.optional),
    success: { [c.http.status]: json(c.answer.description, changeAnswers[c.answer.kind]) },
    problems: c.body ? CHANGE : CHANGE_WITHOUT_BODY,
  };
}

/** Every route of the API, as the routes in routes/*.ts and app.ts answer it; the changes from their table. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/accounts',
    operationId: 'createAccount',
    tag: 'Accounts',
    summary: 'Create an account (R3-R13)',
    description:
      'An administrator of the organisation creates the account; it is Pending until its mailbox exists. ' +
      'The temporary password is shown in this answer only. A duplicate (same mobile) or a possible ' +
      'duplicate (same name, unless confirmNotDuplicate) is answered 409 (R12).',
    request: { headers: idempotencyHeader, ...body(createAccountBody) },
    success: {
      201: json('Created, with the temporary password shown once', created, {
        headers: {
          Location: { ...text('The account: /v1/accounts/{id}'), required: true },
          'Idempotent-Replayed': {
            description: '"true" when this is the answer of an earlier request with the same Idempotency-Key',
            schema: { type: 'string', enum: ['true'] },
          },
        },
        links: Object.fromEntries(
          ACCOUNT_OPERATIONS.map((operationId) => [
            operationId,
            { operationId, parameters: { id: '$response.body#/id' } },
          ]),
        ),
      }),
      202: json(
        'Reserved, but Temporal did not answer the start: the account exists (do not create it again) and its ' +
          'lifecycle starts by itself when Temporal is back. The temporary password is shown once by a repeat ' +
          'with the same Idempotency-Key, or by a resecure once the account is Active (R29).',
        created,
        { headers: { Location: { ...text('The account: /v1/accounts/{id}'), required: true } } },
      ),
    },
    problems: [400, 403, 409, 413, 415, 422, 503],
  },
  {
    method: 'get',
    path: '/v1/accounts',
    operationId: 'searchAccounts',
    tag: 'Accounts',
    summary: 'Search the directory (R26)',
    description: "A local administrator's own organisations only; Deleted accounts only with status=Deleted.",
    request: { query: listAccountsQuery },
    success: { 200: json('A page of directory entries, in address order', directoryPage) },
    problems: [400, 403],
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}',
    operationId: 'getAccount',
    tag: 'Accounts',
    summary: "The account's state, from its lifecycle",
    request: { params: accountId },
    success: { 200: json('The account', accountView) },
    problems: [403, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}/history',
    operationId: 'getAccountHistory',
    tag: 'Accounts',
    summary: 'The audit trail, in domain words (R2)',
    request: { params: accountId },
    success: { 200: json('Who changed what, and when', history) },
    problems: [403, 404, 503],
  },
  ...CHANGE_ROWS.map(([name, c]) => changeOperation(name, c)),
  {
    method: 'get',
    path: '/v1/leavers',
    operationId: 'findLeavers',
    tag: 'Leavers and joiners',
    summary: 'Find leavers to accept, by name, address or mobile number; never their phone numbers (R28)',
    request: { query: leaversQuery },
    success: { 200: json('A page of leavers', leaversPage) },
    problems: [400, 403],
  },
  {
    method: 'post',
    path: '/v1/bulk-uploads',
    operationId: 'uploadBulkFile',
    tag: 'Bulk uploads',
    summary: 'Validate a CSV file, or create its valid lines as a durable upload (R31)',
    description:
      'The file is the body, Content-Type text/csv (application/csv and application/vnd.ms-excel are read ' +
      'too): the header row of GET /v1/bulk-uploads/sample.csv, then up to 10,000 lines, 5 MB at most. One ' +
      'upload per organisation runs at a time (409 names the one running).',
    request: {
      query: bulkUploadQuery,
      body: {
        required: true,
        content: csv(z.string().describe('UTF-8 CSV with the header row')),
      },
    },
    success: {
      200: json('mode=validate: every field at fault on every line; nothing created', bulkValidation),
      202: json('mode=create: the upload started', bulkProgress, {
        headers: { Location: { ...text('The upload: /v1/bulk-uploads/{id}'), required: true } },
        links: Object.fromEntries(
          ['getBulkUpload', 'cancelBulkUpload', 'getBulkUploadResults', 'confirmBulkPasswordsSaved'].map(
            (operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }],
          ),
        ),
      }),
    },
    problems: [400, 403, 409, 413, 415, 503],
  },
  {
    method: 'get',
    path: '/v1/bulk-uploads/sample.csv',
    operationId: 'getBulkUploadSample',
    tag: 'Bulk uploads',
    summary: 'The sample file: the header row and two example lines (R31)',
    success: { 200: { description: 'The sample file', content: csv(z.string()) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/bulk-uploads/{id}',
    operationId: 'getBulkUpload',
    tag: 'Bulk uploads',
    summary: "An upload's progress (R31)",
    request: { params: uploadId },
    success: { 200: json('The progress', bulkProgress) },
    problems: [403, 404, 503],
  },
  {
    method: 'delete',
    path: '/v1/bulk-uploads/{id}',
    operationId: 'cancelBulkUpload',
    tag: 'Bulk uploads',
    summary: 'Cancel a running upload; the lines created stay created (R31)',
    description: 'The upload stays readable, with its results file, once cancelled.',
    request: { params: uploadId },
    success: { 200: json('The progress, Cancelled', bulkProgress) },
    problems: [403, 404, 409, 503],
  },
  {
    method: 'get',
    path: '/v1/bulk-uploads/{id}/results.csv',
    operationId: 'getBulkUploadResults',
    tag: 'Bulk uploads',
    summary:
      'The file with a Result column per line; for the uploader, once it has finished, the temporary passwords too, until confirmed saved or expired (R31, R13)',
    request: { params: uploadId },
    success: {
      200: {
        description: 'The results file',
        headers: {
          'Content-Disposition': { ...text('attachment; filename="{id}-results.csv"'), required: true },
        },
        content: csv(z.string()),
      },
    },
    problems: [403, 404],
  },
  {
    method: 'post',
    path: '/v1/bulk-uploads/{id}/passwords/confirm',
    operationId: 'confirmBulkPasswordsSaved',
    tag: 'Bulk uploads',
    summary:
      'The uploader confirms they have saved the results file: its temporary passwords are deleted (R13)',
    description:
      'Until then, every download of the results file by the uploader carries the passwords; they are ' +
      'deleted anyway BULK_PASSWORDS_KEPT_FOR (7 days) after the upload finished. Another administrator ' +
      'is refused (403); a running upload too (409).',
    request: { params: uploadId },
    success: { 200: json('The passwords deleted', bulkPasswordsConfirmed) },
    problems: [403, 404, 409],
  },
  ...(
    [
      ['organisations', 'listOrganisations', organisations, "(R9): a local administrator's own"],
      ['specialities', 'listSpecialities', codedItems, '(R10): NHS main specialty codes'],
      ['roles', 'listRoles', codedItems, '(R10): SDS job role codes'],
      ['work-areas', 'listWorkAreas', codedItems, '(R10)'],
    ] as const
  ).map(([list, operationId, schema, what]): Operation => ({
    method: 'get',
    path: `/v1/reference/${list}`,
    operationId,
    tag: 'Reference lists',
    summary: `The ${list.replace('-', ' ')} of the drop-down lists ${what}`,
    success: { 200: json(`The ${list}`, schema) },
    problems: [403],
  })),
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Health',
    summary: "Whether this process's worker runs",
    success: {
      200: json('The worker runs, or runs in processes of their own', health),
      503: json('The worker is not running', health),
    },
    problems: [],
    public: true,
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'Health',
    summary: 'Whether Temporal answers now, and the worker runs',
    success: {
      200: json('Ready', readiness),
      503: json('Temporal did not answer within 2 seconds, or the worker is not running', readiness),
    },
    problems: [],
    public: true,
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Health',
    summary: 'This document',
    success: {
      200: {
        description: 'The OpenAPI 3.1 document',
        content: { 'application/json': { schema: z.object({ openapi: z.string() }).loose() } },
      },
    },
    problems: [],
    public: true,
  },
];

/**
 * The API description, generated from the zod schemas that validate the requests (schemas/requests.ts)
 * and type the answers (schemas/responses.ts). Every /v1 call may be answered 401 and 429 besides.
 */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A principal’s token (R1): an administrator, or the identity platform',
  });
  for (const op of OPERATIONS) {
    registry.registerPath({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: op.public ? [] : [{ bearer: [] }],
      ...(op.request ? { request: op.request } : {}),
      responses: { ...op.success, ...problems(op.public ? op.problems : [401, 429, ...op.problems]) },
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'NHSmail account provisioning API',
      version: '1.0.0',
      description:
        'One durable Temporal workflow per account, behind this API (rules R1-R32). Every /v1 call carries ' +
        '`Authorization: Bearer <token>`. Errors are application/problem+json (RFC 9457). A method a path ' +
        'does not have is answered 405 with `Allow`.',
    },
    servers: [{ url: '/', description: 'The server this document is served from' }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
  });
  // The generator writes a regex's flags after its source ("...$/u"); JSON Schema patterns are Unicode anyway.
  const serialised = JSON.stringify(document).replace(/("pattern":"(?:[^"\\]|\\.)*)\/u"/g, '$1"');
  return JSON.parse(serialised, (_key, value: unknown) => {
    // A nullable enum is written `"type": ["string", "null"], "enum": [...]` without null in the enum,
    // which makes null invalid: null is added to it.
    const schema = value as { type?: unknown; enum?: unknown[] } | null;
    if (
      Array.isArray(schema?.type) &&
      schema.type.includes('null') &&
      Array.isArray(schema.enum) &&
      !schema.enum.includes(null)
    ) {
      schema.enum.push(null);
    }
    return value;
  }) as typeof document;
}
