import type { Principal } from '../../access/principals';
import { referenceData } from '../../reference/reference-data';
import { ENGINE_SCHEMA, ENTERPRISE_SCHEMA, READ_ONLY_ENGINE_ATTRIBUTES, USER_SCHEMA } from './user-resource';

/** The most resources one page holds (RFC 7644 3.4.2.4's count is lowered to it). */
export const MAX_RESULTS = 100;

type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  mutability?: Mutability;
  caseExact?: boolean;
  uniqueness?: 'none' | 'server';
  canonicalValues?: string[];
  subAttributes?: Attribute[];
  returned?: 'default' | 'request' | 'never';
  description: string;
}

const attribute = (a: Attribute): Attribute & { returned: string } => ({
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: a.mutability === 'writeOnly' ? 'never' : 'default',
  uniqueness: 'none',
  ...a,
});

/** The engine extension's read-only attributes, one for each name in READ_ONLY_ENGINE_ATTRIBUTES. */
const READ_ONLY: Record<
  (typeof READ_ONLY_ENGINE_ATTRIBUTES)[number],
  Omit<Attribute, 'name' | 'mutability' | 'returned'>
> = {
  status: { type: 'string', description: 'The account status (R13-R32)' },
  pendingGates: {
    type: 'string',
    multiValued: true,
    description: 'The first-login gates not yet passed (R18)',
  },
  canSendEmail: { type: 'boolean', description: 'R19' },
  leaverWindowEndsAt: { type: 'dateTime', description: 'R28' },
  mfaException: {
    type: 'complex',
    description: 'A running MFA exception (R22, R23)',
    subAttributes: [
      attribute({ name: 'term', type: 'string', mutability: 'readOnly', description: 'short or long' }),
      attribute({ name: 'endsAt', type: 'dateTime', mutability: 'readOnly', description: 'When it ends' }),
    ],
  },
  restorableUntil: { type: 'dateTime', description: 'R32' },
  pendingChanges: {
    type: 'string',
    multiValued: true,
    description: 'Fields of an edit held until the account is Active (R17, R33)',
  },
};

/** An example of a leaving date, as canonicalValues shows values a client may send. */
const LEAVING_DATE_EXAMPLE = '2099-03-31T00:00:00.000Z';

const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr', 'Prof'];

