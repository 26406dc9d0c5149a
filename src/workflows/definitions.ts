import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, AuditEntry, JoinerChanges, ProfileChanges } from '../domain/account';
import type { IdentityEvent } from '../domain/identity-events';
import type { AccountView, MfaExceptionTerm } from '../domain/lifecycle-state';
import type { OrganisationSnapshot } from '../domain/organisation';

/** The messages a lifecycle answers; the API uses these same definitions. */
export interface ActorRequest {
  actor: Actor;
}
export interface EditRequest extends ActorRequest {
  changes: ProfileChanges;
}
export interface NotesRequest extends ActorRequest {
  notes: string;
}
export interface IdentityEventRequest extends ActorRequest {
  event: IdentityEvent;
}
export interface MfaExceptionRequest extends ActorRequest {
  term: MfaExceptionTerm;
  riskAssessmentRef: string;
}
export interface PhoneVisibilityRequest extends ActorRequest {
  hidden: boolean;
}

export interface JoinerRequest extends ActorRequest {
  organisation: OrganisationSnapshot;
  changes: JoinerChanges;
}

export const getAccount = defineQuery<AccountView>('getAccount');
export const getAuditTrail = defineQuery<AuditEntry[]>('getAuditTrail');

export const editAttributes = defineUpdate<AccountView, [EditRequest]>('editAttributes');
export const setNotes = defineUpdate<AccountView, [NotesRequest]>('setNotes');
export const reportIdentityEvent = defineUpdate<AccountView, [IdentityEventRequest]>('reportIdentityEvent');
export const requestMfaException = defineUpdate<AccountView, [MfaExceptionRequest]>('requestMfaException');
export const endMfaException = defineUpdate<AccountView, [ActorRequest]>('endMfaException');
export const setPhoneVisibility = defineUpdate<AccountView, [PhoneVisibilityRequest]>('setPhoneVisibility');
export const retryProvisioning = defineUpdate<AccountView, [ActorRequest]>('retryProvisioning');
export const markLeaver = defineUpdate<AccountView, [ActorRequest]>('markLeaver');
export const withdrawLeaver = defineUpdate<AccountView, [ActorRequest]>('withdrawLeaver');
export const acceptJoiner = defineUpdate<AccountView, [JoinerRequest]>('acceptJoiner');
export const resecureAccount = defineUpdate<AccountView, [ActorRequest]>('resecureAccount');
export const reactivateAccount = defineUpdate<AccountView, [ActorRequest]>('reactivateAccount');
export const restoreAccount = defineUpdate<AccountView, [ActorRequest]>('restoreAccount');
/** The temporary password, sealed, once per password issued: at provisioning, a retry or a resecure (R13). */
export const takeTemporaryPassword = defineUpdate<{ sealedTemporaryPassword: string }>(
  'takeTemporaryPassword',
);

/** The failure type of a refused Update; its message says why, its details what is missing. */
export const REFUSED = 'Refused';
/** The failure type of an Update turned away because it would change nothing (no history is written). */
export const UNCHANGED = 'Unchanged';
