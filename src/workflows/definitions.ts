import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, JoinerChanges, ProfileChanges } from '../domain/account';
import type { FeedLeaving } from '../domain/feed-leaver';
import type { IdentityEvent } from '../domain/identity-events';
import type { AccountView, MfaExceptionTerm, TrailEntry } from '../domain/lifecycle-state';
import type { OrganisationSnapshot } from '../domain/organisation';

/**
 * The messages a lifecycle answers, shared by the workflow (which handles them) and the operations (which
 * send them). Each is named in code as its change is everywhere (the API's operationId, the change table in
 * src/operations/account-changes.ts), with the suffix Update or Query; the string is the name histories hold
 * and Temporal Web shows, which never changes: a recorded Update is replayed by that name.
 */
export interface ActorRequest {
  actor: Actor;
}
export interface EditAccountRequest extends ActorRequest {
  changes: ProfileChanges;
}
export interface SetNotesRequest extends ActorRequest {
  notes: string;
}
export interface ReportIdentityEventRequest extends ActorRequest {
  event: IdentityEvent;
}
export interface StartMfaExceptionRequest extends ActorRequest {
  term: MfaExceptionTerm;
  riskAssessmentRef: string;
}
export interface SetDirectoryVisibilityRequest extends ActorRequest {
  /** Whether the user's phone numbers are hidden from the NHS Directory (`hidden` as histories hold it). */
  hidden: boolean;
}
/** R28: marked now, or on a leaving date in the future (a future-dated leaver). */
export interface MarkLeaverRequest extends ActorRequest {
  leavingDate?: string;
}
/**
 * R33: what a feed (SCIM) changes in one step, all or nothing: the attributes (R25; held while the account is
 * Pending), its key of the person, and what it says of the person's leaving (R28).
 */
export interface UpdateFromFeedRequest extends ActorRequest {
  changes?: ProfileChanges;
  /** The feed's key; null removes it. */
  externalId?: string | null;
  leaving?: FeedLeaving;
}
export interface AcceptJoinerRequest extends ActorRequest {
  organisation: OrganisationSnapshot;
  changes: JoinerChanges;
}

export const getAccountQuery = defineQuery<AccountView>('getAccount');
/**
 * R2: the entries of the audit trail the lifecycle holds: those the audit store does not have yet, each with
 * its seq; a run from before the store answers its whole trail, without seqs.
 */
export const getAccountHistoryQuery = defineQuery<TrailEntry[]>('getAuditTrail');

export const editAccountUpdate = defineUpdate<AccountView, [EditAccountRequest]>('editAttributes');
export const setNotesUpdate = defineUpdate<AccountView, [SetNotesRequest]>('setNotes');
export const reportIdentityEventUpdate = defineUpdate<AccountView, [ReportIdentityEventRequest]>(
  'reportIdentityEvent',
);
export const startMfaExceptionUpdate = defineUpdate<AccountView, [StartMfaExceptionRequest]>(
  'requestMfaException',
);
export const endMfaExceptionUpdate = defineUpdate<AccountView, [ActorRequest]>('endMfaException');
export const setDirectoryVisibilityUpdate = defineUpdate<AccountView, [SetDirectoryVisibilityRequest]>(
  'setPhoneVisibility',
);
export const retryProvisioningUpdate = defineUpdate<AccountView, [ActorRequest]>('retryProvisioning');
export const markLeaverUpdate = defineUpdate<AccountView, [MarkLeaverRequest]>('markLeaver');
export const withdrawLeaverMarkUpdate = defineUpdate<AccountView, [ActorRequest]>('withdrawLeaver');
export const acceptJoinerUpdate = defineUpdate<AccountView, [AcceptJoinerRequest]>('acceptJoiner');
export const resecureAccountUpdate = defineUpdate<AccountView, [ActorRequest]>('resecureAccount');
export const reactivateAccountUpdate = defineUpdate<AccountView, [ActorRequest]>('reactivateAccount');
export const restoreAccountUpdate = defineUpdate<AccountView, [ActorRequest]>('restoreAccount');
/** R32, R33: a feed deletes the account, restorably. */
export const deleteAccountUpdate = defineUpdate<AccountView, [ActorRequest]>('deleteAccount');
export const updateFromFeedUpdate = defineUpdate<AccountView, [UpdateFromFeedRequest]>('updateFromFeed');
/** The temporary password, sealed, once per password issued: at provisioning, a retry or a resecure (R13). */
export const takeTemporaryPasswordUpdate = defineUpdate<{ sealedTemporaryPassword: string }>(
  'takeTemporaryPassword',
);

/** The failure type of a refused Update; its message says why, its details what is missing. */
export const REFUSED = 'Refused';
/** The failure type of an Update turned away because it would change nothing (no history is written). */
export const UNCHANGED = 'Unchanged';
