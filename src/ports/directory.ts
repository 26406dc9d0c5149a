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

/** R33: what a feed filters accounts by (SCIM's userName or emails.value, externalId, name, active, meta.lastModified). */
export type FeedAttribute = 'email' | 'externalId' | 'firstName' | 'lastName' | 'active' | 'lastModified';
export type FeedComparison = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
/** R33: a feed's filter, evaluated by the directory (SCIM's operators, RFC 7644 3.4.2.2). */
export type FeedFilter =
  | { op: 'and' | 'or'; filters: FeedFilter[] }
  | { op: 'not'; filter: FeedFilter }
  | { op: 'pr'; attribute: FeedAttribute }
  | { op: FeedComparison; attribute: FeedAttribute; value: string | boolean };

export interface FeedSearch {
  /** The organisations the feed feeds (R1). */
  organisations: string[];
  filter?: FeedFilter;
  /** 1-based, as SCIM counts. */
  startIndex: number;
  count: number;
}

/** A page of a feed's search: how many match in all, and this page's accounts, in address order. */
export interface FeedPage {
  total: number;
  entries: { id: string; lastModified?: string }[];
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
  /** R33: when its entry last changed (absent for entries written before feeds). */
  lastModified?: string;
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
  | { kind: 'possible-duplicates'; candidates: ExistingAccount[] }
  /** R33: the organisation has an account (not deleted) with the feed's key already. */
  | { kind: 'external-id-taken'; existing: ExistingAccount };

export interface Directory {
  /**
   * R11, R12 in one atomic step: refuses a certain duplicate (same mobile) or, unless confirmed, a possible
   * one (same first and last name), and (R33) an account of the organisation with the same feed key (externalId), else allocates the first free address `first.last[n]@domain`.
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
  /** R33: a feed's filter over its organisations' accounts (not deleted), a page at a time. */
  feedSearch(search: FeedSearch): Promise<FeedPage>;
}
