import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { apiRoutes } from '../../src/http/app';
import { openApiDocument } from '../../src/http/api/openapi';
import { DAY, HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';
import { csv, finished, line, upload } from '../bulk/bulk-helpers';
import { createAccountBody, joinerBody } from '../../src/operations/schemas/requests';
import { referenceData } from '../../src/reference/reference-data';
import { entraUser, SCIM_TOKEN, USER as SCIM_USER } from '../scim/scim-client';

type Document = ReturnType<typeof openApiDocument>;
interface Header {
  required?: boolean;
}
interface Answer {
  headers?: Record<string, Header>;
  content?: Record<string, { schema: unknown }>;
}
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, Answer>;
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every operation of the document, by `METHOD /path`. */
function operations(doc: Document): Map<string, Operation> {
  const ops = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) ops.set(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return ops;
}

/**
 * What a client checks of an answer: its status is documented for the operation, it has the headers the
 * document requires, its media type is documented, and its body validates against the documented schema
 * (JSON Schema 2020-12, formats asserted), as served at /openapi.json.
 */
function contract(doc: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc as object, 'openapi.json');
  const ops = operations(doc);
  const pointer = (...parts: string[]) =>
    parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  const seen = new Set<string>();
  const conforms = (res: Response, method: string, path: string): void => {
    const key = `${method.toUpperCase()} ${path}`;
    const op = ops.get(key);
    assert.ok(op, `${key} is documented`);
    const status = String(res.status);
    const answer = op.responses[status];
    assert.ok(answer, `${key} documents ${status}: ${res.text}`);
    for (const [name, header] of Object.entries(answer.headers ?? {})) {
      if (header.required) assert.ok(res.headers[name.toLowerCase()], `${key} ${status}: header ${name}`);
    }
    if (res.status === 204) {
      assert.equal(answer.content, undefined, `${key} 204 has no content`);
      seen.add(`${key} ${status}`);
      return;
    }
    const type = res.type;
    assert.ok(answer.content?.[type], `${key} ${status} documents ${type}`);
    const ref = `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', type, 'schema')}`;
    const validate = ajv.getSchema(ref);
    assert.ok(validate, ref);
    const body: unknown = type === 'text/csv' ? res.text : res.body;
    assert.ok(
      validate(body),
      `${key} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 2000)}`,
    );
    seen.add(`${key} ${status}`);
  };
  return { conforms, seen };
}

/** An account created through the API and brought to Active (the simulated mailbox takes 3 hours). */
async function activated(h: ApiHarness, overrides: Record<string, unknown> = {}) {
  const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson(overrides));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    const got = await h.api.get(`/v1/accounts/${res.body.id}`).set(bearer(TOKENS.gstt));
    if (got.body.status === 'Active') return res.body.id as string;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the account did not become Active');
}

/**
 * Routes served besides the API the document describes: Prometheus' (/metrics), Temporal Web's (the codec),
 * and the document's own viewer (/docs, Swagger UI, and its files).
 */
const undocumented = (route: string) => /^(GET \/metrics|POST \/codec\/|GET \/docs($|\/))/.test(route);