/** The Schemas this engine serves (RFC 7643 7), with the canonical values of the caller's organisations. */
export function schemas(principal: Principal, base: string) {
  const orgs = (principal.kind === 'scim-client' ? principal.orgs : [])
    .map((code) => referenceData.organisation(code))
    .filter((o) => o !== undefined);
  const codes = (items: { code: string }[]) => items.map((i) => i.code);
  const user = {
    id: USER_SCHEMA,
    name: 'User',
    description: 'An NHSmail account (docs/scim.md)',
    attributes: [
      attribute({
        name: 'userName',
        type: 'string',
        required: true,
        mutability: 'immutable',
        uniqueness: 'server',
        description:
          'Required as RFC 7643 says; the answer holds the address R11 allocates from the name, whatever was asked.',
      }),
      attribute({
        name: 'name',
        type: 'complex',
        required: true,
        description: 'The name (R3, R5)',
        subAttributes: [
          attribute({
            name: 'formatted',
            type: 'string',
            mutability: 'readOnly',
            description: 'The display name (R5)',
          }),
          attribute({ name: 'givenName', type: 'string', required: true, description: 'First name (R3)' }),
          attribute({ name: 'familyName', type: 'string', required: true, description: 'Last name (R3)' }),
          attribute({
            name: 'honorificPrefix',
            type: 'string',
            required: true,
            canonicalValues: TITLES,
            description: 'Title (R3)',
          }),
        ],
      }),
      attribute({
        name: 'displayName',
        type: 'string',
        mutability: 'readOnly',
        description: 'First and last name (R5)',
      }),
      attribute({ name: 'title', type: 'string', description: 'Job title (R3)' }),
      attribute({
        name: 'active',
        type: 'boolean',
        // Every account has it (true unless a leaver, R28): a create without it is active, a remove is refused.
        required: true,
        description: 'false: a leaver (R28); true when a create leaves it out; it cannot be removed',
      }),
      attribute({
        name: 'emails',
        type: 'complex',
        multiValued: true,
        mutability: 'readOnly',
        description: 'The address R11 allocated',
        subAttributes: [
          attribute({ name: 'value', type: 'string', mutability: 'readOnly', description: 'The address' }),
          attribute({ name: 'type', type: 'string', mutability: 'readOnly', description: 'work' }),
          attribute({ name: 'primary', type: 'boolean', mutability: 'readOnly', description: 'true' }),
        ],
      }),
      attribute({
        name: 'phoneNumbers',
        type: 'complex',
        multiValued: true,
        description: 'A UK mobile (R6), telephone, pager and fax (R7)',
        subAttributes: [
          attribute({ name: 'value', type: 'string', description: 'The number' }),
          attribute({
            name: 'type',
            type: 'string',
            canonicalValues: ['mobile', 'work', 'pager', 'fax'],
            description: 'mobile, work (the telephone), pager or fax',
          }),
        ],
      }),
    ],
  };
  const enterprise = {
    id: ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: 'RFC 7643 4.3',
    attributes: [
      attribute({ name: 'employeeNumber', type: 'string', description: 'The ESR assignment number (R33)' }),
      attribute({
        name: 'organization',
        type: 'string',
        // Every account has one (R1); a create may leave it out when the client feeds one organisation.
        required: true,
        mutability: 'immutable',
        canonicalValues: codes(orgs),
        description: "The organisation's ODS code (R9); a move is R28's leaver and joiner",
      }),
      attribute({
        name: 'department',
        type: 'string',
        canonicalValues: orgs.flatMap((o) => [...referenceData.unitCodes(o)]),
        description: 'The organisational unit code (R9)',
      }),
    ],
  };
  const engine = {
    id: ENGINE_SCHEMA,
    name: 'NHSmailUser',
    description:
      "This engine's own: what SCIM has no name for, that a feed sets and, read only, reads (docs/scim.md)",
    attributes: [
      attribute({
        name: 'leavingDate',
        // A string holding an ISO 8601 date and time, as scim2-tester cannot make up a dateTime to write.
        type: 'string',
        // Examples only: any date and time in the future (a date alone is its midnight UTC).
        canonicalValues: [LEAVING_DATE_EXAMPLE],
        description:
          'A future-dated leaver: marked on this date (R28), an ISO 8601 date and time in the future',
      }),
      attribute({
        name: 'site',
        type: 'string',
        canonicalValues: orgs.flatMap((o) => codes(o.sites)),
        description: 'The site code (R9)',
      }),
      attribute({
        name: 'clinicalSpecialities',
        type: 'string',
        multiValued: true,
        canonicalValues: codes(referenceData.specialities),
        description: 'R3',
      }),
      attribute({
        name: 'clinicalRoles',
        type: 'string',
        multiValued: true,
        canonicalValues: codes(referenceData.roles),
        description: 'R3',
      }),
      attribute({
        name: 'workAreas',
        type: 'string',
        multiValued: true,
        canonicalValues: codes(referenceData.workAreas),
        description: 'R3',
      }),
      attribute({
        name: 'emailAlias',
        type: 'string',
        // Every address has a domain (R11); a create may leave it out for the organisation's first.
        required: true,
        mutability: 'immutable',
        canonicalValues: orgs.flatMap((o) => o.emailDomains),
        description: "The address's domain (R11), chosen at a create: the organisation's first by default",
      }),
      // What a feed reads: read only, so ignored in a PUT and refused as a PATCH's target; returned when
      // `attributes` names it, so that a feed's replace of the extension neither holds nor gets it back.
      ...READ_ONLY_ENGINE_ATTRIBUTES.map((name) =>
        attribute({ name, mutability: 'readOnly', returned: 'request', ...READ_ONLY[name] }),
      ),
    ],
  };
  return [user, enterprise, engine].map((schema) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...schema,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  }));
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'NHSmail accounts (R33)',
      schema: USER_SCHEMA,
      // Every user has the enterprise and engine extensions (RFC 7643 6, required: "a resource of this type
      // MUST include this schema extension"), with their required organization and emailAlias: neither can
      // be removed. A create may leave them out: the organisation and the domain then have their defaults.
      schemaExtensions: [
        { schema: ENTERPRISE_SCHEMA, required: true },
        { schema: ENGINE_SCHEMA, required: true },
      ],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
  ];
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://github.com/nhsmail-account-engine/blob/main/docs/scim.md',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'One token per SCIM client, bound to the organisations it feeds (R1, R33). Groups are not served.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
