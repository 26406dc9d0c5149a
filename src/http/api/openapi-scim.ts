import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { SCIM_BASE, SCIM_TYPE } from '../scim-media';

/**
 * SCIM 2.0 at /scim/v2 (R33, docs/scim.md), as the document describes it: application/scim+json both ways,
 * errors in SCIM's shape (RFC 7644 3.12) rather than problems, and a SCIM client's bearer token. What a User
 * holds is the engine's own Schemas (GET /scim/v2/Schemas): the schemas here name the fields every answer
 * has and leave the rest open, as SCIM's attributes and excludedAttributes choose what is answered.
 */

const scimError = z
  .object({
    schemas: z.array(z.literal('urn:ietf:params:scim:api:messages:2.0:Error')).min(1),
    status: z
      .string()
      .regex(/^[1-5]\d\d$/)
      .describe('The HTTP status, as a string'),
    scimType: z
      .enum([
        'invalidFilter',
        'tooMany',
        'uniqueness',
        'mutability',
        'invalidSyntax',
        'invalidPath',
        'noTarget',
        'invalidValue',
        'invalidVers',
        'sensitive',
      ])
      .optional()
      .describe('What kind of 400 or 409 it is (RFC 7644 3.12)'),
    detail: z.string().describe('What is wrong, every field at fault named by its SCIM name'),
  })
  .meta({ id: 'ScimError', description: 'A SCIM error (RFC 7644 3.12)' });

const meta = z
  .object({
    resourceType: z.string(),
    created: z.string().optional(),
    lastModified: z.string().optional(),
    location: z.string(),
    version: z.string().optional().describe('The ETag'),
  })
  .loose();

const scimUser = z
  .object({
    schemas: z.array(z.string()).min(1),
    id: z.string().describe("The account's id: its address"),
    externalId: z.string().optional(),
    userName: z.string().optional(),
    name: z
      .object({ givenName: z.string(), familyName: z.string(), honorificPrefix: z.string() })
      .partial()
      .loose()
      .optional(),
    displayName: z.string().optional(),
    title: z.string().optional(),
    active: z.boolean().optional(),
    emails: z.array(z.object({ value: z.string() }).loose()).optional(),
    phoneNumbers: z.array(z.object({ value: z.string(), type: z.string() }).loose()).optional(),
    meta: meta.optional(),
  })
  .loose()
  .meta({
    id: 'ScimUser',
    description:
      'A User (docs/scim.md): the core schema, the enterprise extension and the engine’s two, as ' +
      'attributes and excludedAttributes chose',
  });

const userRequest = z
  .object({ schemas: z.array(z.string()).optional(), userName: z.string() })
  .loose()
  .meta({
    id: 'ScimUserRequest',
    description: 'A User to create or to replace with (docs/scim.md); read-only attributes are ignored',
  });

const patchRequest = z
  .object({
    schemas: z.array(z.string()).min(1),
    Operations: z
      .array(
        z
          .object({
            op: z.string().describe('add, replace or remove (in any case)'),
            path: z.string().optional(),
            value: z.unknown().optional(),
          })
          .loose(),
      )
      .min(1),
  })
  .meta({ id: 'ScimPatchRequest', description: 'A PatchOp (RFC 7644 3.5.2)' });

const searchRequest = z
  .object({
    schemas: z.array(z.string()).optional(),
    filter: z.string().optional(),
    startIndex: z.int().optional(),
    count: z.int().optional(),
    attributes: z.array(z.string()).optional(),
    excludedAttributes: z.array(z.string()).optional(),
  })
  .loose()
  .meta({ id: 'ScimSearchRequest', description: 'A SearchRequest (RFC 7644 3.4.3)' });

const listOf = (id: string, item: z.ZodType) =>
  z
    .object({
      schemas: z.array(z.string()).min(1),
      totalResults: z.int().min(0),
      startIndex: z.int().min(1),
      itemsPerPage: z.int().min(0),
      Resources: z.array(item),
    })
    .loose()
    .meta({ id, description: 'A ListResponse (RFC 7644 3.4.2)' });

const serviceProviderConfig = z
  .object({
    schemas: z.array(z.string()).min(1),
    patch: z.object({ supported: z.boolean() }).loose(),
    bulk: z.object({ supported: z.boolean() }).loose(),
    filter: z.object({ supported: z.boolean(), maxResults: z.int() }).loose(),
    changePassword: z.object({ supported: z.boolean() }).loose(),
    sort: z.object({ supported: z.boolean() }).loose(),
    etag: z.object({ supported: z.boolean() }).loose(),
    authenticationSchemes: z.array(z.object({ type: z.string(), name: z.string() }).loose()),
    meta,
  })
  .loose()
  .meta({ id: 'ScimServiceProviderConfig' });

