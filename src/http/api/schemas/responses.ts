import { z } from 'zod';
import { ACCOUNT_STATUSES, EXCHANGE_ONLINE, type AuditEntry } from '../../../domain/account';
import type { DirectoryEntry } from '../../../domain/directory-entry';
import { DEADLINE_KINDS } from '../../../domain/deadlines';
import { GATES, IDENTITY_EVENT_TYPES } from '../../../domain/identity-events';
import type { AccountView } from '../../../domain/lifecycle-state';
import type { Organisation, OrganisationalUnit } from '../../../domain/organisation';
import type { LineError } from '../../../bulk/bulk-rows';
import { BULK_COLUMNS } from '../../../bulk/bulk-file';
import type { Created } from '../../../operations/create-account';
import type { LeaverFound } from '../../../operations/find-leavers';
import type { Validation } from '../../../operations/bulk-uploads';
import type { ExistingAccount } from '../../../ports/directory';
import type { BulkProgress } from '../../../workflows/bulk-definitions';
import type { AnswerKind, ChangeAnswers } from '../../../operations/account-change-row';
import type { IdentityEventAnswer } from '../../../operations/identity-event-answer';
import type { CodedItem } from '../../../reference/reference-data';

/**
 * The API's answers, as zod schemas: the OpenAPI document describes them (openapi.ts), the routes send
 * them through `reply` (so a route cannot send another shape), and the assertions at the end of this file
 * fail the type check if the code that builds an answer and its schema ever differ by a property.
 */

/** The schema of an answer's body. */
export type AnswerSchema = z.ZodType;

const time = z.string().meta({ format: 'date-time' });
const status = z.enum(ACCOUNT_STATUSES);

export const actor = z
  .strictObject({
    kind: z.enum(['local-admin', 'national-admin', 'identity-platform', 'system']),
    id: z.string(),
    name: z.string(),
  })
  .meta({ id: 'Actor', description: 'Who made a change (R1, R2)' });

const profile = z
  .strictObject({
    title: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    mobile: z.string().optional().describe('E.164'),
    telephone: z.string().optional().describe('E.164'),
    pager: z.string().optional().describe('E.164'),
    fax: z.string().optional().describe('E.164'),
    jobTitle: z.string().optional(),
    organisationalUnit: z.string().optional(),
    clinicalSpecialities: z.array(z.string()),
    clinicalRoles: z.array(z.string()),
    workAreas: z.array(z.string()),
    site: z.string().optional(),
  })
  .meta({ id: 'Profile' });

const gate = z.strictObject({ applies: z.boolean(), passed: z.boolean(), at: time.nullable() });
const gateName = z.enum(GATES);

