import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  accountView,
  auditPage,
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
  readiness,
  type AnswerSchema,
} from './schemas/responses';
import { anyProblem, problemSchemas } from './schemas/problems';
import { SCIM_OPERATIONS, scimErrors } from './openapi-scim';
import { PROBLEM_TYPES, type ProblemType } from '../problem-types';
import type { AnyAccountChange } from '../../operations/account-change-row';
import { CHANGE_ROWS, emptyBody } from '../../operations/account-changes';
import { auditQuery } from '../../operations/schemas/audit-query';
import {
  bulkUploadQuery,
  createAccountBody,
  IDEMPOTENCY_KEY,
  leaversQuery,
  listAccountsQuery,
} from '../../operations/schemas/requests';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What each status's problems mean, in general; each problem type's schema says more. */
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` names each field at fault, one error per field (R4); nothing was changed',
  401: 'No bearer token, or one that is not known',
  403: 'Not allowed to this principal, or for this organisation (R1)',
  404: 'No such account or upload, or none this caller may know of',
  409: 'A conflict with what is there: its `type` says which, and what to do',
  413: 'The body is larger than the API reads',
  415: 'The body is not of a media type this operation reads',
  422: 'This Idempotency-Key was used for a different request',
  429: 'Too many requests by this principal, or failed authentications from this address: wait for Retry-After',
  503: 'Temporal, or the account’s lifecycle, did not answer in time; repeat the request after Retry-After',
};

const text = (description: string) => ({ description, schema: { type: 'string' as const } });
const seconds = (description: string) => ({ description, schema: { type: 'integer' as const, minimum: 0 } });

/** The headers a problem of a status carries. */
function problemHeaders(status: number, types: ProblemType[]): ResponseConfig['headers'] {
  if (status === 401) return { 'WWW-Authenticate': { ...text('Bearer'), required: true } };
  if (status === 429 || status === 503)
    return { 'Retry-After': { ...seconds('Seconds to wait'), required: true } };
  if (types.includes('in-progress'))
    return { 'Retry-After': seconds('Seconds to wait, when a request with the key is in progress') };
  return undefined;
}

/**
 * The problem answers (RFC 9457) of an operation, by status: one problem type's schema, or those of the
 * status's types told apart by `type`; and `default`, any other problem (405, 421, 500...).
 */
function problems(types: ProblemType[]): Record<string, ResponseConfig> {
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of new Set(types)) {
    const { status } = PROBLEM_TYPES[type];
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  const answers: [string, ResponseConfig][] = [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, ofStatus]) => {
      const schemas = ofStatus.map((t) => problemSchemas[t]);
      const headers = problemHeaders(status, ofStatus);
      const schema =
        schemas.length === 1
          ? schemas[0]!
          : z.discriminatedUnion('type', schemas as unknown as [z.ZodObject, z.ZodObject]);
      return [
        String(status),
        {
          description: `${PROBLEM_TEXT[status]}: ${ofStatus.join(', ')}`,
          ...(headers ? { headers } : {}),
          content: { 'application/problem+json': { schema } },
        },
      ];
    });
  answers.push([
    'default',
    {
      description: 'Any other problem, such as 405 (with Allow), 421 or 500: its `type` says which',
      content: { 'application/problem+json': { schema: anyProblem } },
    },
  ]);
  return Object.fromEntries(answers);
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
/** A CSV file, as bytes: generators then keep the operation and take or give a file. */
const csvFile = (description: string) =>
  z.string().meta({ format: 'binary', contentMediaType: 'text/csv', description });
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
  /** The problem types it may answer, besides 401 and 429 (every /v1 operation) and `default`. */
  problems: ProblemType[];
  /** Health and the document itself need no token. */
  public?: true;
}

const change = (schema?: z.ZodType, required = true) => ({
  params: accountId,
  headers: idempotencyHeader,
  ...(schema ? body(schema, required) : {}),
});
/** The problems of a change to an account: its lifecycle (409, 503), its key (400, 422), and its body. */
const CHANGE_WITHOUT_BODY: ProblemType[] = [
  'invalid-request',
  'forbidden',
  'not-found',
  'refused',
  'closed',
  'idempotency-key-reused',
  'unavailable',
];
const CHANGE: ProblemType[] = [...CHANGE_WITHOUT_BODY, 'payload-too-large', 'unsupported-media-type'];

/** A request body's component name: the operation's, as `AcceptJoinerRequest`; an empty one `EmptyRequest`. */
const requestName = (operationId: string, schema: z.ZodType) =>
  schema === emptyBody ? 'EmptyRequest' : `${operationId[0]!.toUpperCase()}${operationId.slice(1)}Request`;
const named = (operationId: string, schema: z.ZodType) =>
  z.globalRegistry.get(schema)?.id ? schema : schema.meta({ id: requestName(operationId, schema) });

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
    request: change(c.body && named(operationId, c.body.schema), !c.body?.optional),
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
    request: { headers: idempotencyHeader, ...body(named('createAccount', createAccountBody)) },
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
    problems: [
      'invalid-request',
      'forbidden',
      'duplicate',
      'possible-duplicate',
      'in-progress',
      'payload-too-large',
      'unsupported-media-type',
      'idempotency-key-reused',
      'unavailable',
    ],
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
    problems: ['invalid-request', 'forbidden'],
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}',
    operationId: 'getAccount',
    tag: 'Accounts',
    summary: "The account's state, from its lifecycle",
    request: { params: accountId },
    success: { 200: json('The account', accountView) },
    problems: ['forbidden', 'not-found', 'unavailable'],
  },
  {
    method: 'get',
    path: '/v1/accounts/{id}/history',
    operationId: 'getAccountHistory',
    tag: 'Accounts',
    summary: 'The audit trail, in domain words (R2)',
    request: { params: accountId },
    success: { 200: json('Who changed what, and when', history) },
    problems: ['forbidden', 'not-found', 'unavailable'],
  },
  ...CHANGE_ROWS.map(([name, c]) => changeOperation(name, c)),
  {
    method: 'get',
    path: '/v1/audit',
    operationId: 'searchAuditTrail',
    tag: 'Accounts',
    summary: 'Search the audit trail by actor, organisation, account and time (R2)',
    description:
      'Newest first, kept for AUDIT_KEPT_FOR (8 years unless set), also after the account’s lifecycle has ' +
      'closed. A local administrator sees the entries recorded while the account was in one of their ' +
      'organisations only (R1).',
    request: { query: auditQuery },
    success: { 200: json('A page of audit entries', auditPage) },
    problems: ['invalid-request', 'forbidden'],
  },
  {
    method: 'get',
    path: '/v1/leavers',
    operationId: 'findLeavers',
    tag: 'Leavers and joiners',
    summary: 'Find leavers to accept, by name, address or mobile number; never their phone numbers (R28)',
    request: { query: leaversQuery },
    success: { 200: json('A page of leavers', leaversPage) },
    problems: ['invalid-request', 'forbidden'],
  },
  {
    method: 'post',
    path: '/v1/bulk-uploads',
    operationId: 'uploadBulkFile',
    tag: 'Bulk uploads',
    summary: 'Validate a CSV file, or create its valid lines as a durable upload (R31)',
    description:
      'The file is the body, Content-Type text/csv (application/csv, application/vnd.ms-excel and ' +
      'application/octet-stream are read too): the header row of GET /v1/bulk-uploads/sample.csv, then up to 10,000 lines, 5 MB at most. One ' +
      'upload per organisation runs at a time (409 names the one running).',
    request: {
      query: bulkUploadQuery,
      body: {
        required: true,
        content: {
          ...csv(csvFile('UTF-8 CSV with the header row')),
          'application/octet-stream': { schema: csvFile('The same file, sent as bytes') },
        },
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
    problems: [
      'invalid-request',
      'invalid-file',
      'forbidden',
      'upload-running',
      'payload-too-large',
      'unsupported-media-type',
      'unavailable',
    ],
  },
  {
    method: 'get',
    path: '/v1/bulk-uploads/sample.csv',
    operationId: 'getBulkUploadSample',
    tag: 'Bulk uploads',
    summary: 'The sample file: the header row and two example lines (R31)',
    success: { 200: { description: 'The sample file', content: csv(csvFile('The sample file')) } },
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
    problems: ['forbidden', 'not-found', 'unavailable'],
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
    problems: ['forbidden', 'not-found', 'upload-not-running', 'unavailable'],
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
        content: csv(csvFile('The results file')),
      },
    },
    problems: ['forbidden', 'not-found'],
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
    problems: ['forbidden', 'not-found', 'upload-still-running'],
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
    problems: ['forbidden'],
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

let generated: string | undefined;

/**
 * The API description, generated from the zod schemas that validate the requests (schemas/requests.ts)
 * and type the answers (schemas/responses.ts). Every /v1 call may be answered 401 and 429 besides.
 * Generated once (some 40 ms); each caller gets a copy of its own.
 */
export function openApiDocument(): ReturnType<typeof generate> {
  generated ??= JSON.stringify(generate());
  return JSON.parse(generated) as ReturnType<typeof generate>;
}

function generate() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A principal’s token (R1): an administrator, or the identity platform',
  });
  registry.registerComponent('securitySchemes', 'scimBearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A SCIM client’s token (R33), bound to the organisations it feeds (R1): /scim/v2 only',
  });
  for (const op of SCIM_OPERATIONS) {
    registry.registerPath({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      tags: ['SCIM'],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: [{ scimBearer: [] }],
      ...(op.request ? { request: op.request } : {}),
      responses: { ...op.success, ...scimErrors(op.errors) },
    });
  }
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
      responses: {
        ...op.success,
        ...problems(op.public ? op.problems : ['unauthorized', 'too-many-requests', ...op.problems]),
      },
    });
  }
  // Every problem type's schema is a component, also those only `default` answers.
  const problemDefinitions = Object.values(problemSchemas).map((schema) => ({
    type: 'schema' as const,
    schema,
  }));
  const document = new OpenApiGeneratorV31([...registry.definitions, ...problemDefinitions]).generateDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'NHSmail account provisioning API',
        version: '1.0.0',
        description:
          'One durable Temporal workflow per account, behind this API (rules R1-R32). Every /v1 call carries ' +
          '`Authorization: Bearer <token>`. Errors are application/problem+json (RFC 9457), each kind with its ' +
          'own `type` URI and schema (the *Problem components; docs/api.md says what to do of each). A method a path ' +
          'does not have is answered 405 with `Allow`. SCIM 2.0 (R33, docs/scim.md) is served at /scim/v2 to ' +
          'SCIM clients only, in application/scim+json, its errors in SCIM’s shape (ScimError).',
      },
      servers: [{ url: '/', description: 'The server this document is served from' }],
      tags: [...new Set([...OPERATIONS.map((op) => op.tag), 'SCIM'])].map((name) => ({ name })),
    },
  );
  // The generator writes a regex's flags after its source ("...$/u"); JSON Schema patterns are Unicode anyway.
  const serialised = JSON.stringify(document).replace(/("pattern":"(?:[^"\\]|\\.)*)\/u"/g, '$1"');
  return withAllOf(JSON.parse(serialised) as typeof document, 'AccountWithTemporaryPassword', 'Account');
}

type Schemas = Record<
  string,
  { properties?: Record<string, unknown>; required?: string[]; [keyword: string]: unknown }
>;

/**
 * A schema written as its base's by `allOf` and the properties it adds, rather than a copy of the base's:
 * a generator then makes one type of the other. The base takes other properties (no
 * `additionalProperties: false`), as `allOf` needs; the derived one refuses those neither names.
 */
function withAllOf<D extends { components?: { schemas?: object } }>(
  doc: D,
  derived: string,
  base: string,
): D {
  const schemas = doc.components!.schemas as Schemas;
  const from = schemas[base]!;
  const to = schemas[derived]!;
  const added = Object.keys(to.properties ?? {}).filter((key) => !(key in (from.properties ?? {})));
  delete (from as { additionalProperties?: unknown }).additionalProperties;
  schemas[derived] = {
    allOf: [
      { $ref: `#/components/schemas/${base}` },
      {
        type: 'object',
        properties: Object.fromEntries(added.map((key) => [key, to.properties![key]])),
        required: added.filter((key) => to.required?.includes(key)),
      },
    ],
    unevaluatedProperties: false,
  };
  return doc;
}
