import express, { type Request, type RequestHandler, type Response } from 'express';
import { scimPatch, type ScimPatchOperation, ScimError as PatchError } from 'scim-patch';
import type { Principal } from '../../access/principals';
import type { Logger } from '../../logger';
import {
  changeFromFeed,
  createFromFeed,
  deleteFromFeed,
  findForFeed,
  readForFeed,
} from '../../operations/feed-accounts';
import { referenceData } from '../../reference/reference-data';
import { requireJsonBodies } from '../json-body';
import { SCIM_BASE } from '../scim-media';
import type { HttpDeps } from '../http-deps';
import type { ProblemObserver } from '../problem-of';
import type { CountingFailures } from '../rate-limit';
import { principalOf } from '../request-principal';
import { authenticatePrincipal } from '../security/authenticate-principal';
import { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { projected } from './projection';
import { SCIM_TYPE, ScimError, scimErrorHandler } from './scim-error';
import { feedFilterOf } from './scim-filter';
import {
  createOf,
  ENGINE_SCHEMA,
  ENTERPRISE_SCHEMA,
  USER_SCHEMA,
  inputOf,
  READ_ONLY_ENGINE_ATTRIBUTES,
  replacementOf,
  userOf,
  type ScimUser,
} from './user-resource';

export { SCIM_BASE };
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** R33: only a SCIM client, by its bearer token; 401 and 403 in SCIM's shape. */
const authenticateScimClient = authenticatePrincipal;

function onlyScimClients(_req: Request, res: Response, next: () => void): void {
  if (principalOf(res).kind !== 'scim-client') {
    throw new ScimError(
      403,
      'Only a SCIM client may call /scim/v2; administrators use /v1 or the portal (R1, R33).',
    );
  }
  next();
}

const send = (res: Response, body: unknown, status = 200) =>
  void res.status(status).type(SCIM_TYPE).json(body);

/** The base of every location this request is answered with. */
const baseOf = (req: Request) => `${req.protocol}://${req.get('host')}${SCIM_BASE}`;

function sendUser(req: Request, res: Response, user: ScimUser, status = 200): void {
  res.set('ETag', user.meta.version);
  if (status === 201) res.location(user.meta.location!);
  const query = req.query as Record<string, unknown>;
  send(res, projected(user, query.attributes, query.excludedAttributes), status);
}

/** RFC 7644 3.14: a stale If-Match answers 412, and nothing is changed. */
function checkVersion(req: Request, user: ScimUser): void {
  const wanted = req.get('If-Match');
  if (!wanted || wanted.trim() === '*') return;
  const versions = wanted.split(',').map((v) => v.trim());
  if (!versions.includes(user.meta.version!)) {
    throw new ScimError(412, `The user has changed since version ${wanted}: it is ${user.meta.version} now.`);
  }
}

function paging(raw: Record<string, unknown>) {
  const number = (name: string, fallback: number) => {
    const value = raw[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer.`, 'invalidValue');
    return n;
  };
  const startIndex = Math.max(1, number('startIndex', 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, number('count', MAX_RESULTS)));
  return { startIndex, count };
}

/** R33: SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2, for SCIM clients only, on the same operations as /v1. */
export function scimRouter(
  deps: HttpDeps,
  {
    countingFailures,
    perScimClient,
    observe,
    logger,
  }: {
    countingFailures: CountingFailures;
    perScimClient: RequestHandler;
    observe?: ProblemObserver;
    logger: Logger;
  },
): express.Router {
  const router = express.Router();
  router.use(countingFailures(authenticateScimClient));
  router.use(onlyScimClients);
  router.use(perScimClient);
  // A body must be JSON (application/scim+json, or application/json): another answers 415, as on /v1.
  router.use(requireJsonBodies());
  router.use(express.json({ limit: deps.bodyLimit, type: [SCIM_TYPE, 'application/json'] }));
  const who = principalOf;

  router.get('/ServiceProviderConfig', (req, res) => send(res, serviceProviderConfig(baseOf(req))));
  router.get('/ResourceTypes', (req, res) => send(res, listOf(resourceTypes(baseOf(req)))));
  router.get('/ResourceTypes/:id', (req, res) =>
    send(res, findOne(resourceTypes(baseOf(req)), req.params.id)),
  );
  router.get('/Schemas', (req, res) => send(res, listOf(schemas(who(res), baseOf(req)))));
  router.get('/Schemas/:id', (req, res) => send(res, findOne(schemas(who(res), baseOf(req)), req.params.id)));

  const search = async (req: Request, res: Response, raw: Record<string, unknown>) => {
    const filter = feedFilterOf(typeof raw.filter === 'string' ? raw.filter : undefined);
    const { startIndex, count } = paging(raw);
    const found = await findForFeed(deps, who(res), { filter, startIndex, count });
    const base = baseOf(req);
    send(res, {
      schemas: [LIST_SCHEMA],
      totalResults: found.total,
      startIndex,
      itemsPerPage: found.accounts.length,
      Resources: found.accounts.map((a) =>
        projected(userOf(a, base), raw.attributes, raw.excludedAttributes),
      ),
    });
  };
  router.get('/Users', (req, res) => search(req, res, req.query as Record<string, unknown>));
  // RFC 7644 3.4.3: a search at the root is one of every resource type, here only Users.
  router.post(['/Users/.search', '/.search'], (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (Array.isArray(body.schemas) && !body.schemas.includes(SEARCH_SCHEMA)) {
      throw new ScimError(400, `A search request's schemas must include ${SEARCH_SCHEMA}.`, 'invalidSyntax');
    }
    const joined = (v: unknown) => (Array.isArray(v) ? v.join(',') : v);
    return search(req, res, {
      ...body,
      attributes: joined(body.attributes),
      excludedAttributes: joined(body.excludedAttributes),
    });
  });

  router.post('/Users', async (req, res) => {
    const principal = who(res);
    const { account, feed } = createOf(inputOf(req.body), {
      organisation:
        principal.kind === 'scim-client' && principal.orgs.length === 1 ? principal.orgs[0] : undefined,
      emailAlias: (org) => referenceData.organisation(org)?.emailDomains[0],
    });
    const created = await createFromFeed(deps, principal, { account, feed });
    sendUser(req, res, userOf(created, baseOf(req)), 201);
  });

  router.get('/Users/:id', async (req, res) => {
    sendUser(req, res, userOf(await readForFeed(deps, who(res), req.params.id), baseOf(req)));
  });

  const replace = async (req: Request, res: Response, principal: Principal, id: string, body: unknown) => {
    const { changes, feed } = replacementOf(inputOf(body), (await readForFeed(deps, principal, id)).view);
    const changed = await changeFromFeed(deps, principal, id, { changes, feed });
    sendUser(req, res, userOf(changed, baseOf(req)));
  };

  router.put('/Users/:id', async (req, res) => {
    const current = userOf(await readForFeed(deps, who(res), req.params.id), baseOf(req));
    checkVersion(req, current);
    await replace(req, res, who(res), req.params.id, req.body);
  });

  router.patch('/Users/:id', async (req, res) => {
    const current = userOf(await readForFeed(deps, who(res), req.params.id), baseOf(req));
    checkVersion(req, current);
    const body = (req.body ?? {}) as { schemas?: unknown; Operations?: unknown };
    if (
      !Array.isArray(body.Operations) ||
      (Array.isArray(body.schemas) && !body.schemas.includes(PATCH_SCHEMA))
    ) {
      throw new ScimError(
        400,
        `A PATCH request is a ${PATCH_SCHEMA} with a list of Operations.`,
        'invalidSyntax',
      );
    }
    const patched = applyPatch(current, body.Operations as ScimPatchOperation[]);
    await replace(req, res, who(res), req.params.id, patched);
  });

  router.delete('/Users/:id', async (req, res) => {
    const current = userOf(await readForFeed(deps, who(res), req.params.id), baseOf(req));
    checkVersion(req, current);
    await deleteFromFeed(deps, who(res), req.params.id);
    res.status(204).end();
  });

  // The discovery endpoints are read only (RFC 7644 4): another method answers 405 with Allow.
  router.all(/^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/[^/]*)?$/, (_req, res) => {
    res.set('Allow', 'GET');
    throw new ScimError(405, 'The discovery endpoints answer GET only.');
  });
  router.all('/Users', (_req, res) => {
    res.set('Allow', 'GET, POST');
    throw new ScimError(405, '/Users answers GET (a search) and POST (a create).');
  });
  router.all('/Users/:id', (_req, res) => {
    res.set('Allow', 'GET, PUT, PATCH, DELETE');
    throw new ScimError(405, 'A user answers GET, PUT, PATCH and DELETE.');
  });

  router.use((req) => {
    throw new ScimError(404, `No SCIM resource ${req.method} ${req.path} here (Groups are not served).`);
  });
  router.use(scimErrorHandler(logger, observe));
  return router;
}

