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
}

/** The directory's copy of an account (R25, R26). */
export function directoryEntryOf(state: AccountState): DirectoryEntry {
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
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
