import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Graph's published description of the paths the engine calls (openapi/graph-v1.0-subset.json). */
const DOC = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'openapi/graph-v1.0-subset.json'), 'utf8'),
) as OpenApi;

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; schema: object }[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: object } } };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, { allOf?: object[]; properties?: Record<string, unknown> }> };
}

export interface MatchedOperation {
  template: string;
  operationId: string;
  params: Record<string, string>;
  /** Why the request is not what Graph's description allows, if it is not. */
  violations: string[];
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('base64url', /^[A-Za-z0-9_=-]*$/);
ajv.addSchema({ components: DOC.components } as object, 'graph');

const bodyValidators = new Map<string, ValidateFunction>();
const EXTENSION = /^extension_[0-9a-f]{32}_[A-Za-z0-9]{1,100}$/;

/** Every property of a component, its base types' included (the description's allOf). */
function propertiesOf(name: string): Set<string> {
  const schema = DOC.components.schemas[`microsoft.graph.${name}`];
  const props = new Set<string>(Object.keys(schema?.properties ?? {}));
  for (const part of schema?.allOf ?? []) {
    const ref = (part as { $ref?: string }).$ref;
    if (ref) propertiesOf(ref.split('.').pop()!).forEach((p) => props.add(p));
    Object.keys((part as { properties?: object }).properties ?? {}).forEach((p) => props.add(p));
  }
  return props;
}
const USER_PROPERTIES = propertiesOf('user');
const MESSAGE_PROPERTIES = propertiesOf('message');

/**
 * The operation of Graph's description that a request is, and what about it the description does not
 * allow: its path, its method, its query options, its body (JSON Schema, by ajv), and the properties a
 * body names that the type does not have (Graph answers those 400 too; extension properties aside).
 */
export function matchOperation(
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): MatchedOperation | undefined {
  for (const [template, item] of Object.entries(DOC.paths)) {
    const params = matchTemplate(template, pathname);
    if (!params) continue;
    const operation = item[method.toLowerCase()] as Operation | undefined;
    if (!operation)
      return { template, operationId: '', params, violations: [`${method} ${template} is not described`] };
    const violations: string[] = [];
    const allowed = new Set(
      [...((item.parameters as Operation['parameters']) ?? []), ...(operation.parameters ?? [])]
        .filter((p) => p.in === 'query')
        .map((p) => p.name),
    );
    for (const name of query.keys())
      if (!allowed.has(name)) violations.push(`query option ${name} is not described`);
    const select = query.get('$select');
    if (
      select &&
      template.startsWith('/users') &&
      !template.includes('memberOf') &&
      !template.includes('mail')
    ) {
      for (const p of select.split(','))
        if (!USER_PROPERTIES.has(p) && !EXTENSION.test(p))
          violations.push(`$select: user has no property ${p}`);
    }
    const described = operation.requestBody?.content['application/json'].schema;
    if (described) {
      if (body === undefined && operation.requestBody?.required) violations.push('a body is required');
      if (body !== undefined) {
        const key = `${template} ${method}`;
        let validate = bodyValidators.get(key);
        if (!validate) {
          validate = ajv.compile({ $ref: '#/x', x: described, components: DOC.components } as object);
          bodyValidators.set(key, validate);
        }
        if (!validate(body))
          violations.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
        violations.push(...unknownProperties(template, body));
      }
    } else if (body !== undefined && Object.keys(body as object).length > 0) {
      violations.push('this operation takes no body');
    }
    return { template, operationId: operation.operationId, params, violations };
  }
  return undefined;
}

function unknownProperties(template: string, body: unknown): string[] {
  const names = Object.keys(body as object);
  if (template === '/users' || template === '/users/{user-id}') {
    return names
      .filter((n) => !USER_PROPERTIES.has(n) && !EXTENSION.test(n))
      .map((n) => `Property '${n}' does not exist on type 'microsoft.graph.user'`);
  }
  if (template === '/users/{user-id}/sendMail') {
    const message = (body as { Message?: object }).Message ?? {};
    return Object.keys(message)
      .filter((n) => !MESSAGE_PROPERTIES.has(n))
      .map((n) => `Property '${n}' does not exist on type 'microsoft.graph.message'`);
  }
  return [];
}

function matchTemplate(template: string, pathname: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = pathname.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const m = /^\{(.+)\}$/.exec(t[i]!);
    if (m) params[m[1]!] = decodeURIComponent(p[i]!);
    else if (t[i] !== p[i]) return undefined;
  }
  return params;
}
