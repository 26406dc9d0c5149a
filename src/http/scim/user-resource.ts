import crypto from 'node:crypto';
import type { Profile, ProfileChanges } from '../../domain/account';
import type { AccountView } from '../../domain/lifecycle-state';
import type { FedAccount } from '../../operations/feed-accounts';
import { ScimError } from './scim-error';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/**
 * This engine's own extension, for what SCIM has no name for (docs/scim.md): what a feed may set, and, read
 * only, the account's status, gates, leaver window, MFA exception and held edit.
 */
export const ENGINE_SCHEMA = 'urn:nhs:params:scim:schemas:extension:nhsmail:2.0:User';
/** The engine extension's read-only attributes (described in discovery.ts): never a PATCH target, ignored in a PUT. */
export const READ_ONLY_ENGINE_ATTRIBUTES = [
  'status',
  'pendingGates',
  'canSendEmail',
  'leaverWindowEndsAt',
  'mfaException',
  'restorableUntil',
  'pendingChanges',
] as const;

/** The phone numbers by SCIM type: R5-R7's mobile, telephone, pager and fax. */
export const PHONE_TYPES = { mobile: 'mobile', work: 'telephone', pager: 'pager', fax: 'fax' } as const;
type PhoneField = (typeof PHONE_TYPES)[keyof typeof PHONE_TYPES];

/** The profile as it will be: a feed's edit held while Pending shown as made (R17, R33), listed as pending. */
function profileAhead(view: AccountView): Profile {
  const profile: Record<string, unknown> = { ...view.profile };
  for (const [field, value] of Object.entries(view.heldEdit?.changes ?? {})) {
    if (value === null) delete profile[field];
    else if (value !== undefined) profile[field] = value;
  }
  return profile as unknown as Profile;
}

/** R28: a leaver, or one to be as soon as the account is Active, is not active; a future-dated one is until its date. */
const activeOf = (view: AccountView) =>
  !(view.status === 'Leaver' || (view.leaverDue !== null && view.leaverDue.on === null));

export type ScimUser = Record<string, unknown> & { id: string; meta: Record<string, string> };

