import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, AuditEntry, ProfileChanges } from '../domain/account';
import type { IdentityEvent } from '../domain/identity-events';
import type { AccountView, MfaExceptionTerm } from '../domain/lifecycle-state';

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

export const getAccount = defineQuery<AccountView>('getAccount');
export const getAuditTrail = defineQuery<AuditEntry[]>('getAuditTrail');

export const editAttributes = defineUpdate<AccountView, [EditRequest]>('editAttributes');
export const setNotes = defineUpdate<AccountView, [NotesRequest]>('setNotes');
export const reportIdentityEvent = defineUpdate<AccountView, [IdentityEventRequest]>('reportIdentityEvent');
export const requestMfaException = defineUpdate<AccountView, [MfaExceptionRequest]>('requestMfaException');
export const endMfaException = defineUpdate<AccountView, [ActorRequest]>('endMfaException');
export const setPhoneVisibility = defineUpdate<AccountView, [PhoneVisibilityRequest]>('setPhoneVisibility');
export const retryProvisioning = defineUpdate<AccountView, [ActorRequest]>('retryProvisioning');
/** The temporary password, sealed, once per provisioning attempt (R13). */
export const takeTemporaryPassword = defineUpdate<{ sealedTemporaryPassword: string }>(
  'takeTemporaryPassword',
);

/** The failure type of a refused Update; its message says why, its details what is missing. */
export const REFUSED = 'Refused';
