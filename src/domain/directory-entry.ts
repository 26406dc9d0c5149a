import type { AccountStatus } from './account';
import type { AccountState } from './lifecycle-state';

/** An account as the NHS Directory holds it (R26). */
export interface DirectoryEntry {
  id: string;
  email: string;
  displayName: string;
  title: string;
  firstName: string;
  lastName: string;
  organisationCode: string;
  organisationName: string;
  jobTitle?: string;
  organisationalUnit?: string;
  site?: string;
  clinicalSpecialities: string[];
  clinicalRoles: string[];
  workAreas: string[];
  mobile?: string;
  telephone?: string;
  pager?: string;
  fax?: string;
  phonesHidden: boolean;
  status: AccountStatus;
  /** R28: a leaver's window, for the administrators who may accept it as a joiner. */
  leaverWindowEndsAt?: string;
  /** R33: the feed's key of the person, which a feed filters by. */
  externalId?: string;
}

/** The directory's copy of an account (R25, R26). */
export function directoryEntryOf(state: AccountState): DirectoryEntry {
  if (state.deletion?.closedAt) return closedEntry(state);
  const { profile } = state;
  return {
    id: state.id,
    email: state.email,
    displayName: state.displayName,
    title: profile.title,
    firstName: profile.firstName,
    lastName: profile.lastName,
    organisationCode: state.organisation.code,
    organisationName: state.organisation.name,
    ...optional('jobTitle', profile.jobTitle),
    ...optional('organisationalUnit', profile.organisationalUnit),
    ...optional('site', profile.site),
    clinicalSpecialities: profile.clinicalSpecialities,
    clinicalRoles: profile.clinicalRoles,
    workAreas: profile.workAreas,
    ...optional('mobile', profile.mobile),
    ...optional('telephone', profile.telephone),
    ...optional('pager', profile.pager),
    ...optional('fax', profile.fax),
    phonesHidden: state.phonesHiddenInDirectory,
    status: state.status,
    ...optional('leaverWindowEndsAt', state.status === 'Leaver' ? state.leaver?.windowEndsAt : undefined),
    ...optional('externalId', state.externalId),
  };
}

/** R32, R11: what stays of an account closed for good: its retired address and its organisation, nothing personal. */
function closedEntry(state: AccountState): DirectoryEntry {
  return {
    id: state.id,
    email: state.email,
    displayName: '',
    title: '',
    firstName: '',
    lastName: '',
    organisationCode: state.organisation.code,
    organisationName: state.organisation.name,
    clinicalSpecialities: [],
    clinicalRoles: [],
    workAreas: [],
    phonesHidden: true,
    status: 'Deleted',
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
