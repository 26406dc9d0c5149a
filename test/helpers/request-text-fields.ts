import type { z } from 'zod';
import { openApiDocument } from '../../src/http/api/openapi';
import {
  bulkUploadQuery,
  createAccountBody,
  editAccountBody,
  identityEventBody,
  joinerBody,
  leaversQuery,
  listAccountsQuery,
} from '../../src/operations/schemas/requests';
import { auditQuery } from '../../src/operations/schemas/audit-query';
import { mfaExceptionBody, notesBody } from '../../src/operations/account-changes';

/** One text field of one request: its schema, a valid request around a value, and how errors name it. */
export interface TextField {
  operationId: string;
  /** The field as the document lists it: a list's items as `name[]`. */
  name: string;
  schema: z.ZodType;
  /** A valid request with `value` in this field. */
  request: (value: string) => unknown;
  /** The path of the field's error. */
  path: string;
  /** How the field's messages name it. */
  label: string;
  /** A valid value with `inside` in its middle (for codes and numbers, where any other value is refused). */
  around: (inside: string) => string;
  /** Notes hold lines: tabs and line breaks are allowed. */
  lines?: true;
}

const person = {
  title: 'Dr',
  firstName: 'Aoife',
  lastName: 'Byrne',
  emailAlias: 'nhs.net',
  organisation: 'RJ1',
};
const words = (inside: string) => `Ward${inside}Sister`;
const PROFILE: { name: string; label: string; around?: (inside: string) => string }[] = [
  { name: 'title', label: 'Title', around: (c) => `D${c}r` },
  { name: 'firstName', label: 'First name' },
  { name: 'lastName', label: 'Last name' },
  { name: 'mobile', label: 'Mobile', around: (c) => `07400${c}123456` },
  { name: 'telephone', label: 'Telephone', around: (c) => `020${c}7188 7188` },
  { name: 'pager', label: 'Pager', around: (c) => `07623${c}123456` },
  { name: 'fax', label: 'Fax', around: (c) => `020${c}7188 0000` },
  { name: 'jobTitle', label: 'Job title' },
  { name: 'organisationalUnit', label: 'Organisational unit', around: (c) => `RJ1-CARD${c}-CCU` },
  { name: 'site', label: 'Site', around: (c) => `RJ1${c}21` },
];
const LISTS = [
  { name: 'clinicalSpecialities', label: 'clinical speciality code', around: (c: string) => `30${c}0` },
  { name: 'clinicalRoles', label: 'clinical role code', around: (c: string) => `R80${c}00` },
  { name: 'workAreas', label: 'work area code', around: (c: string) => `WA-${c}WARD` },
];

function bodyFields(
  operationId: string,
  schema: z.ZodType,
  base: Record<string, unknown>,
  names: string[],
): TextField[] {
  const text = [
    ...PROFILE,
    { name: 'emailAlias', label: 'Email alias', around: (c: string) => `nhs${c}.net` },
  ]
    .concat([{ name: 'organisation', label: 'Organisation', around: (c: string) => `RJ${c}1` }])
    .filter((f) => names.includes(f.name))
    .map((f): TextField => ({
      operationId,
      name: f.name,
      schema,
      request: (value) => ({ ...base, [f.name]: value }),
      path: f.name,
      label: f.label,
      around: f.around ?? words,
    }));
  const lists = LISTS.filter((f) => names.includes(f.name)).map((f): TextField => ({
    operationId,
    name: `${f.name}[]`,
    schema,
    request: (value) => ({ ...base, [f.name]: [value] }),
    path: `${f.name}.0`,
    label: f.label,
    around: f.around,
  }));
  return [...text, ...lists];
}

const ALL_PROFILE = [...PROFILE.map((f) => f.name), ...LISTS.map((f) => f.name)];
const query = (
  operationId: string,
  schema: z.ZodType,
  name: string,
  label: string,
  around: (inside: string) => string,
  base: Record<string, string> = {},
): TextField => ({
  operationId,
  name,
  schema,
  request: (value) => ({ ...base, [name]: value }),
  path: name,
  label,
  around,
});
const cursorAround = (c: string) => `YUBu${c}aHMubmV0`;