/** The attributes every user has (discovery.ts's `required`): a PATCH cannot remove them. */
const REQUIRED_PATHS = [
  'userName',
  'name',
  'name.givenName',
  'name.familyName',
  'name.honorificPrefix',
  'active',
  `${ENTERPRISE_SCHEMA}:organization`,
  `${ENGINE_SCHEMA}:emailAlias`,
];

/**
 * RFC 7644 3.5.2: "a client MUST NOT modify an attribute that has mutability readOnly", and an operation must be
 * compatible with the attribute's schema. So an operation on the engine extension's state (read only), or
 * inside it, answers 400 mutability; a remove (or a replace with null) of a required attribute or of a required
 * extension (RFC 7643 6) answers 400 invalidValue; either changes nothing, where both used to be ignored.
 * Required: `active` (R28: false marks a leaver, removing it means nothing), the names (R3), userName and
 * emailAlias (R11), the organisation (R1), and the enterprise and engine extensions that hold the last two.
 */
function refuseRemovingRequired(operation: ScimPatchOperation, path: string | undefined, op: string): void {
  if (path === undefined) return;
  const core = `${USER_SCHEMA.toLowerCase()}:`;
  const bare = path.startsWith(core) ? path.slice(core.length) : path;
  const readOnly = READ_ONLY_ENGINE_ATTRIBUTES.find((a) => {
    const target = `${ENGINE_SCHEMA}:${a}`.toLowerCase();
    return bare === target || bare.startsWith(`${target}.`) || bare.startsWith(`${target}[`);
  });
  if (readOnly) {
    throw new ScimError(
      400,
      `${ENGINE_SCHEMA}:${readOnly} is read only: the account's status, gates, windows and held edit are ` +
        "the engine's (R13-R32), never a PATCH target.",
      'mutability',
    );
  }
  const removes = op === 'remove' || (op === 'replace' && (operation as { value?: unknown }).value === null);
  if (!removes) return;
  const urn = [ENTERPRISE_SCHEMA, ENGINE_SCHEMA].find((u) => u.toLowerCase() === bare);
  if (urn) {
    throw new ScimError(
      400,
      `${urn} is a required extension: every user has it (its organisation and address's domain, R9, R11); ` +
        'remove its attributes one by one instead.',
      'invalidValue',
    );
  }
  const attribute = REQUIRED_PATHS.find((a) => a.toLowerCase() === bare);
  if (attribute) {
    throw new ScimError(
      400,
      attribute === 'active'
        ? 'active is required and cannot be removed: false marks a leaver, true withdraws the mark (R28).'
        : `${attribute} is required and cannot be removed (R1, R3, R11).`,
      'invalidValue',
    );
  }
}

