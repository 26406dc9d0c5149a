import type { AccountStatus } from '../domain/account';
import type { DirectoryEntry } from '../domain/directory-entry';

export type { DirectoryEntry };

export interface DirectorySearch {
  /** Only these organisations (a local administrator's); undefined for all. */
  organisations?: string[];
  /** Words matched against the name, email, job title and role and speciality codes. */
  q?: string;
  organisation?: string;
  /** Deleted accounts are gone from the directory (R32): they are found only when asked for by this status. */
  status?: AccountStatus;
  /** A mobile number in E.164. */
  mobile?: string;
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
  /**
   * Everything needed to start the account's lifecycle, kept with the reservation until the lifecycle has
   * started, so that a crash between the two cannot leave an address without its account.
   */
  pendingStart: unknown;
}

/** A reservation whose lifecycle has not been confirmed started. */
export interface PendingStart {
  id: string;
  email: string;
  pendingStart: unknown;
  reservedAt: string;
}

/** Where an account (or reservation) belongs, for authorisation, and whether its lifecycle is yet to start. */
export interface Located {
  organisation: string;
  status: AccountStatus;
  lifecyclePending: boolean;
}

export interface ExistingAccount {
  id: string;
  email: string;
  displayName: string;
  organisationCode: string;
  status: AccountStatus;
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
  /** What was recorded to start this account's lifecycle, if it is not yet confirmed started. */
  pendingStart(id: string): Promise<PendingStart | undefined>;
  /** Reservations made before `reservedBefore` whose lifecycle is not yet confirmed started, oldest first. */
  pendingStarts(reservedBefore: Date, limit: number): Promise<PendingStart[]>;
  /** The account's lifecycle is running: forget what was kept to start it. */
  lifecycleStarted(id: string): Promise<void>;
  upsert(entry: DirectoryEntry): Promise<void>;
  locate(id: string): Promise<Located | undefined>;
  /** The entry as any directory user sees it: phone numbers left out when hidden; none for a deleted account. */
  get(id: string): Promise<DirectoryEntry | undefined>;
  search(search: DirectorySearch): Promise<DirectoryPage>;
}
