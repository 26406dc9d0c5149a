import { z } from 'zod';
import { ADMINS } from '../access/rights';
import type { IdentityEvent } from '../domain/identity-events';
import type { AccountView } from '../domain/lifecycle-state';
import {
  editAccountUpdate,
  endMfaExceptionUpdate,
  markLeaverUpdate,
  reactivateAccountUpdate,
  reportIdentityEventUpdate,
  resecureAccountUpdate,
  restoreAccountUpdate,
  retryProvisioningUpdate,
  setDirectoryVisibilityUpdate,
  setNotesUpdate,
  startMfaExceptionUpdate,
  withdrawLeaverMarkUpdate,
  acceptJoinerUpdate,
  type ActorRequest,
} from '../workflows/definitions';
import { acceptJoinerRequest, isLeaver } from './accept-joiner';
import type { AccountChange, AnswerKind, AnyAccountChange } from './account-change-row';
import { editAccountRequest } from './edit-account';
import { identityEventAnswer } from './identity-event-answer';
import { resecuredAnswer } from './resecure-account';
import { editAccountBody, identityEventBody, joinerBody } from './schemas/requests';
import { notes, reference } from './schemas/fields';
import { leavingDate } from './schemas/feed';
import { withNewPassword } from './temporary-password';

/** R14: the notes, also while Pending. */
export const notesBody = z.strictObject({ notes });

/** R22, R23: a short or long exception, with the reference of the local risk assessment. */
export const mfaExceptionBody = z.strictObject({
  term: z.enum(['short', 'long'], { error: 'Term must be "short" or "long"' }),
  riskAssessmentRef: reference(
    'Risk assessment reference',
    100,
    'A risk assessment reference is required (R22)',
  ),
});

/** R26: the user's phone numbers hidden from the NHS Directory, or shown in it. */
export const directoryVisibilityBody = z.strictObject({
  phonesHidden: z.boolean({ error: 'phonesHidden must be true or false' }),
});

/** R28: a leaver mark, now or on a leaving date in the future. */
export const markLeaverBody = z.strictObject({ leavingDate: leavingDate.optional() });

/** Changes that take no body (a leaver mark, a resecure...): nothing, or an empty object. */
export const emptyBody = z.strictObject({});
const noBody = { schema: emptyBody, optional: true } as const;

const onlyActor = () => ({});

/** Typed per row: the row's request, body and answer are inferred from its Update, schema and kind. */
const row = <Req extends ActorRequest, Body, K extends AnswerKind>(change: AccountChange<Req, Body, K>) =>
  change;

/**
 * Every change an administrator or the identity platform makes to an existing account, one row each: its
 * name (the API's operationId, and its name in the code), its Update, who may make it, its body, its route
 * and answer, its summary and rules, and its action in the portal. The API's routes and OpenAPI entries and
 * the portal's actions are made from this table; the lifecycle registers each Update in the module that
 * applies it. Changes with logic of their own keep it in their file (edit-account.ts, accept-joiner.ts,
 * resecure-account.ts, temporary-password.ts). Creating an account is not a change: create-account.ts.
 * docs/architecture.md has the recipe for a new change.
 */