/** The account as an administrator sees it (the lifecycle's `getAccount` query). */
export const accountView = z
  .strictObject({
    id: z.string().describe('The primary address'),
    email: z.string(),
    displayName: z.string(),
    organisation: z.strictObject({
      code: z.string(),
      name: z.string(),
      connectorManaged: z.boolean(),
      nasManaged: z.boolean(),
    }),
    status,
    disabledReason: z.literal('NonUkMobile').nullable(),
    disabledBecause: z
      .string()
      .optional()
      .describe(
        'R7: what the number that disabled the account was taken to be, such as "a number of France"',
      ),
    mailboxLocation: z.literal(EXCHANGE_ONLINE).nullable(),
    profile,
    notes: z.string(),
    createdAt: time,
    createdBy: actor,
    activatedAt: time.nullable(),
    provisioning: z.strictObject({
      attempt: z.number().int(),
      requestedAt: time.nullable(),
      polls: z.number().int(),
      lastPolledAt: time.nullable(),
      nextPollAt: time.nullable(),
      overdue: z.boolean(),
      incidentId: z.string().nullable(),
      failedAt: time.nullable(),
    }),
    deadlines: z
      .strictObject(
        Object.fromEntries(DEADLINE_KINDS.map((k) => [k, time.optional()])) as Record<
          (typeof DEADLINE_KINDS)[number],
          z.ZodOptional<typeof time>
        >,
      )
      .describe('What the lifecycle waits for now, and by when'),
    gates: z.strictObject(
      Object.fromEntries(GATES.map((g) => [g, gate])) as Record<(typeof GATES)[number], typeof gate>,
    ),
    pendingGates: z.array(gateName),
    canSendEmail: z.boolean(),
    canUseTeams: z.boolean(),
    sync: z.strictObject({
      status: z.enum(['NotStarted', 'Waiting', 'Complete']),
      startedAt: time.nullable(),
      completedAt: time.nullable(),
      polls: z.number().int(),
      nextPollAt: time.nullable(),
      overdue: z.boolean(),
      incidentId: z.string().nullable(),
    }),
    syncOverdue: z.boolean(),
    provisioningOverdue: z.boolean(),
    mfa: z.strictObject({
      applies: z.boolean(),
      group: z.string().nullable(),
      inGroup: z.boolean(),
      exception: z
        .strictObject({
          term: z.enum(['short', 'long']),
          riskAssessmentRef: z.string(),
          startedAt: time,
          endsAt: time,
          requestedBy: actor,
          groupLeft: z.string(),
        })
        .nullable(),
      exceptionEndsAt: time.nullable(),
    }),
    defaultPolicy: z.string().nullable(),
    phonesHiddenInDirectory: z.boolean(),
    warnings: z.array(z.string()),
    lastSignInAt: time.nullable(),
    activeSince: time.nullable(),
    inactiveSince: time.nullable(),
    leaver: z
      .strictObject({
        markedAt: time,
        windowEndsAt: time,
        markedBy: actor,
        organisation: z.strictObject({ code: z.string(), name: z.string() }),
      })
      .nullable(),
    resecure: z
      .strictObject({
        requestedAt: time,
        requestedBy: actor,
        overdue: z.boolean(),
        incidentId: z.string().nullable(),
      })
      .nullable(),
    deletion: z
      .strictObject({
        deletedAt: time,
        restorableUntil: time,
        reason: z.string(),
        statusBefore: status,
        closedAt: time.nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Account' });

const temporaryPassword = z
  .string()
  .nullable()
  .describe('Shown in this answer only (R13); null, with a warning saying why, when it cannot be');

/** POST /v1/accounts (R3-R13). */
export const created = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    status: z.literal('Pending'),
    temporaryPassword,
    warnings: z.array(z.string()),
  })
  .meta({ id: 'CreatedAccount' });

/** POST /v1/accounts/{id}/provisioning-retries (R16): the account, with its new temporary password. */
export const accountWithPassword = accountView
  .extend({ temporaryPassword })
  .meta({ id: 'AccountWithTemporaryPassword' });

/** POST /v1/accounts/{id}/resecure (R29). */
export const resecured = z
  .strictObject({ temporaryPassword, account: accountView })
  .meta({ id: 'ResecuredAccount' });

/** POST /v1/accounts/{id}/events (R18): what the identity platform is told, never the account. */
export const identityEventAnswer = z
  .strictObject({
    type: z.enum(IDENTITY_EVENT_TYPES),
    accepted: z.literal(true),
    status,
    disabledReason: z.literal('NonUkMobile').nullable(),
    pendingGates: z.array(gateName),
    canSendEmail: z.boolean(),
  })
  .meta({ id: 'IdentityEventAnswer' });

/** The answer of each kind of change to an account (src/operations/account-changes.ts). */
export const changeAnswers = {
  account: accountView,
  'account-with-password': accountWithPassword,
  resecured,
  'identity-event': identityEventAnswer,
} satisfies Record<AnswerKind, AnswerSchema>;

const directoryEntry = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    title: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    organisationCode: z.string(),
    organisationName: z.string(),
    jobTitle: z.string().optional(),
    organisationalUnit: z.string().optional(),
    site: z.string().optional(),
    clinicalSpecialities: z.array(z.string()),
    clinicalRoles: z.array(z.string()),
    workAreas: z.array(z.string()),
    mobile: z.string().optional(),
    telephone: z.string().optional(),
    pager: z.string().optional(),
    fax: z.string().optional(),
    phonesHidden: z.boolean(),
    status,
    leaverWindowEndsAt: time.optional(),
  })
  .meta({ id: 'DirectoryEntry' });

const nextCursor = z.string().nullable().describe('Pass as cursor for the next page; null on the last');

/** GET /v1/accounts (R26). */
export const directoryPage = z.strictObject({ items: z.array(directoryEntry), nextCursor });

const auditEntry = z
  .strictObject({
    at: time,
    actor,
    action: z.string(),
    changes: z.record(z.string(), z.strictObject({ from: z.unknown(), to: z.unknown() })).optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

/** GET /v1/accounts/{id}/history (R2). */
export const history = z.strictObject({ items: z.array(auditEntry) });

const leaverFound = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    formerOrganisation: z.strictObject({ code: z.string(), name: z.string() }),
    windowEndsAt: time.nullable(),
  })
  .meta({ id: 'LeaverFound' });

/** GET /v1/leavers (R28): never a phone number. */
export const leaversPage = z.strictObject({ items: z.array(leaverFound), nextCursor });

/** POST /v1/bulk-uploads?mode=validate (R31). */
export const bulkValidation = z
  .strictObject({
    rows: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    errors: z.array(
      z.strictObject({ line: z.number().int(), path: z.enum(BULK_COLUMNS), message: z.string() }),
    ),
  })
  .meta({ id: 'BulkValidation' });