const resourceType = z
  .object({
    schemas: z.array(z.string()).min(1),
    id: z.string(),
    name: z.string(),
    endpoint: z.string(),
    schema: z.string(),
    schemaExtensions: z.array(z.object({ schema: z.string(), required: z.boolean() })).optional(),
    meta,
  })
  .loose()
  .meta({ id: 'ScimResourceType' });

const scimSchema = z
  .object({
    schemas: z.array(z.string()).min(1),
    id: z.string(),
    name: z.string(),
    attributes: z.array(z.object({ name: z.string(), type: z.string() }).loose()),
    meta,
  })
  .loose()
  .meta({ id: 'ScimSchema' });

const text = (description: string) => ({ description, schema: { type: 'string' as const } });
const scim = (description: string, schema: z.ZodType, extra: Partial<ResponseConfig> = {}) => ({
  description,
  content: { [SCIM_TYPE]: { schema } },
  ...extra,
});
const etag = { ETag: { ...text('The version, for If-Match'), required: true } };
const body = (schema: z.ZodType) => ({
  body: {
    required: true,
    content: { [SCIM_TYPE]: { schema }, 'application/json': { schema } },
  },
});
const userId = z.object({
  id: z.string().describe("The User's id: the account's address").meta({ example: 'aoife.oneil@nhs.net' }),
});
const ifMatch = z.object({
  'If-Match': z
    .string()
    .optional()
    .describe('A version (ETag) the User must still have: otherwise 412, and nothing is changed'),
});
const projection = {
  attributes: z.string().optional().describe('The attributes to answer, comma-separated (RFC 7644 3.9)'),
  excludedAttributes: z.string().optional().describe('The attributes not to answer, comma-separated'),
};
const searchQuery = z.object({
  filter: z
    .string()
    .optional()
    .describe('A SCIM filter (RFC 7644 3.4.2.2), on the attributes docs/scim.md lists'),
  startIndex: z.string().optional().describe('The first result, from 1'),
  count: z.string().optional().describe('At most this many results, 100 at most'),
  ...projection,
});

/** What a SCIM status means here; each answer is a ScimError. */
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid: scimType and detail say what (invalidValue, invalidSyntax, invalidFilter, mutability...)',
  401: 'No bearer token, or one that is not known',
  403: 'Not a SCIM client, or not one of this organisation (R1, R33)',
  404: 'No such User for this client (a deleted one is gone for a feed, R32), or no such resource type or schema',
  409: 'uniqueness: a duplicate externalId (naming the existing id) or person (R12), or refused by the lifecycle',
  412: 'If-Match names a version the User no longer has: nothing was changed',
  413: 'The body is larger than the engine reads',
  415: 'The body is not JSON (application/scim+json or application/json)',
  429: 'Too many requests by this client (RATE_LIMIT_SCIM_PER_MINUTE): wait for Retry-After',
  503: 'Temporal, or the account’s lifecycle, did not answer in time: repeat after Retry-After',
};

/** The SCIM errors of an operation, by status, and `default` for any other (405 with Allow, 500). */
export function scimErrors(statuses: number[]): Record<string, ResponseConfig> {
  const answers = [401, 403, 429, ...statuses]
    .sort((a, b) => a - b)
    .map((status): [string, ResponseConfig] => {
      const headers: ResponseConfig['headers'] =
        status === 401
          ? { 'WWW-Authenticate': { ...text('Bearer'), required: true } }
          : status === 429 || status === 503
            ? {
                'Retry-After': {
                  description: 'Seconds to wait',
                  schema: { type: 'integer' as const },
                  required: true,
                },
              }
            : undefined;
      return [String(status), scim(ERROR_TEXT[status]!, scimError, headers ? { headers } : {})];
    });
  return Object.fromEntries([
    ...answers,
    ['default', scim('Any other error, such as 405 (with Allow) or 500', scimError)],
  ]);
}

export interface ScimOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  request?: RouteConfig['request'];
  success: Record<number, ResponseConfig>;
  /** The SCIM errors it may answer besides 401, 403 and 429 (every one) and `default`. */
  errors: number[];
}

const BODY_ERRORS = [400, 413, 415];
const CHANGE_ERRORS = [...BODY_ERRORS, 404, 409, 412, 503];

