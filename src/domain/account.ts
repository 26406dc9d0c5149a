import type { OrganisationSnapshot } from './organisation';

export const ACCOUNT_STATUSES = [
  'Pending',
  'Active',
  'Leaver',
  'Inactive',
  'Disabled',
  'ProvisioningFailed',
  'Deleted',
] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type DisabledReason = 'NonUkMobile';
export const EXCHANGE_ONLINE = 'Exchange Online';
export type MailboxLocation = typeof EXCHANGE_ONLINE | null;

/** Who made a change (R1, R2). */
export interface Actor {
  kind: 'local-admin' | 'national-admin' | 'identity-platform' | 'scim-client' | 'system';
  id: string;
  name: string;
}

export const SYSTEM: Actor = { kind: 'system', id: 'lifecycle', name: 'Account lifecycle engine' };

/** What an administrator sets on an account; phone numbers in E.164. */
export interface Profile {
  title: string;
  firstName: string;
  lastName: string;
  mobile?: string;
  telephone?: string;
  pager?: string;
  fax?: string;
  jobTitle?: string;
  organisationalUnit?: string;
  clinicalSpecialities: string[];
  clinicalRoles: string[];
  workAreas: string[];
  site?: string;
  /** R33: the ESR assignment number an HR feed keys the person's post by (SCIM's `employeeNumber`). */
  esrAssignmentNumber?: string;
}

/** Fields an edit may change (R25): the profile, all optional; a null clears an optional field. */
export type ProfileChanges = {
  [K in keyof Profile]?: undefined extends Profile[K] ? Profile[K] | null : Profile[K];
};

/** What a receiving organisation sets on a joiner (R28); the unit and site not given are cleared. */
export type JoinerChanges = Pick<
  ProfileChanges,
  'organisationalUnit' | 'site' | 'jobTitle' | 'clinicalSpecialities' | 'clinicalRoles' | 'workAreas'
>;

/** The account as the API hands it to a new lifecycle workflow. */
export interface NewAccount {
  id: string;
  email: string;
  profile: Profile;
  organisation: OrganisationSnapshot;
  notes: string;
  createdBy: Actor;
  /** R31: the bulk upload that created it, for Temporal Web's search attribute. */
  bulkUploadId?: string;
  /** R33: the feed's key of the person, unique in the organisation (SCIM's `externalId`). */
  externalId?: string;
  /** R28, R33: created as a leaver to be, on `on` (a future-dated leaver), or as soon as it is Active (null). */
  leaving?: { on: string | null };
}

/** A field's value in the audit trail: text, a list of codes, or null for none. */
export type AuditValue = string | string[] | null;

export interface AuditEntry {
  at: string;
  actor: Actor;
  action: string;
  changes?: Record<string, { from: AuditValue; to: AuditValue }>;
  detail?: string;
}
