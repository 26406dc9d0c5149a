import { z } from 'zod';
import { ACCOUNT_STATUSES } from '../../domain/account';
import { IDENTITY_EVENT_TYPES } from '../../domain/identity-events';
import { referenceData } from '../../reference/reference-data';
import { parsePhone } from './phone';
import { perOrganisation } from './per-organisation';
import {
  clinicalRoles,
  clinicalSpecialities,
  controlsMessage,
  jobTitle,
  notes,
  organisationalUnit,
  personName,
  phoneNumber,
  phoneText,
  plainText,
  site,
  title,
  ukMobile,
  workAreas,
} from './fields';
import { HAS_CONTROL, TWO_OR_MORE, trimEdges } from './text-rules';

/** Checks the unit and site against the organisation's own lists (R9). */
export function checkUnitAndSite(
  organisationCode: string,
  body: { organisationalUnit?: string | null; site?: string | null },
  ctx: { addIssue: (issue: { code: 'custom'; path: string[]; message: string }) => void },
): void {
  const org = referenceData.organisation(organisationCode);
  if (!org) return;
  if (
    typeof body.organisationalUnit === 'string' &&
    !referenceData.unitCodes(org).has(body.organisationalUnit)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['organisationalUnit'],
      message: `Organisational unit "${body.organisationalUnit}" is not a unit of ${org.name}`,
    });
  }
  if (typeof body.site === 'string' && !org.sites.some((s) => s.code === body.site)) {
    ctx.addIssue({
      code: 'custom',
      path: ['site'],
      message: `Site "${body.site}" is not a site of ${org.name}`,
    });
  }
}

const profileFields = {
  title,
  firstName: personName('First name'),
  lastName: personName('Last name'),
  mobile: ukMobile.optional(),
  telephone: phoneNumber('Telephone').optional(),
  pager: phoneNumber('Pager').optional(),
  fax: phoneNumber('Fax').optional(),
  jobTitle: jobTitle.optional(),
  organisationalUnit: organisationalUnit.optional(),
  clinicalSpecialities: clinicalSpecialities.optional(),
  clinicalRoles: clinicalRoles.optional(),
  workAreas: workAreas.optional(),
  site: site.optional(),
};

/** A code or a name chosen from a list (an organisation, a domain): required, checked against the list later. */
const chosen = (label: string, max: number) =>
  plainText(
    z.string({ error: (i) => (i.input === undefined ? `${label} is required` : `${label} must be text`) }),
    label,
    max,
  ).min(1, `${label} is required`);

/** An organisation code of the register (R9): the document lists them, the check names an unknown one. */
const organisationCode = chosen('Organisation', 20).meta({
  id: 'OrganisationCode',
  enum: referenceData.organisations.map((o) => o.code),
  description: 'An organisation code of the register (GET /v1/reference/organisations)',
});

/** POST /v1/accounts (R3-R12). */
export const createAccountBody = z
  .strictObject({
    ...profileFields,
    emailAlias: chosen('Email alias', 253),
    organisation: organisationCode,
    notes: notes.optional(),
    confirmNotDuplicate: z.boolean({ error: 'confirmNotDuplicate must be true or false' }).optional(),
  })
  .superRefine(
    (body, ctx) => {
      // Runs also when other fields failed, so every error is reported at once (R4): check types here.
      if (typeof body.organisation !== 'string' || body.organisation === '') return;
      const org = referenceData.organisation(body.organisation);
      if (!org) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisation'],
          message: `Unknown organisation code "${body.organisation}"`,
        });
        return;
      }
      if (
        typeof body.emailAlias === 'string' &&
        body.emailAlias &&
        !org.emailDomains.includes(body.emailAlias.toLowerCase())
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['emailAlias'],
          message: `Email alias must be one of ${org.name}'s domains: ${org.emailDomains.join(', ')}`,
        });
      }
      checkUnitAndSite(org.code, body, ctx);
    },
    {
      when: (payload) =>
        typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    },
  )
  .meta(perOrganisation(['emailAlias', 'organisationalUnit', 'site']));