export const ACCOUNT_CHANGES = {
  editAccount: row({
    update: editAccountUpdate,
    who: ADMINS,
    summary: 'Edit attributes',
    rules: ['R17', 'R25'],
    description:
      'At least one field; null clears an optional one. Precondition (R17): the account is Active with its ' +
      'mailbox in Exchange Online (as later a Leaver, Disabled or Inactive one); Pending or ProvisioningFailed is refused 409.',
    http: { method: 'patch', path: '', tag: 'Accounts', status: 200 },
    body: { schema: editAccountBody },
    request: editAccountRequest,
    answer: { kind: 'account', description: 'The edited account' },
  }),
  setNotes: row({
    update: setNotesUpdate,
    who: ADMINS,
    summary: 'Set the notes, also while Pending',
    rules: ['R14'],
    http: { method: 'put', path: '/notes', tag: 'Accounts', status: 200 },
    body: { schema: notesBody },
    request: ({ notes }) => ({ notes }),
    answer: { kind: 'account', description: 'The account' },
    portal: {
      form: (field) => ({ notes: field('notes') ?? '' }),
      section: '#notes',
      done: { say: () => 'Notes saved.' },
    },
  }),
  startMfaException: row({
    update: startMfaExceptionUpdate,
    who: ADMINS,
    summary: 'Start or replace an MFA exception',
    rules: ['R22', 'R23', 'R24'],
    description:
      'Preconditions: MFA applies to the account (not a NAS-managed organisation, R21) and it is Active (R22); ' +
      'before MFA is registered, the user has accepted the AUP and set the account secret (R23). Otherwise ' +
      "refused 409, with what is `missing`. A short exception lasts the policy's short term (24 hours), a " +
      'long one six calendar months; at its end the account rejoins its MFA group (R24).',
    http: { method: 'post', path: '/mfa-exceptions', tag: 'Accounts', status: 201 },
    body: { schema: mfaExceptionBody },
    request: ({ term, riskAssessmentRef }) => ({ term, riskAssessmentRef }),
    answer: { kind: 'account', description: 'The account, with its exception' },
    portal: {
      form: (field) => ({
        ...(field('term') !== undefined ? { term: field('term') } : {}),
        riskAssessmentRef: field('riskAssessmentRef') ?? '',
      }),
      section: '#term',
      done: { say: (view, at) => `MFA exception started, until ${at(view.mfa.exceptionEndsAt)}.` },
    },
  }),
  endMfaException: row({
    update: endMfaExceptionUpdate,
    who: ADMINS,
    summary: 'End the MFA exception early',
    rules: ['R24'],
    http: { method: 'delete', path: '/mfa-exceptions/current', tag: 'Accounts', status: 200 },
    request: onlyActor,
    answer: { kind: 'account', description: 'The account, back in its MFA group' },
    portal: {
      section: '#mfa-heading',
      done: { say: () => 'MFA exception ended: the account rejoined its MFA group.' },
    },
  }),
  reportIdentityEvent: row({
    update: reportIdentityEventUpdate,
    who: ['identity-platform'],
    summary: 'Report a first-login step or a sign-in: the identity platform only',
    rules: ['R18', 'R7', 'R30'],
    description:
      'Preconditions (R18): the account is Active (first-login steps start once its mailbox exists); ' +
      'PasswordChanged comes first, SecretSet after AupAccepted, MfaRegistered after both; an Inactive ' +
      'account takes a SignedIn first (R30). Out of order is refused 409 naming what is `missing`, and ' +
      'changes nothing; a repeated step is harmless. MfaRegistered by sms or voice gives the phoneNumber; ' +
      'a number outside the UK disables the account (R7).',
    http: { method: 'post', path: '/events', tag: 'Identity platform', status: 200 },
    body: { schema: identityEventBody },
    request: (parsed): { event: IdentityEvent } => ({
      event:
        parsed.type === 'MfaRegistered'
          ? {
              type: parsed.type,
              method: parsed.method,
              ...(parsed.phoneNumber ? { phone: parsed.phoneNumber } : {}),
            }
          : parsed.type === 'ProfileUpdated'
            ? { type: parsed.type, ...(parsed.mobile ? { mobile: parsed.mobile } : {}) }
            : { type: parsed.type },
    }),
    answer: {
      kind: 'identity-event',
      description:
        'Accepted: the status, the steps still to take and whether mail works; never the account (R1)',
      of: (view, { request }) => identityEventAnswer(request.event.type, view),
    },
  }),
  setDirectoryVisibility: row({
    update: setDirectoryVisibilityUpdate,
    who: ADMINS,
    summary: 'Hide or show the phone numbers in the NHS Directory',
    rules: ['R26'],
    description:
      'Precondition (R17): the account is Active with its mailbox in Exchange Online; otherwise 409.',
    http: { method: 'put', path: '/directory-visibility', tag: 'Accounts', status: 200 },
    body: { schema: directoryVisibilityBody },
    request: ({ phonesHidden }) => ({ hidden: phonesHidden }),
    answer: { kind: 'account', description: 'The account' },
    portal: {
      form: (field) => ({ phonesHidden: field('phonesHidden') === 'true' }),
      section: '#directory-heading',
      done: {
        say: (view) =>
          view.phonesHiddenInDirectory
            ? 'Phone numbers hidden from the NHS Directory.'
            : 'Phone numbers shown in the NHS Directory.',
      },
    },
  }),
  retryProvisioning: row({
    update: retryProvisioningUpdate,
    who: ADMINS,
    summary: 'Retry a failed provisioning, with a new temporary password',
    rules: ['R16', 'R13'],
    http: { method: 'post', path: '/provisioning-retries', tag: 'Accounts', status: 201 },
    request: onlyActor,
    answer: {
      kind: 'account-with-password',
      description: 'The account, with its new temporary password shown once',
      of: (view, { deps, target }) => withNewPassword(deps, target, view),
    },
    portal: {
      button: {
        text: 'Retry provisioning',
        explanation: 'Requests the mailbox again, with a new temporary password shown once (R16).',
        offered: (view) => view.status === 'ProvisioningFailed',
      },
      section: '#actions-heading',
      done: {
        showPassword: {
          heading: 'Provisioning retried',
          explanation: (d) =>
            `The account is Pending again while its mailbox is created: ${d.pendingWait} (R15, R16).`,
        },
      },
    },
  }),
  resecureAccount: row({
    update: resecureAccountUpdate,
    who: ADMINS,
    summary: 'Resecure: a new temporary password, the AUP and secret reset, every session signed out',
    rules: ['R29'],
    http: { method: 'post', path: '/resecure', tag: 'Accounts', status: 200 },
    body: noBody,
    request: onlyActor,
    answer: {
      kind: 'resecured',
      description: 'The new temporary password, shown once, and the account',
      of: resecuredAnswer,
    },
    portal: {
      button: {
        text: 'Resecure account',
        explanation:
          'For a user who is locked out or compromised: a new temporary password (shown once), the Acceptable Use ' +
          'Policy and account secret reset, and every session signed out (R29).',
        warning: true,
        offered: (view) => ['Active', 'Leaver', 'Disabled'].includes(view.status),
      },
      section: '#actions-heading',
      done: {
        showPassword: {
          heading: 'Account resecured',
          explanation:
            'Every session of the user was signed out. At their next login they change this password, accept the ' +
            'Acceptable Use Policy and set their account secret again (R29).',
        },
      },
    },
  }),
  markLeaver: row({
    update: markLeaverUpdate,
    who: ADMINS,
    summary: 'Mark an Active account as a leaver, for the leaver window, now or on a leaving date',
    rules: ['R28'],
    description:
      'With a leavingDate in the future, the mark takes effect on that date (a future-dated leaver); marking ' +
      'again moves the date, and withdrawing the mark before then withdraws it.',
    http: { method: 'post', path: '/leaver', tag: 'Leavers and joiners', status: 200 },
    body: { schema: markLeaverBody, optional: true },
    request: ({ leavingDate }) => (leavingDate ? { leavingDate } : {}),
    answer: { kind: 'account', description: 'The account, a Leaver' },
    portal: {
      button: {
        text: 'Mark as leaver',
        explanation: (d) =>
          `The user keeps using mail for ${d.leaverWindow} while another organisation can accept them as a ` +
          'joiner; then the account is deleted (R28).',
        offered: (view) => view.status === 'Active',
      },
      section: '#actions-heading',
      done: {
        say: (view, at) =>
          view.leaverDue?.on
            ? `To be marked as a leaver on ${at(view.leaverDue.on)}.`
            : `Marked as a leaver until ${at(view.leaver?.windowEndsAt)}.`,
      },
    },
  }),
  withdrawLeaverMark: row({
    update: withdrawLeaverMarkUpdate,
    who: ADMINS,
    summary: 'Withdraw the leaver mark within the window, or a future-dated one before its date',
    rules: ['R28'],
    http: { method: 'delete', path: '/leaver', tag: 'Leavers and joiners', status: 200 },
    request: onlyActor,
    answer: { kind: 'account', description: 'The account, Active again' },
    portal: {
      button: {
        text: 'Withdraw leaver mark',
        explanation: 'The account is Active again (R28).',
        offered: (view) => view.status === 'Leaver',
      },
      section: '#actions-heading',
      done: { say: () => 'Leaver mark withdrawn: the account is Active.' },
    },
  }),
  acceptJoiner: row({
    update: acceptJoinerUpdate,
    who: ADMINS,
    summary: "Accept a leaver into the caller's organisation",
    rules: ['R28'],
    http: { method: 'post', path: '/joiner', tag: 'Leavers and joiners', status: 200 },
    body: { schema: joinerBody },
    alsoFor: isLeaver,
    request: acceptJoinerRequest,
    answer: { kind: 'account', description: 'The account, Active in its new organisation' },
  }),
  reactivateAccount: row({
    update: reactivateAccountUpdate,
    who: ADMINS,
    summary: 'Make an Inactive account Active again',
    rules: ['R30'],
    http: { method: 'post', path: '/reactivation', tag: 'Accounts', status: 200 },
    body: noBody,
    request: onlyActor,
    answer: { kind: 'account', description: 'The account, Active' },
    portal: {
      button: {
        text: 'Reactivate account',
        explanation: 'The account is Active again, and its 30-day clock restarts (R30).',
        offered: (view) => view.status === 'Inactive',
      },
      section: '#actions-heading',
      done: { say: () => 'Account reactivated.' },
    },
  }),
  restoreAccount: row({
    update: restoreAccountUpdate,
    who: ['national-admin'],
    summary: 'Restore a deleted account within its restore window: national administrators',
    rules: ['R32'],
    http: { method: 'post', path: '/restoration', tag: 'Accounts', status: 200 },
    body: noBody,
    request: onlyActor,
    answer: { kind: 'account', description: 'The account, restored to its status before' },
    portal: {
      button: {
        text: 'Restore account',
        explanation: 'Back to its status before deletion, with the same address and history (R32).',
        offered: (view: AccountView, principal) =>
          view.status === 'Deleted' && !view.deletion?.closedAt && principal.kind === 'national-admin',
      },
      section: '#actions-heading',
      done: { say: (view) => `Account restored as ${view.status}.` },
    },
  }),
};

export type AccountChanges = typeof ACCOUNT_CHANGES;
export type ChangeName = keyof AccountChanges;

/** The table's rows in order, each as the API and the portal read it. */
export const CHANGE_ROWS = Object.entries(ACCOUNT_CHANGES) as [ChangeName, AnyAccountChange][];