describe('API: the OpenAPI document is the contract', () => {
  it('lists every route the app registered, with its methods, and nothing else; every operation is complete', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const doc = (await h.api.get('/openapi.json')).body as Document;
      assert.deepEqual(doc, openApiDocument(), 'served as generated');
      const registered = apiRoutes(h.app).flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));
      assert.ok(registered.length > 25, 'the routes are read from the app');
      const documented = [...operations(doc).keys()];
      assert.deepEqual(
        registered.filter((r) => !undocumented(r)).sort(),
        documented.sort(),
        'the same routes and methods',
      );
      for (const route of [
        'POST /v1/accounts/{id}/leaver',
        'DELETE /v1/accounts/{id}/leaver',
        'POST /v1/accounts/{id}/joiner',
        'GET /v1/leavers',
        'POST /v1/accounts/{id}/resecure',
        'POST /v1/accounts/{id}/reactivation',
        'POST /v1/accounts/{id}/restoration',
        'POST /v1/bulk-uploads',
        'GET /v1/bulk-uploads/{id}/results.csv',
      ]) {
        assert.ok(documented.includes(route), route);
      }

      assert.deepEqual(doc.servers, [{ url: '/', description: 'The server this document is served from' }]);
      const ids = new Set<string>();
      for (const [key, op] of operations(doc)) {
        assert.ok(op.operationId && !ids.has(op.operationId), `${key}: a unique operationId`);
        ids.add(op.operationId);
        assert.ok(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${key}: a success answer`,
        );
        for (const [status, answer] of Object.entries(op.responses)) {
          for (const [type, media] of Object.entries(answer.content ?? {})) {
            assert.notDeepEqual(
              media.schema,
              { type: 'object', additionalProperties: {} },
              `${key} ${status}`,
            );
            if (type === 'application/json' && status.startsWith('2') && key !== 'GET /openapi.json') {
              assert.ok(
                JSON.stringify(media.schema) !== '{"type":"object","properties":{}}',
                `${key}: typed`,
              );
            }
          }
        }
        if (key.includes(' /v1/')) {
          for (const status of ['401', '429'])
            assert.ok(op.responses[status], `${key}: ${status} is documented`);
          assert.ok(op.responses['429']!.headers?.['Retry-After']?.required, `${key}: 429 Retry-After`);
        }
        const changes = /^(POST|PUT|PATCH|DELETE) \/v1\/accounts/.test(key);
        assert.equal(
          op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') ?? false,
          changes,
          `${key}: Idempotency-Key`,
        );
        if (changes) {
          for (const status of ['409', '422', '503']) assert.ok(op.responses[status], `${key}: ${status}`);
        }
        if (op.requestBody) {
          const optional = /\/(leaver|resecure|reactivation|restoration)$/.test(key);
          assert.equal(op.requestBody.required, !optional, `${key}: the body is required`);
          for (const status of ['400', '413', '415']) assert.ok(op.responses[status], `${key}: ${status}`);
        }
      }
      const ops = operations(doc);
      const component = (schema: Record<string, unknown>) =>
        (doc.components!.schemas as Record<string, Record<string, unknown>>)[
          String(schema.$ref).replace('#/components/schemas/', '')
        ]!;
      const patch = component(
        ops.get('PATCH /v1/accounts/{id}')!.requestBody!.content['application/json']!.schema,
      );
      assert.equal(patch.minProperties, 1, 'PATCH changes at least one field');
      for (const list of ['organisations', 'specialities', 'roles', 'work-areas']) {
        const answer = ops.get(`GET /v1/reference/${list}`)!.responses['200']!;
        assert.equal((answer.content!['application/json']!.schema as { type: string }).type, 'array', list);
      }
      const created = ops.get('POST /v1/accounts')!.responses['201']!;
      assert.ok(created.headers?.Location?.required && created.headers['Idempotent-Replayed']);
      assert.ok(ops.get('POST /v1/bulk-uploads')!.responses['202']!.headers?.Location?.required);
      assert.ok(ops.get('POST /v1/bulk-uploads')!.requestBody!.content['text/csv']);
    });
  });

  it("R9: the document states what the API checks of a create's and a joiner's alias, unit and site: the schema and the API agree for every organisation", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(openApiDocument() as object, 'openapi.json');
    const { organisationalUnit: _unit, site: _site, ...person } = newPerson();
    const bodies = [
      ['CreateAccountRequest', createAccountBody, person],
      ['AcceptJoinerRequest', joinerBody, {}],
    ] as const;
    const { organisations } = referenceData;
    let refused = 0;
    for (const [name, schema, base] of bodies) {
      const documented = ajv.getSchema(`openapi.json#/components/schemas/${name}`)!;
      for (const org of organisations) {
        const tried: Record<string, unknown>[] = [{}];
        for (const other of organisations) {
          const unit = [...referenceData.unitCodes(other)][0];
          if (unit) tried.push({ organisationalUnit: unit });
          tried.push({ site: other.sites[0]!.code });
        }
        if (name === 'CreateAccountRequest') tried.push({ emailAlias: 'NHS.net' }, { emailAlias: 'nhs.uk' });
        for (const fields of tried) {
          const body = { ...base, organisation: org.code, ...fields };
          const accepted = schema.safeParse(body).success;
          if (!accepted) refused++;
          assert.equal(documented(body), accepted, `${name} ${JSON.stringify(body)}`);
        }
      }
    }
    assert.ok(refused > 20, 'other organisations’ units and sites are refused');
  });

  it('answers a method a path does not have 405 with Allow, and OPTIONS with the methods', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      for (const [method, path, allow] of [
        ['trace', '/v1/accounts', 'GET, POST, HEAD, OPTIONS'],
        ['put', '/v1/accounts/someone@nhs.net', 'GET, PATCH, HEAD, OPTIONS'],
        ['delete', '/v1/bulk-uploads/sample.csv', 'GET, HEAD, OPTIONS'],
        ['patch', '/v1/bulk-uploads/RJ1-1a2b3c4d', 'DELETE, GET, HEAD, OPTIONS'],
        ['get', '/v1/accounts/someone@nhs.net/leaver', 'DELETE, POST, OPTIONS'],
        ['post', '/v1/reference/roles', 'GET, HEAD, OPTIONS'],
        ['delete', '/healthz', 'GET, HEAD, OPTIONS'],
        ['post', '/openapi.json', 'GET, HEAD, OPTIONS'],
      ] as const) {
        for (const token of [TOKENS.national, undefined]) {
          const req = h.api[method](path);
          const res = await (token ? req.set(bearer(token)) : req);
          assert.equal(res.status, 405, `${method} ${path}: ${res.text}`);
          assert.equal(res.headers.allow, allow, `${method} ${path}`);
          assert.equal(res.type, 'application/problem+json');
          assert.equal(res.body.status, 405);
        }
      }
      const options = await h.api.options('/v1/accounts/someone@nhs.net/mfa-exceptions/current');
      assert.equal(options.status, 204);
      assert.equal(options.headers.allow, 'DELETE, OPTIONS');
      assert.equal((await h.api.head('/v1/reference/roles').set(bearer(TOKENS.gstt))).status, 200);
      assert.equal((await h.api.get('/v1/accounts/a/b/c').set(bearer(TOKENS.gstt))).status, 404);
      assert.equal((await h.api.get('/v2/accounts')).status, 404, 'a path the API does not have');
    });
  });

  it('R4: a number in a query is decimal digits: limit=0x10 and the like are refused 400 naming limit', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      for (const path of ['/v1/accounts', '/v1/leavers?q=smith']) {
        for (const limit of ['0x10', '1e1', '+16', ' 16', '16.0', '', '0', '101', 'ten']) {
          const url = `${path}${path.includes('?') ? '&' : '?'}limit=${encodeURIComponent(limit)}`;
          const res = await h.api.get(url).set(bearer(TOKENS.gstt));
          assert.equal(res.status, 400, `${url}: ${res.text}`);
          assert.deepEqual(
            res.body.errors,
            [{ path: 'limit', message: 'limit must be a whole number from 1 to 100' }],
            url,
          );
        }
        const many = await h.api.get(`${path}${path.includes('?') ? '&' : '?'}limit=1&limit=2`);
        assert.equal(many.status, 401, 'no token: refused before the query is read');
        const twice = await h.api
          .get(`${path}${path.includes('?') ? '&' : '?'}limit=1&limit=2`)
          .set(bearer(TOKENS.gstt));
        assert.equal(twice.status, 400);
        assert.equal(twice.body.errors[0].path, 'limit');
        const ok = await h.api
          .get(`${path}${path.includes('?') ? '&' : '?'}limit=16`)
          .set(bearer(TOKENS.gstt));
        assert.equal(ok.status, 200);
      }
    });
  });

  it('every route answers as the document says: statuses, headers, media types and bodies', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const doc = (await h.api.get('/openapi.json')).body as Document;
      const { conforms, seen } = contract(doc);
      const admin = bearer(TOKENS.gstt);
      const national = bearer(TOKENS.national);

      // Health and the document itself.
      conforms(await h.api.get('/healthz'), 'get', '/healthz');
      conforms(await h.api.get('/readyz'), 'get', '/readyz');
      conforms(await h.api.get('/openapi.json'), 'get', '/openapi.json');

      // Reference lists.
      for (const list of ['organisations', 'specialities', 'roles', 'work-areas']) {
        conforms(await h.api.get(`/v1/reference/${list}`).set(admin), 'get', `/v1/reference/${list}`);
      }
      conforms(
        await h.api.get('/v1/reference/roles').set(bearer(TOKENS.identity)),
        'get',
        '/v1/reference/roles',
      );

      // Create, with its problems; a replay with the same Idempotency-Key.
      const person = newPerson({ telephone: '020 7188 7188', notes: 'Starts Monday' });
      const created = await h.api
        .post('/v1/accounts')
        .set(admin)
        .set('Idempotency-Key', 'contract-1')
        .send(person);
      conforms(created, 'post', '/v1/accounts');
      assert.equal(created.status, 201);
      assert.equal(created.headers.location, `/v1/accounts/${encodeURIComponent(created.body.id)}`);
      const replay = await h.api
        .post('/v1/accounts')
        .set(admin)
        .set('Idempotency-Key', 'contract-1')
        .send(person);
      conforms(replay, 'post', '/v1/accounts');
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(replay.headers.location, created.headers.location);
      const reused = await h.api
        .post('/v1/accounts')
        .set(admin)
        .set('Idempotency-Key', 'contract-1')
        .send(newPerson());
      conforms(reused, 'post', '/v1/accounts');
      assert.equal(reused.status, 422);
      const duplicate = await h.api
        .post('/v1/accounts')
        .set(admin)
        .send({ ...person, lastName: 'Other' });
      assert.equal(duplicate.status, 409);
      conforms(duplicate, 'post', '/v1/accounts');
      const sameName = await h.api
        .post('/v1/accounts')
        .set(admin)
        .send(newPerson({ lastName: person.lastName }));
      assert.equal(sameName.status, 409);
      assert.ok(sameName.body.candidates);
      conforms(sameName, 'post', '/v1/accounts');
      const invalid = await h.api.post('/v1/accounts').set(admin).send({ title: 'Dr', mobile: '12' });
      assert.equal(invalid.status, 400);
      conforms(invalid, 'post', '/v1/accounts');
      const unauthorised = await h.api.post('/v1/accounts').send(person);
      assert.equal(unauthorised.status, 401);
      conforms(unauthorised, 'post', '/v1/accounts');
      conforms(
        await h.api.post('/v1/accounts').set(bearer(TOKENS.identity)).send(person),
        'post',
        '/v1/accounts',
      );
      const notJson = await h.api.post('/v1/accounts').set(admin).set('Content-Type', 'text/plain').send('x');
      conforms(notJson, 'post', '/v1/accounts');
      const large = await h.api
        .post('/v1/accounts')
        .set(admin)
        .send({ ...newPerson(), notes: 'x'.repeat(70_000) });
      assert.equal(large.status, 413);
      conforms(large, 'post', '/v1/accounts');

      // A Pending account: reads, notes, and the lifecycle's refusals.
      const pending = `/v1/accounts/${created.body.id}`;
      conforms(await h.api.get(pending).set(admin), 'get', '/v1/accounts/{id}');
      conforms(
        await h.api.patch(pending).set(admin).send({ jobTitle: 'Lead' }),
        'patch',
        '/v1/accounts/{id}',
      );
      conforms(
        await h.api.put(`${pending}/notes`).set(admin).send({ notes: 'n' }),
        'put',
        '/v1/accounts/{id}/notes',
      );
      conforms(await h.api.get('/v1/accounts/nobody@nhs.net').set(admin), 'get', '/v1/accounts/{id}');
      conforms(await h.api.get(pending).set(bearer(TOKENS.pharmacy)), 'get', '/v1/accounts/{id}');
      conforms(
        await h.api.post(`${pending}/provisioning-retries`).set(admin),
        'post',
        '/v1/accounts/{id}/provisioning-retries',
      );

      // An Active account, through every change.
      const id = await activated(h);
      const account = `/v1/accounts/${id}`;
      conforms(await h.api.get(account).set(admin), 'get', '/v1/accounts/{id}');
      conforms(
        await h.api.patch(account).set(admin).send({ jobTitle: 'Ward Sister', fax: null }),
        'patch',
        '/v1/accounts/{id}',
      );
      conforms(await h.api.patch(account).set(admin).send({}), 'patch', '/v1/accounts/{id}');
      conforms(
        await h.api.put(`${account}/notes`).set(admin).send({ notes: 'Back in May' }),
        'put',
        '/v1/accounts/{id}/notes',
      );
      conforms(
        await h.api.put(`${account}/directory-visibility`).set(admin).send({ phonesHidden: true }),
        'put',
        '/v1/accounts/{id}/directory-visibility',
      );
      for (const type of ['PasswordChanged', 'AupAccepted', 'SecretSet', 'SignedIn']) {
        conforms(
          await h.api.post(`${account}/events`).set(bearer(TOKENS.identity)).send({ type }),
          'post',
          '/v1/accounts/{id}/events',
        );
      }
      conforms(
        await h.api.post(`${account}/events`).set(bearer(TOKENS.identity)).send({ type: 'Nope' }),
        'post',
        '/v1/accounts/{id}/events',
      );
      const exception = await h.api
        .post(`${account}/mfa-exceptions`)
        .set(admin)
        .set('Idempotency-Key', 'contract-mfa')
        .send({ term: 'short', riskAssessmentRef: ' RA-2024-17 ' });
      assert.equal(exception.status, 201);
      assert.equal(exception.body.mfa.exception.riskAssessmentRef, 'RA-2024-17');
      conforms(exception, 'post', '/v1/accounts/{id}/mfa-exceptions');
      const reusedKey = await h.api
        .put(`${account}/notes`)
        .set(admin)
        .set('Idempotency-Key', 'contract-mfa')
        .send({ notes: '' });
      assert.equal(reusedKey.status, 422);
      conforms(reusedKey, 'put', '/v1/accounts/{id}/notes');
      const badKey = await h.api
        .put(`${account}/notes`)
        .set(admin)
        .set('Idempotency-Key', 'a b')
        .send({ notes: '' });
      assert.equal(badKey.status, 400);
      conforms(badKey, 'put', '/v1/accounts/{id}/notes');
      conforms(
        await h.api.delete(`${account}/mfa-exceptions/current`).set(admin),
        'delete',
        '/v1/accounts/{id}/mfa-exceptions/current',
      );
      conforms(
        await h.api.delete(`${account}/mfa-exceptions/current`).set(admin),
        'delete',
        '/v1/accounts/{id}/mfa-exceptions/current',
      );
      conforms(await h.api.get(`${account}/history`).set(admin), 'get', '/v1/accounts/{id}/history');
      conforms(await h.api.post(`${account}/resecure`).set(admin), 'post', '/v1/accounts/{id}/resecure');
      conforms(
        await h.api.post(`${account}/resecure`).set(admin).send({ x: 1 }),
        'post',
        '/v1/accounts/{id}/resecure',
      );
      conforms(
        await h.api.get(`/v1/accounts?q=${encodeURIComponent(person.lastName)}`).set(admin),
        'get',
        '/v1/accounts',
      );
      conforms(await h.api.get('/v1/accounts?status=Sleeping').set(admin), 'get', '/v1/accounts');
      conforms(await h.api.get('/v1/accounts?org=RRV').set(admin), 'get', '/v1/accounts');

      // Leaver and joiner.
      conforms(await h.api.post(`${account}/leaver`).set(admin).send({}), 'post', '/v1/accounts/{id}/leaver');
      conforms(await h.api.post(`${account}/leaver`).set(admin), 'post', '/v1/accounts/{id}/leaver');
      conforms(await h.api.delete(`${account}/leaver`).set(admin), 'delete', '/v1/accounts/{id}/leaver');
      conforms(await h.api.post(`${account}/leaver`).set(admin), 'post', '/v1/accounts/{id}/leaver');
      const leavers = await h.api.get('/v1/leavers?q=Testa').set(bearer(TOKENS.uclhManchester));
      assert.ok(leavers.body.items.length >= 1);
      conforms(leavers, 'get', '/v1/leavers');
      conforms(await h.api.get('/v1/audit?limit=2').set(admin), 'get', '/v1/audit');
      conforms(await h.api.get('/v1/audit?from=yesterday&limit=0').set(admin), 'get', '/v1/audit');
      conforms(await h.api.get('/v1/audit').set(bearer(TOKENS.identity)), 'get', '/v1/audit');
      conforms(await h.api.get('/v1/leavers?q=%20a%20').set(admin), 'get', '/v1/leavers');
      conforms(
        await h.api
          .post(`${account}/joiner`)
          .set(bearer(TOKENS.uclhManchester))
          .send({ organisation: 'RRV' }),
        'post',
        '/v1/accounts/{id}/joiner',
      );

      // Inactivity and deletion (R30, R32).
      const other = await activated(h);
      await h.sleep(31 * DAY);
      const inactive = `/v1/accounts/${other}`;
      conforms(
        await h.api.post(`${inactive}/reactivation`).set(admin),
        'post',
        '/v1/accounts/{id}/reactivation',
      );
      conforms(
        await h.api.post(`${inactive}/reactivation`).set(admin),
        'post',
        '/v1/accounts/{id}/reactivation',
      );
      await h.sleep(61 * DAY);
      conforms(
        await h.api.post(`${inactive}/restoration`).set(national),
        'post',
        '/v1/accounts/{id}/restoration',
      );
      conforms(
        await h.api.post(`${inactive}/restoration`).set(admin),
        'post',
        '/v1/accounts/{id}/restoration',
      );
      conforms(await h.api.get('/v1/accounts?status=Deleted').set(admin), 'get', '/v1/accounts');

      // Bulk uploads (R31).
      conforms(
        await h.api.get('/v1/bulk-uploads/sample.csv').set(admin),
        'get',
        '/v1/bulk-uploads/sample.csv',
      );
      const file = csv([line(), line({ Mobile: '12' })]);
      conforms(await upload(h, file, 'validate'), 'post', '/v1/bulk-uploads');
      conforms(await upload(h, 'nonsense', 'validate'), 'post', '/v1/bulk-uploads');
      conforms(
        await h.api.post('/v1/bulk-uploads?organisation=RJ1&mode=validate').set(admin).send({ a: 1 }),
        'post',
        '/v1/bulk-uploads',
      );
      const started = await upload(h, file, 'create');
      assert.equal(started.status, 202);
      assert.equal(started.headers.location, `/v1/bulk-uploads/${started.body.id}`);
      conforms(started, 'post', '/v1/bulk-uploads');
      await finished(h, started.body.id);
      const uploaded = `/v1/bulk-uploads/${started.body.id}`;
      conforms(await h.api.get(uploaded).set(admin), 'get', '/v1/bulk-uploads/{id}');
      conforms(await h.api.delete(uploaded).set(admin), 'delete', '/v1/bulk-uploads/{id}');
      conforms(
        await h.api.get(`${uploaded}/results.csv`).set(admin),
        'get',
        '/v1/bulk-uploads/{id}/results.csv',
      );
      const confirm = '/v1/bulk-uploads/{id}/passwords/confirm';
      conforms(await h.api.post(`${uploaded}/passwords/confirm`).set(admin), 'post', confirm);
      conforms(
        await h.api.post(`${uploaded}/passwords/confirm`).set(bearer(TOKENS.national)),
        'post',
        confirm,
      );
      conforms(await h.api.get('/v1/bulk-uploads/RJ1-nothing').set(admin), 'get', '/v1/bulk-uploads/{id}');
      conforms(await h.api.get(uploaded).set(bearer(TOKENS.pharmacy)), 'get', '/v1/bulk-uploads/{id}');

      // SCIM (R33): application/scim+json both ways, errors in SCIM's shape.
      const scimClient = bearer(SCIM_TOKEN);
      const v2 = '/scim/v2';
      const scimCall = (method: 'post' | 'put' | 'patch', url: string, body: unknown, token = scimClient) =>
        h.api[method](`${v2}${url}`)
          .set(token)
          .set('Content-Type', 'application/scim+json')
          .send(JSON.stringify(body));
      const scimGet = (url: string, token: Record<string, string> = scimClient) =>
        h.api.get(`${v2}${url}`).set(token);
      conforms(await scimGet('/ServiceProviderConfig'), 'get', `${v2}/ServiceProviderConfig`);
      conforms(await h.api.get(`${v2}/ServiceProviderConfig`), 'get', `${v2}/ServiceProviderConfig`);
      conforms(await scimGet('/ServiceProviderConfig', admin), 'get', `${v2}/ServiceProviderConfig`);
      conforms(await scimGet('/ResourceTypes'), 'get', `${v2}/ResourceTypes`);
      conforms(await scimGet('/ResourceTypes/User'), 'get', `${v2}/ResourceTypes/{id}`);
      conforms(await scimGet('/ResourceTypes/Group'), 'get', `${v2}/ResourceTypes/{id}`);
      conforms(await scimGet('/Schemas'), 'get', `${v2}/Schemas`);
      conforms(await scimGet(`/Schemas/${SCIM_USER}`), 'get', `${v2}/Schemas/{id}`);
      conforms(await scimGet('/Schemas/urn:nothing'), 'get', `${v2}/Schemas/{id}`);
      const scimUser = entraUser({ phoneNumbers: [{ type: 'mobile', value: '07400 865432' }] });
      const made = await scimCall('post', '/Users', scimUser);
      assert.equal(made.status, 201, made.text);
      conforms(made, 'post', `${v2}/Users`);
      conforms(await scimCall('post', '/Users', scimUser), 'post', `${v2}/Users`);
      conforms(await scimCall('post', '/Users', { ...scimUser, userName: '' }), 'post', `${v2}/Users`);
      conforms(
        await h.api.post(`${v2}/Users`).set(scimClient).set('Content-Type', 'text/plain').send('userName=x'),
        'post',
        `${v2}/Users`,
      );
      const user = `/Users/${encodeURIComponent(made.body.id)}`;
      // Lists of this test's user only: the run's other accounts are on workers that have stopped.
      const mine = `externalId eq "${made.body.externalId}" and active eq true`;
      const listed = await scimGet(`/Users?filter=${encodeURIComponent(mine)}`);
      assert.equal(listed.body.totalResults, 1, listed.text);
      conforms(listed, 'get', `${v2}/Users`);
      conforms(await scimGet(`/Users?filter=${encodeURIComponent('nickName eq "x"')}`), 'get', `${v2}/Users`);
      const search = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: mine,
        count: 2,
      };
      for (const path of ['/Users/.search', '/.search']) {
        const found = await scimCall('post', path, search);
        assert.equal(found.body.totalResults, 1, found.text);
        conforms(found, 'post', `${v2}${path}`);
      }
      conforms(await scimGet(user), 'get', `${v2}/Users/{id}`);
      conforms(await scimGet('/Users/nobody@nhs.net'), 'get', `${v2}/Users/{id}`);
      conforms(await scimCall('put', user, { ...scimUser, title: 'Matron' }), 'put', `${v2}/Users/{id}`);
      conforms(await scimCall('put', user, scimUser).set('If-Match', 'W/"stale"'), 'put', `${v2}/Users/{id}`);
      const patchOp = (operations: unknown[]) => ({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: operations,
      });
      conforms(
        await scimCall('patch', user, patchOp([{ op: 'replace', path: 'title', value: 'Sister' }])),
        'patch',
        `${v2}/Users/{id}`,
      );
      conforms(
        await scimCall('patch', user, patchOp([{ op: 'remove', path: 'active' }])),
        'patch',
        `${v2}/Users/{id}`,
      );
      conforms(await h.api.delete(`${v2}${user}`).set(scimClient), 'delete', `${v2}/Users/{id}`);
      conforms(await h.api.delete(`${v2}${user}`).set(scimClient), 'delete', `${v2}/Users/{id}`);

      const answered = [...seen].map((s) => s.replace(/ \d+$/, ''));
      const untried = [...operations(doc).keys()].filter((op) => !answered.includes(op));
      assert.deepEqual(untried, [], 'every operation was checked');
      for (const status of ['200', '201', '202', '400', '401', '403', '404', '409', '413', '415', '422']) {
        assert.ok(
          [...seen].some((s) => s.endsWith(` ${status}`)),
          `some answer ${status} was checked`,
        );
      }
    });
  });
});