/**
 * RFC 7644 3.5.2: the operations applied in order by `scim-patch`, but those on a whole extension (its URN as
 * the path), which it reads as a path inside one: an add merges into the extension, a replace sets it. A
 * remove of what every user has is refused (`refuseRemovingRequired`).
 */
function applyPatch(current: ScimUser, operations: ScimPatchOperation[]): ScimUser {
  let document = structuredClone(current) as Record<string, unknown>;
  for (const operation of operations) {
    const path = typeof operation.path === 'string' ? operation.path.toLowerCase() : undefined;
    const urn = [ENTERPRISE_SCHEMA, ENGINE_SCHEMA].find((u) => u.toLowerCase() === path);
    const op = String(operation.op).toLowerCase();
    refuseRemovingRequired(operation, path, op);
    if (urn) {
      const { schemas: _schemas, ...value } = ((operation as { value?: unknown }).value ?? {}) as Record<
        string,
        unknown
      >;
      const before = (document[urn] ?? {}) as Record<string, unknown>;
      document[urn] = op === 'add' ? { ...before, ...value } : value;
      continue;
    }
    try {
      document = scimPatch(document as never, [operation], {
        mutateDocument: false,
        treatMissingAsAdd: true,
      });
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      const scimType = (err.scimCode ?? 'invalidSyntax') as 'invalidSyntax';
      throw new ScimError(400, `The PATCH cannot be applied: ${err.message}`, scimType);
    }
  }
  return document as ScimUser;
}

function listOf(resources: unknown[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

function findOne<T extends { id: string }>(resources: T[], id: string): T {
  const found = resources.find((r) => r.id === id);
  if (!found) throw new ScimError(404, `No ${id} here.`);
  return found;
}