export type CreateAccountBody = z.output<typeof createAccountBody>;

const clearable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** PATCH /v1/accounts/{id} (R25): the profile fields, all optional; null clears an optional one. */
export const editAccountBody = z
  .strictObject({
    title: title.optional(),
    firstName: personName('First name').optional(),
    lastName: personName('Last name').optional(),
    mobile: clearable(ukMobile),
    telephone: clearable(phoneNumber('Telephone')),
    pager: clearable(phoneNumber('Pager')),
    fax: clearable(phoneNumber('Fax')),
    jobTitle: clearable(jobTitle),
    organisationalUnit: clearable(organisationalUnit),
    clinicalSpecialities: clinicalSpecialities.optional(),
    clinicalRoles: clinicalRoles.optional(),
    workAreas: workAreas.optional(),
    site: clearable(site),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Give at least one field to change' })
  .meta({ minProperties: 1 });
export type EditAccountBody = z.output<typeof editAccountBody>;

/** A phone number the identity platform reports; any country, so a non-UK one can be acted on (R7). */
const reportedPhone = (required = 'Phone number must be text') =>
  phoneText(
    'Phone number',
    'Phone number is not a valid phone number: give it in international format, such as +44 7400 123456',
    z.string({ error: (i) => (i.input === undefined ? required : 'Phone number must be text') }),
  ).transform((value, ctx) => {
    const phone = parsePhone(value);
    if (!phone) {
      ctx.addIssue({
        code: 'custom',
        message: /^\s*(\+\s*44|0)\s*7/.test(value)
          ? 'Phone number is not a valid UK mobile number: give one such as +44 7400 123456'
          : 'Phone number is not a valid phone number: give it in international format, such as +44 7400 123456',
      });
      return z.NEVER;
    }
    return phone;
  });

/** R18: MFA registered by text or call, with the number registered, or by an authenticator app. */
const mfaRegistered = z
  .discriminatedUnion(
    'method',
    [
      z
        .strictObject({
          type: z.literal('MfaRegistered'),
          method: z.enum(['sms', 'voice']),
          phoneNumber: reportedPhone('A phone number is required for sms and voice registration'),
        })
        .meta({ id: 'MfaRegisteredByPhoneEvent' }),
      z
        .strictObject({
          type: z.literal('MfaRegistered'),
          method: z.literal('authenticator-app'),
          phoneNumber: reportedPhone().optional(),
        })
        .meta({ id: 'MfaRegisteredByAppEvent' }),
    ],
    { error: 'Method must be sms, voice or authenticator-app' },
  )
  .meta({ id: 'MfaRegisteredEvent' });

/** A first-login step with no more to say than its name (R18), or a sign-in (R30). */
const step = <T extends string>(type: T) =>
  z.strictObject({ type: z.literal(type) }).meta({ id: `${type}Event` });

/** POST /v1/accounts/{id}/events (R18), from the identity platform only. */
export const identityEventBody = z
  .discriminatedUnion(
    'type',
    [
      step('PasswordChanged'),
      step('AupAccepted'),
      step('SecretSet'),
      mfaRegistered,
      z
        .strictObject({ type: z.literal('ProfileUpdated'), mobile: reportedPhone().optional() })
        .meta({ id: 'ProfileUpdatedEvent' }),
      step('SignedIn'),
    ],
    { error: `Type must be one of ${IDENTITY_EVENT_TYPES.join(', ')}` },
  )
  .meta({ id: 'IdentityEvent' });

/** POST /v1/accounts/{id}/joiner (R28): the receiving organisation and what it sets, checked as at create (R9, R10). */
export const joinerBody = z
  .strictObject({
    organisation: organisationCode,
    organisationalUnit: organisationalUnit.optional(),
    site: site.optional(),
    jobTitle: jobTitle.optional(),
    clinicalSpecialities: clinicalSpecialities.optional(),
    clinicalRoles: clinicalRoles.optional(),
    workAreas: workAreas.optional(),
  })
  .superRefine(
    (body, ctx) => {
      if (typeof body.organisation !== 'string' || body.organisation === '') return;
      if (!referenceData.organisation(body.organisation)) {
        ctx.addIssue({
          code: 'custom',
          path: ['organisation'],
          message: `Unknown organisation code "${body.organisation}"`,
        });
        return;
      }
      checkUnitAndSite(body.organisation, body, ctx);
    },
    {
      when: (payload) =>
        typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    },
  )
  .meta(perOrganisation(['organisationalUnit', 'site']));
export type JoinerBody = z.output<typeof joinerBody>;

/**
 * A whole number in a query, written in decimal digits only: `Number()` would also take `0x10`, `1e1`,
 * ` 16` or an empty value. The document describes it as the integer it is.
 */
export const queryInteger = (name: string, min: number, max: number, fallback: number) =>
  z
    .string({ error: `${name} must be a whole number from ${min} to ${max}` })
    .regex(/^[0-9]{1,9}$/, `${name} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${name} must be a whole number from ${min} to ${max}`)
        .max(max, `${name} must be a whole number from ${min} to ${max}`),
    )
    .optional()
    .transform((value) => value ?? fallback)
    .meta({ type: 'integer', minimum: min, maximum: max, default: fallback });

/** A page's nextCursor, as it was answered: base64url. */
export const cursor = z
  .string({ error: 'cursor must be text' })
  .max(200, { message: 'cursor must be at most 200 characters', abort: true })
  .regex(/^[A-Za-z0-9_-]*$/, 'cursor must be the nextCursor of the page before')
  .optional()
  .describe('The nextCursor of the page before');

/** GET /v1/leavers (R28): a name, an address or a mobile number. */
export const leaversQuery = z.strictObject({
  q: z
    .string({ error: 'q must be text' })
    .max(100, { message: 'q must be at most 100 characters', abort: true })
    .refine((q) => !HAS_CONTROL.test(trimEdges(q)), { message: controlsMessage('q'), abort: true })
    .regex(
      // Characters, not UTF-16 units (the u flag), as the document's pattern counts them.
      TWO_OR_MORE,
      'q must be at least 2 characters: a name, an email address or a mobile number',
    )
    .transform(trimEdges)
    .describe('A name, an email address or a mobile number: at least 2 characters besides spaces'),
  cursor,
  limit: queryInteger('limit', 1, 100, 25),
});

/** GET /v1/accounts query (R26). */
export const listAccountsQuery = z.strictObject({
  org: plainText(z.string({ error: 'org must be text' }), 'org', 20)
    .min(1)
    .optional()
    .describe('An organisation code'),
  q: plainText(z.string({ error: 'q must be text' }), 'q', 100)
    .optional()
    .describe('Words matching the start of words of the name, address, job title, organisation or codes'),
  status: z
    .enum(ACCOUNT_STATUSES, { error: `Status must be one of ${ACCOUNT_STATUSES.join(', ')}` })
    .optional(),
  role: plainText(z.string({ error: 'role must be text' }), 'role', 20)
    .min(1)
    .optional()
    .describe('A clinical role code'),
  cursor,
  limit: queryInteger('limit', 1, 100, 25),
});

/** An account id is its primary address. */
export const accountId = z
  .string({ error: 'The account id must be an account email address' })
  .max(254, { message: 'The account id must be an account email address', abort: true })
  .regex(z.regexes.email, 'The account id must be an account email address');

/** An Idempotency-Key header: 1 to 200 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** POST /v1/bulk-uploads query (R31): the upload's organisation, and Validate or Create. */
export const bulkUploadQuery = z.strictObject({
  organisation: plainText(z.string({ error: 'organisation is required' }), 'organisation', 20)
    .min(1, 'organisation is required')
    .meta({ enum: referenceData.organisations.map((o) => o.code) }),
  mode: z.enum(['validate', 'create'], { error: 'mode must be validate or create' }),
});
