import type { AccountStatus } from '../domain/account';

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

export interface DirectorySearch {
  /** Only these organisations (a local administrator's); undefined for all. */
  organisations?: string[];
  /** Words matched against the name, email, job title and role and speciality codes. */
  q?: string;
  organisation?: string;
  status?: AccountStatus;
  role?: string;
  cursor?: string;
  limit: number;
}

export interface DirectoryPage {
  entries: DirectoryEntry[];
  nextCursor: string | null;
}

export interface ReservationRequest {
  /** The entry the new account will have; its mobile and names are what duplicates are found by (R12). */
  entry: Omit<DirectoryEntry, 'id' | 'email'>;
  /** The email alias: the domain of the primary address (R11). */
  domain: string;
  /** The administrator confirmed the person is none of the same-name candidates (R12). */
  confirmNotDuplicate: boolean;
}

export interface ExistingAccount {
  id: string;
  email: string;
  displayName: string;
  organisationCode: string;
}

export type ReservationResult =
  | { kind: 'reserved'; id: string; email: string }
  | { kind: 'duplicate'; existing: ExistingAccount }
  | { kind: 'possible-duplicates'; candidates: ExistingAccount[] };

export interface Directory {
  /**
   * R11, R12 in one atomic step: refuses a certain duplicate (same mobile) or, unless confirmed, a possible
   * one (same first and last name), else allocates the first free address `first.last[n]@domain`.
   */
  reserve(request: ReservationRequest): Promise<ReservationResult>;
  /** Gives back an address whose account never started; addresses of accounts that existed stay taken. */
  release(id: string): Promise<void>;
  upsert(entry: DirectoryEntry): Promise<void>;
  setPhoneVisibility(id: string, hidden: boolean): Promise<void>;
  /** The organisation an account (or reservation) belongs to, for authorisation. */
  organisationOf(id: string): Promise<string | undefined>;
  /** The entry as any directory user sees it: phone numbers left out when hidden. */
  get(id: string): Promise<DirectoryEntry | undefined>;
  search(search: DirectorySearch): Promise<DirectoryPage>;
}
