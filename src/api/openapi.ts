import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  bulkUploadQuery,
  createAccountBody,
  directoryVisibilityBody,
  editAccountBody,
  identityEventBody,
  listAccountsQuery,
  mfaExceptionBody,
  notesBody,
} from './schemas/requests';

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: PROBLEM_TEXT[s] ?? 'Problem',
        content: { 'application/problem+json': { schema: problem } },
      },
    ]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request: one error per field at fault',
  401: 'No or unknown bearer token',
  403: 'Not allowed for this principal or organisation',
  404: 'No such account',
  409: 'Refused by the account lifecycle, or a duplicate',
  422: 'Idempotency-Key reused for another request',
  413: 'The body is too large',
  415: 'The body is not of the content type the route reads',
  429: 'Too many requests (per principal) or failed authentications (per address); see Retry-After',
};
const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({}).loose() } },
});
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
const id = { params: z.object({ id: z.string().describe('The account id: its primary email address') }) };

/** The API description, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const path = (
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    route: string,
    summary: string,
    request: object,
    ok: [number, string],
    refusals: number[],
  ) =>
    registry.registerPath({
      method,
      path: route,
      summary,
      security: [{ bearer: [] }],
      request,
      responses: { [ok[0]]: json(ok[1]), ...problems(401, 403, 429, ...refusals) },
    });
  path(
    'post',
    '/v1/accounts',
    'Create an account (R3-R13)',
    body(createAccountBody),
    [201, 'Created, with the temporary password shown once'],
    [400, 409, 422],
  );
  path(
    'get',
    '/v1/accounts',
    'Search the directory (R26)',
    { query: listAccountsQuery },
    [200, 'A page of directory entries'],
    [400],
  );
  path('get', '/v1/accounts/{id}', 'The account state', id, [200, 'The account'], [404]);
  path(
    'patch',
    '/v1/accounts/{id}',
    'Edit attributes (R17, R25)',
    { ...id, ...body(editAccountBody) },
    [200, 'The edited account'],
    [400, 404, 409],
  );
  path(
    'put',
    '/v1/accounts/{id}/notes',
    'Set the notes (R14)',
    { ...id, ...body(notesBody) },
    [200, 'The account'],
    [400, 404],
  );
  path(
    'post',
    '/v1/accounts/{id}/mfa-exceptions',
    'Start or replace an MFA exception (R22-R24)',
    { ...id, ...body(mfaExceptionBody) },
    [201, 'The account'],
    [400, 404, 409],
  );
  path(
    'delete',
    '/v1/accounts/{id}/mfa-exceptions/current',
    'End the MFA exception early (R24)',
    id,
    [200, 'The account'],
    [404, 409],
  );
  path(
    'post',
    '/v1/accounts/{id}/events',
    'Report a first-login event, identity platform only (R18)',
    { ...id, ...body(identityEventBody) },
    [200, 'Accepted: the event type, the status, the gates still pending and whether mail works'],
    [400, 404, 409],
  );
  path(
    'put',
    '/v1/accounts/{id}/directory-visibility',
    'Hide or show phone numbers in the directory (R26)',
    { ...id, ...body(directoryVisibilityBody) },
    [200, 'The account'],
    [400, 404, 409],
  );
  path(
    'get',
    '/v1/accounts/{id}/history',
    'The audit trail (R2)',
    id,
    [200, 'Who changed what, when'],
    [404],
  );
  path(
    'post',
    '/v1/accounts/{id}/provisioning-retries',
    'Retry a failed provisioning (R16)',
    id,
    [201, 'The account, with a new temporary password'],
    [404, 409],
  );
  const csvFile = {
    content: { 'text/csv': { schema: z.string().describe('UTF-8 CSV with the header row') } },
  };
  const bulkProgress = z.object({
    id: z.string(),
    status: z.enum(['Running', 'Completed', 'Cancelled']),
    rows: z.number().int(),
    created: z.number().int(),
    failed: z.number().int(),
    remaining: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  });
  const upload = { params: z.object({ id: z.string().describe('The upload id') }) };
  registry.registerPath({
    method: 'post',
    path: '/v1/bulk-uploads',
    summary: 'Validate a CSV file, or create its valid lines as a durable upload (R31)',
    security: [{ bearer: [] }],
    request: { query: bulkUploadQuery, body: { required: true, ...csvFile } },
    responses: {
      200: {
        description: 'mode=validate: every field at fault on every line; nothing created',
        content: {
          'application/json': {
            schema: z.object({
              rows: z.number().int(),
              valid: z.number().int(),
              invalid: z.number().int(),
              errors: z.array(z.object({ line: z.number().int(), path: z.string(), message: z.string() })),
            }),
          },
        },
      },
      202: {
        description: 'mode=create: the upload started',
        content: { 'application/json': { schema: bulkProgress } },
      },
      ...problems(400, 401, 403, 409, 413, 415, 429),
    },
  });
  path('get', '/v1/bulk-uploads/{id}', "An upload's progress (R31)", upload, [200, 'The progress'], [404]);
  path(
    'delete',
    '/v1/bulk-uploads/{id}',
    'Cancel an upload; lines created stay created (R31)',
    upload,
    [200, 'The progress'],
    [404, 409],
  );
  registry.registerPath({
    method: 'get',
    path: '/v1/bulk-uploads/{id}/results.csv',
    summary:
      "The file with a Result column per line; the uploader's first download after it finished carries the temporary passwords (R31, R13)",
    security: [{ bearer: [] }],
    request: upload,
    responses: { 200: { description: 'The results file', ...csvFile }, ...problems(401, 403, 404, 429) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/bulk-uploads/sample.csv',
    summary: 'The sample file: the header and two example rows (R31)',
    security: [{ bearer: [] }],
    responses: { 200: { description: 'The sample file', ...csvFile }, ...problems(401, 429) },
  });
  for (const list of ['organisations', 'specialities', 'roles', 'work-areas']) {
    path('get', `/v1/reference/${list}`, `Reference list: ${list}`, {}, [200, 'The list'], []);
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'NHSmail account provisioning API', version: '1.0.0' },
  });
  // The generator writes a regex's flags after its source ("...$/u"); JSON Schema patterns are Unicode anyway.
  return JSON.parse(
    JSON.stringify(document).replace(/("pattern":"(?:[^"\\]|\\.)*)\/u"/g, '$1"'),
  ) as typeof document;
}