/** Every route of /scim/v2 (src/http/scim/scim.ts). */
export const SCIM_OPERATIONS: ScimOperation[] = [
  {
    method: 'get',
    path: `${SCIM_BASE}/ServiceProviderConfig`,
    operationId: 'scimGetServiceProviderConfig',
    summary: 'What this SCIM service supports: PATCH and ETags, not bulk, sort or password change (R33)',
    success: { 200: scim('The configuration', serviceProviderConfig) },
    errors: [],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/ResourceTypes`,
    operationId: 'scimListResourceTypes',
    summary: 'The resource types: User, with its extensions (R33)',
    success: { 200: scim('The resource types', listOf('ScimResourceTypeList', resourceType)) },
    errors: [],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/ResourceTypes/{id}`,
    operationId: 'scimGetResourceType',
    summary: 'One resource type (R33)',
    request: { params: z.object({ id: z.string().meta({ example: 'User' }) }) },
    success: { 200: scim('The resource type', resourceType) },
    errors: [404],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/Schemas`,
    operationId: 'scimListSchemas',
    summary: "The schemas, with the canonical values of the client's organisations (R33)",
    success: { 200: scim('The schemas', listOf('ScimSchemaList', scimSchema)) },
    errors: [],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/Schemas/{id}`,
    operationId: 'scimGetSchema',
    summary: 'One schema, by its URN (R33)',
    request: {
      params: z.object({ id: z.string().meta({ example: 'urn:ietf:params:scim:schemas:core:2.0:User' }) }),
    },
    success: { 200: scim('The schema', scimSchema) },
    errors: [404],
  },
  {
    method: 'post',
    path: `${SCIM_BASE}/Users`,
    operationId: 'scimCreateUser',
    summary: 'Create a User: the create of R3-R13, with the feed’s key and leaving (R33)',
    description:
      'A same-name person needs the engine extension’s confirmNotDuplicate (R12); an externalId in use ' +
      'answers 409 naming the existing id, never a second account.',
    request: { query: z.object(projection), ...body(userRequest) },
    success: {
      201: scim('Created', scimUser, {
        headers: { Location: { ...text('The User'), required: true }, ...etag },
      }),
    },
    errors: [400, 409, 413, 415, 503],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/Users`,
    operationId: 'scimSearchUsers',
    summary: "Search the client's Users, the filter evaluated by the directory (R33)",
    request: { query: searchQuery },
    success: { 200: scim('A page of Users', listOf('ScimUserList', scimUser)) },
    errors: [400, 503],
  },
  {
    method: 'post',
    path: `${SCIM_BASE}/Users/.search`,
    operationId: 'scimSearchUsersByPost',
    summary: 'The same search, its parameters in a SearchRequest (R33)',
    request: body(searchRequest),
    success: { 200: scim('A page of Users', listOf('ScimUserList', scimUser)) },
    errors: [...BODY_ERRORS, 503],
  },
  {
    method: 'post',
    path: `${SCIM_BASE}/.search`,
    operationId: 'scimSearchAll',
    summary: 'A search of every resource type, here Users only (RFC 7644 3.4.3; R33)',
    request: body(searchRequest),
    success: { 200: scim('A page of Users', listOf('ScimUserList', scimUser)) },
    errors: [...BODY_ERRORS, 503],
  },
  {
    method: 'get',
    path: `${SCIM_BASE}/Users/{id}`,
    operationId: 'scimGetUser',
    summary: 'One User (R33)',
    request: { params: userId, query: z.object(projection) },
    success: { 200: scim('The User', scimUser, { headers: etag }) },
    errors: [404, 503],
  },
  {
    method: 'put',
    path: `${SCIM_BASE}/Users/{id}`,
    operationId: 'scimReplaceUser',
    summary:
      'Replace a User: one edit under R17 and R25, its key and leaving, applied whole or refused whole (R33)',
    request: { params: userId, headers: ifMatch, query: z.object(projection), ...body(userRequest) },
    success: {
      200: scim('The User as it is (or will be, an edit held while Pending)', scimUser, { headers: etag }),
    },
    errors: CHANGE_ERRORS,
  },
  {
    method: 'patch',
    path: `${SCIM_BASE}/Users/{id}`,
    operationId: 'scimPatchUser',
    summary: 'Patch a User: add, replace, remove, then the replace it makes (R33)',
    description:
      'A remove of what every User has (active, the names, the enterprise and engine extensions) answers ' +
      "400 invalidValue, an operation on the engine extension's read-only state 400 mutability.",
    request: { params: userId, headers: ifMatch, query: z.object(projection), ...body(patchRequest) },
    success: {
      200: scim('The User as it is (or will be, an edit held while Pending)', scimUser, { headers: etag }),
    },
    errors: CHANGE_ERRORS,
  },
  {
    method: 'delete',
    path: `${SCIM_BASE}/Users/{id}`,
    operationId: 'scimDeleteUser',
    summary: "R32's restorable deletion: the User then answers 404 here (R33)",
    request: { params: userId, headers: ifMatch },
    success: { 204: { description: 'Deleted, restorable by a national administrator for 30 days' } },
    errors: [404, 409, 412, 503],
  },
];