/** An upload's progress (R31). */
export const bulkProgress = z
  .strictObject({
    id: z.string().describe('The upload id'),
    uploadId: z.string().describe('The same as id'),
    status: z.enum(['Running', 'Completed', 'Cancelled']),
    rows: z.number().int(),
    created: z.number().int(),
    failed: z.number().int().describe('Lines refused at validation, and lines whose create failed'),
    remaining: z.number().int(),
    startedAt: time,
    finishedAt: time.nullable(),
  })
  .meta({ id: 'BulkUploadProgress' });

/** POST /v1/bulk-uploads/{id}/passwords/confirm (Security 13). */
export const bulkPasswordsConfirmed = z
  .strictObject({
    id: z.string().describe('The upload id'),
    passwordsDeleted: z
      .number()
      .int()
      .describe('The temporary passwords deleted now (0 when none were left)'),
  })
  .meta({ id: 'BulkPasswordsConfirmed' });

const codedItem = z.strictObject({ code: z.string(), name: z.string() }).meta({ id: 'CodedItem' });
/** GET /v1/reference/specialities, /roles, /work-areas (R10). */
export const codedItems = z.array(codedItem);

const organisationalUnit: z.ZodType<OrganisationalUnit> = z
  .strictObject({
    code: z.string(),
    name: z.string(),
    get children() {
      return z.array(organisationalUnit).optional();
    },
  })
  .meta({ id: 'OrganisationalUnit' });

/** GET /v1/reference/organisations (R9): the caller's own, for a local administrator. */
export const organisations = z.array(
  z
    .strictObject({
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      emailDomains: z.array(z.string()),
      units: z.array(organisationalUnit),
      sites: z.array(codedItem),
      nasManaged: z.boolean(),
      connectorManaged: z.boolean(),
    })
    .meta({ id: 'Organisation' }),
);

/** GET /healthz. */
export const health = z.strictObject({ status: z.enum(['ok', 'worker not running']) });
/** GET /readyz. */
export const readiness = z.strictObject({
  temporal: z.boolean(),
  worker: z.union([z.boolean(), z.literal('separate')]).describe('"separate": the worker runs elsewhere'),
  reason: z
    .enum(['waiting for Temporal: it does not answer', 'the worker is not running'])
    .optional()
    .describe('Why it is not ready (503 only)'),
});

const existingAccount = z
  .strictObject({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    organisationCode: z.string(),
    status,
  })
  .meta({ id: 'ExistingAccount' });

/**
 * Every answer other than success (RFC 9457), with the members some of them add: a refusal's `missing`
 * steps (409), a duplicate's `existing` account or same-name `candidates` (409, R12), the upload `running`
 * (409, R31), the reserved `id` and `email` of a create whose lifecycle is yet to start (503).
 */
export const problem = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .describe('400: one per field at fault (R4)'),
    missing: z.array(z.string()).optional(),
    existing: existingAccount.optional(),
    existingInAnotherOrganisation: z.literal(true).optional(),
    candidates: z.array(existingAccount).optional(),
    otherCandidates: z.number().int().optional(),
    running: z.string().optional(),
    id: z.string().optional(),
    email: z.string().optional(),
  })
  .meta({ id: 'Problem' });

// ---- The answers' schemas are the types the code builds: a property more or less fails `npm run typecheck`.

/** True when A and B are the same type, property for property (optional ones included). */
type Exact<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Flat<T> = T extends readonly (infer I)[]
  ? Flat<I>[]
  : T extends object
    ? { [K in keyof T]: Flat<T[K]> }
    : T;
const exact = <A, B>(same: Exact<Flat<A>, Flat<B>>) => same;

exact<z.output<typeof accountView>, AccountView>(true);
exact<z.output<typeof created>, Created>(true);
exact<z.output<typeof identityEventAnswer>, IdentityEventAnswer>(true);
exact<z.output<typeof directoryEntry>, DirectoryEntry>(true);
exact<z.output<typeof auditEntry>, AuditEntry>(true);
exact<z.output<typeof leaverFound>, LeaverFound>(true);
exact<z.output<typeof bulkValidation>, Validation>(true);
exact<z.output<typeof bulkValidation>['errors'][number], LineError>(true);
exact<Omit<z.output<typeof bulkProgress>, 'id'>, BulkProgress>(true);
exact<z.output<typeof codedItem>, CodedItem>(true);
exact<z.output<typeof existingAccount>, ExistingAccount>(true);
exact<
  z.output<typeof organisations>[number],
  Pick<
    Organisation,
    'code' | 'name' | 'kind' | 'emailDomains' | 'units' | 'sites' | 'nasManaged' | 'connectorManaged'
  >
>(true);
exact<z.output<typeof accountWithPassword>, ChangeAnswers['account-with-password']>(true);
exact<z.output<typeof resecured>, ChangeAnswers['resecured']>(true);