/** Every text field of every request the API reads (the document's, checked by `documentedTextFields`). */
export const TEXT_FIELDS: TextField[] = [
  ...bodyFields('createAccount', createAccountBody, person, [...ALL_PROFILE, 'emailAlias', 'organisation']),
  {
    operationId: 'createAccount',
    name: 'notes',
    schema: createAccountBody,
    request: (notes) => ({ ...person, notes }),
    path: 'notes',
    label: 'Notes',
    around: words,
    lines: true,
  },
  ...bodyFields('editAccount', editAccountBody, {}, ALL_PROFILE),
  {
    operationId: 'setNotes',
    name: 'notes',
    schema: notesBody,
    request: (notes) => ({ notes }),
    path: 'notes',
    label: 'Notes',
    around: words,
    lines: true,
  },
  {
    operationId: 'startMfaException',
    name: 'riskAssessmentRef',
    schema: mfaExceptionBody,
    request: (riskAssessmentRef) => ({ term: 'short', riskAssessmentRef }),
    path: 'riskAssessmentRef',
    label: 'Risk assessment reference',
    around: (c) => `RA-2026${c}-117`,
  },
  {
    operationId: 'reportIdentityEvent',
    name: 'phoneNumber',
    schema: identityEventBody,
    request: (phoneNumber) => ({ type: 'MfaRegistered', method: 'sms', phoneNumber }),
    path: 'phoneNumber',
    label: 'Phone number',
    around: (c) => `+44 7400${c}123456`,
  },
  {
    operationId: 'reportIdentityEvent',
    name: 'mobile',
    schema: identityEventBody,
    request: (mobile) => ({ type: 'ProfileUpdated', mobile }),
    path: 'mobile',
    label: 'Phone number',
    around: (c) => `+44 7400${c}123456`,
  },
  ...bodyFields('acceptJoiner', joinerBody, { organisation: 'RRV' }, [
    'organisation',
    'organisationalUnit',
    'site',
    'jobTitle',
    ...LISTS.map((f) => f.name),
  ]),
  query('searchAccounts', listAccountsQuery, 'org', 'org', (c) => `RJ${c}1`),
  query('searchAccounts', listAccountsQuery, 'q', 'q', words),
  query('searchAccounts', listAccountsQuery, 'role', 'role', (c) => `R80${c}00`),
  query('searchAccounts', listAccountsQuery, 'cursor', 'cursor', cursorAround),
  query('findLeavers', leaversQuery, 'q', 'q', words),
  query('findLeavers', leaversQuery, 'cursor', 'cursor', cursorAround, { q: 'smith' }),
  query('searchAuditTrail', auditQuery, 'actor', 'actor', (c) => `admin${c}-rj1`),
  query('searchAuditTrail', auditQuery, 'org', 'org', (c) => `RJ${c}1`),
  query('searchAuditTrail', auditQuery, 'account', 'account', (c) => `john${c}.smith@nhs.net`),
  query('searchAuditTrail', auditQuery, 'cursor', 'cursor', cursorAround),
  query('uploadBulkFile', bulkUploadQuery, 'organisation', 'organisation', (c) => `RJ${c}1`, {
    mode: 'validate',
  }),
];

interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
}

/**
 * The text fields of the document's requests (bodies and queries; paths and headers have patterns of their
 * own): every string that is not one of a list (enum) or a format, with its schema there.
 */
export function documentedTextFields(): { operationId: string; name: string; schema: SchemaNode }[] {
  const found: { operationId: string; name: string; schema: SchemaNode }[] = [];
  const walk = (operationId: string, name: string, node: SchemaNode | undefined): void => {
    if (!node) return;
    if (node.$ref) return walk(operationId, name, doc.components.schemas[node.$ref.split('/').pop()!]);
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) walk(operationId, name, branch);
    for (const [key, property] of Object.entries(node.properties ?? {})) walk(operationId, key, property);
    if (node.items) walk(operationId, `${name}[]`, node.items);
    const types = [node.type].flat();
    // A field of several variants (MfaRegistered's phoneNumber, by phone or app) is listed once per pattern.
    const again = found.some(
      (f) => f.operationId === operationId && f.name === name && f.schema.pattern === node.pattern,
    );
    // A code of a list is listed (enum) and keeps its pattern, as the API still reads it as text.
    const text = !node.format && (!node.enum || node.pattern !== undefined);
    if (types.includes('string') && text && !again) found.push({ operationId, name, schema: node });
  };
  const doc = openApiDocument() as unknown as {
    components: { schemas: Record<string, SchemaNode> };
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          parameters?: { in: string; name: string; schema: SchemaNode }[];
          requestBody?: { content: Record<string, { schema: SchemaNode }> };
        }
      >
    >;
  };
  // The API's requests (/v1). SCIM's (/scim/v2, R33) are described by the engine's SCIM Schemas, not by
  // patterns: what they hold that is kept reaches the same field rules (names, phones, externalId,
  // employeeNumber...), which refuse control characters, and the rest (filter, attributes, a PATCH's path) is
  // parsed, never stored.
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path.startsWith('/scim/')) continue;
    for (const op of Object.values(item)) {
      walk(op.operationId, '(body)', op.requestBody?.content['application/json']?.schema);
      for (const p of op.parameters ?? []) if (p.in === 'query') walk(op.operationId, p.name, p.schema);
    }
  }
  return found;
}