/** R33: the account as a SCIM User (docs/scim.md's mapping), with its version (ETag). */
export function userOf({ view, lastModified }: FedAccount, base: string): ScimUser {
  const p = profileAhead(view);
  const phones = (Object.entries(PHONE_TYPES) as [string, PhoneField][])
    .filter(([, field]) => p[field])
    .map(([type, field]) => ({ value: p[field], type }));
  const body = {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA, ENGINE_SCHEMA],
    id: view.id,
    ...(view.externalId ? { externalId: view.externalId } : {}),
    userName: view.email,
    name: { givenName: p.firstName, familyName: p.lastName, honorificPrefix: p.title },
    displayName: view.displayName,
    ...(p.jobTitle ? { title: p.jobTitle } : {}),
    active: activeOf(view),
    emails: [{ value: view.email, type: 'work', primary: true }],
    ...(phones.length ? { phoneNumbers: phones } : {}),
    // Each extension names its schema inside too, as scim2-models reads an extension (harmless to others).
    [ENTERPRISE_SCHEMA]: {
      schemas: [ENTERPRISE_SCHEMA],
      organization: view.organisation.code,
      ...(p.esrAssignmentNumber ? { employeeNumber: p.esrAssignmentNumber } : {}),
      ...(p.organisationalUnit ? { department: p.organisationalUnit } : {}),
    },
    [ENGINE_SCHEMA]: {
      schemas: [ENGINE_SCHEMA],
      emailAlias: view.email.slice(view.email.lastIndexOf('@') + 1),
      ...(view.leaverDue?.on ? { leavingDate: view.leaverDue.on } : {}),
      ...(p.site ? { site: p.site } : {}),
      clinicalSpecialities: p.clinicalSpecialities,
      clinicalRoles: p.clinicalRoles,
      workAreas: p.workAreas,
      status: view.status,
      pendingGates: view.pendingGates,
      canSendEmail: view.canSendEmail,
      ...(view.leaver ? { leaverWindowEndsAt: view.leaver.windowEndsAt } : {}),
      ...(view.mfa.exception
        ? { mfaException: { term: view.mfa.exception.term, endsAt: view.mfa.exception.endsAt } }
        : {}),
      ...(view.deletion ? { restorableUntil: view.deletion.restorableUntil } : {}),
      ...(view.heldEdit ? { pendingChanges: Object.keys(view.heldEdit.changes) } : {}),
    },
  };
  const version = `W/"${crypto.createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
  return {
    ...body,
    meta: {
      resourceType: 'User',
      created: view.createdAt,
      lastModified,
      location: `${base}/Users/${encodeURIComponent(view.id)}`,
      version,
    },
  };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An attribute of a SCIM object, its name matched regardless of case (RFC 7643 2.1). */
export function attr(object: unknown, name: string): unknown {
  if (!isObject(object)) return undefined;
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/** What a SCIM User says, in the engine's words: the profile fields, the organisation, the feed's own. */
export interface UserInput {
  userName?: unknown;
  fields: Partial<Record<keyof Profile, unknown>>;
  organisation?: unknown;
  emailAlias?: unknown;
  confirmNotDuplicate?: unknown;
  externalId?: unknown;
  esrAssignmentNumber?: unknown;
  active?: unknown;
  leavingDate?: unknown;
  /** Whether the engine's extension was sent: its lists are replaced only then. */
  engineExtension: boolean;
}

/** Entra ID sends booleans as "True"/"False" in some PATCH requests. */
const booleanOf = (v: unknown) =>
  typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v;

/** R33: the engine's fields from a SCIM User (docs/scim.md); readOnly attributes (emails, displayName) ignored. */
export function inputOf(body: unknown): UserInput {
  if (!isObject(body))
    throw new ScimError(400, 'The body must be a SCIM User, a JSON object.', 'invalidSyntax');
  const name = attr(body, 'name');
  const fields: UserInput['fields'] = {
    title: attr(name, 'honorificPrefix'),
    firstName: attr(name, 'givenName'),
    lastName: attr(name, 'familyName'),
    jobTitle: attr(body, 'title'),
  };
  const phones = attr(body, 'phoneNumbers');
  // None sent: none kept by a replace (a create leaves them out).
  for (const field of Object.values(PHONE_TYPES)) fields[field] = undefined;
  if (phones !== undefined && phones !== null) {
    if (!Array.isArray(phones)) throw new ScimError(400, 'phoneNumbers must be a list.', 'invalidSyntax');
    for (const field of Object.values(PHONE_TYPES)) fields[field] = null;
    for (const phone of phones) {
      const type = String(attr(phone, 'type') ?? 'work').toLowerCase();
      const field = (PHONE_TYPES as Record<string, PhoneField>)[type];
      if (!field) {
        throw new ScimError(
          400,
          `phoneNumbers type must be mobile, work, pager or fax, not "${type}".`,
          'invalidValue',
        );
      }
      fields[field] = attr(phone, 'value');
    }
  } else if (phones === null) {
    for (const field of Object.values(PHONE_TYPES)) fields[field] = null;
  }
  const enterprise = attr(body, ENTERPRISE_SCHEMA);
  fields.organisationalUnit = attr(enterprise, 'department');
  const engine = attr(body, ENGINE_SCHEMA);
  if (engine !== undefined) {
    fields.site = attr(engine, 'site');
    fields.clinicalSpecialities = attr(engine, 'clinicalSpecialities');
    fields.clinicalRoles = attr(engine, 'clinicalRoles');
    fields.workAreas = attr(engine, 'workAreas');
  }
  return {
    userName: attr(body, 'userName'),
    fields,
    organisation: attr(enterprise, 'organization'),
    emailAlias: attr(engine, 'emailAlias'),
    confirmNotDuplicate: attr(engine, 'confirmNotDuplicate'),
    externalId: attr(body, 'externalId'),
    esrAssignmentNumber: attr(enterprise, 'employeeNumber'),
    active: booleanOf(attr(body, 'active')),
    leavingDate: attr(engine, 'leavingDate'),
    engineExtension: engine !== undefined,
  };
}

const defined = (object: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null));

/** R33: a create's body for the engine, and the feed's own fields. */
export function createOf(
  input: UserInput,
  defaults: { organisation?: string; emailAlias?: (org: string) => string | undefined },
) {
  if (input.userName === undefined || input.userName === null || input.userName === '') {
    throw new ScimError(
      400,
      'userName is required (RFC 7643 4.1.1); the address is then allocated from the name (R11).',
      'invalidValue',
    );
  }
  const organisation = input.organisation ?? defaults.organisation;
  const emailAlias =
    input.emailAlias ?? (typeof organisation === 'string' ? defaults.emailAlias?.(organisation) : undefined);
  const account = defined({
    ...input.fields,
    organisation,
    emailAlias,
    confirmNotDuplicate: input.confirmNotDuplicate,
  });
  return { account, feed: feedOf(input, null) };
}

/** R28, R33: the feed's key, ESR number and leaving, as sent (undefined: not said). */
function feedOf(input: UserInput, view: AccountView | null) {
  const active = input.active ?? (view ? activeOf(view) : true);
  const leavingDate = input.engineExtension ? (input.leavingDate ?? null) : (view?.leaverDue?.on ?? null);
  const leaving =
    input.active === undefined && !input.engineExtension && !view ? undefined : { active, leavingDate };
  return defined({
    externalId: input.externalId,
    esrAssignmentNumber: input.esrAssignmentNumber,
    ...(leaving ? { leaving } : {}),
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * R33: a replace (PUT, or a PATCH's result) as the change it makes: the fields that differ from the account as
 * it will be (null clears one), the feed's key (null removes it) and leaving. userName and the organisation
 * cannot change (R11, R28): 400 mutability.
 */
export function replacementOf(input: UserInput, view: AccountView) {
  if (typeof input.userName === 'string' && input.userName.toLowerCase() !== view.email) {
    throw new ScimError(
      400,
      'userName is the address R11 allocated and cannot be changed (R11, R33).',
      'mutability',
    );
  }
  if (input.organisation !== undefined && input.organisation !== view.organisation.code) {
    throw new ScimError(
      400,
      'organization cannot be changed: the organisation marks the person as a leaver and the new one accepts ' +
        'them as a joiner (R28).',
      'mutability',
    );
  }
  const domain = view.email.slice(view.email.lastIndexOf('@') + 1);
  if (typeof input.emailAlias === 'string' && input.emailAlias.toLowerCase() !== domain) {
    throw new ScimError(400, "emailAlias is the address's domain, chosen at the create (R11).", 'mutability');
  }
  const current = profileAhead(view) as unknown as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  const required = new Set(['title', 'firstName', 'lastName']);
  for (const [field, value] of Object.entries(input.fields)) {
    if (value === undefined && (required.has(field) || !isReplaced(field, input))) continue;
    const wanted = value === undefined ? null : value;
    if (Array.isArray(current[field]) && wanted === null) {
      if ((current[field] as unknown[]).length > 0) changes[field] = [];
    } else if (!same(current[field], wanted)) changes[field] = wanted;
  }
  const { leaving } = feedOf(input, view) as { leaving?: unknown };
  const externalId = input.externalId ?? null;
  const esr = input.esrAssignmentNumber ?? null;
  return {
    changes: changes as ProfileChanges,
    feed: {
      ...(leaving ? { leaving } : {}),
      ...(same(view.externalId, externalId) ? {} : { externalId }),
      ...(same(current.esrAssignmentNumber, esr) ? {} : { esrAssignmentNumber: esr }),
    },
  };
}

/** Whether a replace speaks of this field: the engine's extension's only when it was sent. */
function isReplaced(field: string, input: UserInput): boolean {
  const engine = ['site', 'clinicalSpecialities', 'clinicalRoles', 'workAreas'];
  return !engine.includes(field) || input.engineExtension;
}
