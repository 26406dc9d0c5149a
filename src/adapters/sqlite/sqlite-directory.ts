import type { AccountStatus } from '../../domain/account';
import { addressLocalPart, candidateAddress } from '../../domain/email-address';
import type {
  Directory,
  DirectoryEntry,
  DirectoryPage,
  DirectorySearch,
  Located,
  PendingStart,
  ReservationRequest,
  ReservationResult,
} from '../../ports/directory';
import {
  decodeCursor,
  encodeCursor,
  existingOf,
  publicView,
  queryWords,
  searchTextOf,
} from '../directory-rows';
import type { Db } from './database';

interface EntryRow {
  id: string;
  email: string;
  status: AccountStatus;
  data: string;
}

/**
 * Above this many text matches a search walks the entries in address order and stops at a full page, as
 * that is then quicker than sorting every match; below it, the text index finds the matches.
 */
const MANY_MATCHES = 5000;

/** The NHS Directory for the embedded run, in SQLite; addresses once allocated are kept for good (R11). */
export class SqliteDirectory implements Directory {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async reserve(request: ReservationRequest): Promise<ReservationResult> {
    const { entry } = request;
    const localPart = addressLocalPart(entry.firstName, entry.lastName);
    // One write transaction (BEGIN IMMEDIATE): every process on this file waits for the one reserving.
    const reserve = this.db.transaction((): ReservationResult => {
      if (entry.mobile) {
        const same = this.db
          .prepare("SELECT * FROM directory_entries WHERE mobile = ? AND status <> 'Deleted' LIMIT 1")
          .get(entry.mobile) as EntryRow | undefined;
        if (same) return { kind: 'duplicate', existing: existing(same) };
      }
      if (!request.confirmNotDuplicate) {
        const candidates = this.db
          .prepare(
            "SELECT * FROM directory_entries WHERE name_key = ? AND status <> 'Deleted' ORDER BY email LIMIT 20",
          )
          .all(localPart) as EntryRow[];
        if (candidates.length > 0)
          return { kind: 'possible-duplicates', candidates: candidates.map(existing) };
      }
      const taken = this.db.prepare('SELECT 1 FROM directory_addresses WHERE address = ?');
      let n = 0;
      while (taken.get(candidateAddress(localPart, request.domain, n))) n++;
      const email = candidateAddress(localPart, request.domain, n);
      const id = email;
      const now = this.clock().toISOString();
      this.db
        .prepare('INSERT INTO directory_addresses (address, account_id, allocated_at) VALUES (?, ?, ?)')
        .run(email, id, now);
      this.db
        .prepare('INSERT INTO directory_pending_starts (account_id, start, reserved_at) VALUES (?, ?, ?)')
        .run(id, JSON.stringify(request.pendingStart), now);
      this.write({ ...entry, id, email });
      return { kind: 'reserved', id, email };
    });
    return reserve.immediate();
  }

  async pendingStart(id: string): Promise<PendingStart | undefined> {
    const row = this.db.prepare(`${PENDING} WHERE p.account_id = ?`).get(id) as PendingRow | undefined;
    return row && pendingOf(row);
  }

  async pendingStarts(reservedBefore: Date, limit: number): Promise<PendingStart[]> {
    const rows = this.db
      .prepare(`${PENDING} WHERE p.reserved_at < ? ORDER BY p.reserved_at LIMIT ?`)
      .all(reservedBefore.toISOString(), limit) as PendingRow[];
    return rows.map(pendingOf);
  }

  async lifecycleStarted(id: string): Promise<void> {
    this.db.prepare('DELETE FROM directory_pending_starts WHERE account_id = ?').run(id);
  }

  async upsert(entry: DirectoryEntry): Promise<void> {
    this.write(entry);
  }

  async locate(id: string): Promise<Located | undefined> {
    const row = this.db
      .prepare(
        `SELECT e.organisation_code, e.status, p.account_id IS NOT NULL AS pending FROM directory_entries e
         LEFT JOIN directory_pending_starts p ON p.account_id = e.id WHERE e.id = ?`,
      )
      .get(id) as { organisation_code: string; status: AccountStatus; pending: number } | undefined;
    return (
      row && { organisation: row.organisation_code, status: row.status, lifecyclePending: row.pending === 1 }
    );
  }

  async get(id: string): Promise<DirectoryEntry | undefined> {
    const row = this.db.prepare('SELECT * FROM directory_entries WHERE id = ?').get(id) as
      EntryRow | undefined;
    return row && row.status !== 'Deleted' ? publicView(JSON.parse(row.data) as DirectoryEntry) : undefined;
  }

  async search(search: DirectorySearch): Promise<DirectoryPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (search.organisations) {
      where.push(`e.organisation_code IN (${search.organisations.map(() => '?').join(',') || 'NULL'})`);
      params.push(...search.organisations);
    }
    if (search.organisation) {
      where.push('e.organisation_code = ?');
      params.push(search.organisation);
    }
    if (search.status) {
      where.push('e.status = ?');
      params.push(search.status);
    } else {
      where.push("e.status <> 'Deleted'");
    }
    if (search.mobile) {
      where.push('e.mobile = ?');
      params.push(search.mobile);
    }
    if (search.role) {
      where.push("EXISTS (SELECT 1 FROM json_each(e.data, '$.clinicalRoles') WHERE value = ?)");
      params.push(search.role);
    }
    const words = queryWords(search.q, search.role);
    if (words === undefined) return { entries: [], nextCursor: null };
    for (const word of words) {
      // The start of a word of the search text, whose words are [a-z0-9]+ separated by single spaces.
      where.push("(' ' || e.search_text) LIKE ?");
      params.push(`% ${word}%`);
    }
    if (search.cursor) {
      where.push('e.email > ?');
      params.push(decodeCursor(search.cursor));
    }
    const match = words.length ? words.map((w) => `"${w}"*`).join(' ') : undefined;
    const filter = where.join(' AND ');
    const rows =
      match !== undefined && this.fewMatches(match)
        ? this.byTextIndex(match, filter, params, search.limit + 1)
        : this.inAddressOrder(search, filter, params, search.limit + 1);
    const page = rows.slice(0, search.limit);
    return {
      entries: page.map((row) => publicView(JSON.parse(row.data) as DirectoryEntry)),
      nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1]!.email) : null,
    };
  }

  private fewMatches(match: string): boolean {
    const { n } = this.db
      .prepare(
        'SELECT count(*) AS n FROM (SELECT 1 FROM directory_search WHERE directory_search MATCH ? LIMIT ?)',
      )
      .get(match, MANY_MATCHES) as { n: number };
    return n < MANY_MATCHES;
  }

  /** The text index finds every match; the page is the first of them in address order. */
  private byTextIndex(match: string, filter: string, params: unknown[], limit: number): EntryRow[] {
    return this.db
      .prepare(
        `SELECT e.* FROM directory_search s CROSS JOIN directory_entries e ON e.seq = s.rowid
         WHERE directory_search MATCH ? AND ${filter} ORDER BY e.email LIMIT ?`,
      )
      .all(match, ...params, limit) as EntryRow[];
  }

  /**
   * The entries walked in address order until the page is full. With no filter but words, along the
   * covering index (address, status, words), whose pages hold what is checked, reading an entry only for a
   * match; organisations, a mobile or a status have indexes of their own, which SQLite chooses.
   */
  private inAddressOrder(search: DirectorySearch, filter: string, params: unknown[], limit: number) {
    const covering =
      !search.organisations && !search.organisation && !search.mobile && !search.status
        ? 'INDEXED BY directory_entries_by_email'
        : '';
    return this.db
      .prepare(`SELECT e.* FROM directory_entries e ${covering} WHERE ${filter} ORDER BY e.email LIMIT ?`)
      .all(...params, limit) as EntryRow[];
  }

  private write(entry: DirectoryEntry): void {
    this.db
      .prepare(
        `INSERT INTO directory_entries (id, email, name_key, mobile, organisation_code, status, search_text, data)
         VALUES (@id, @email, @nameKey, @mobile, @org, @status, @searchText, @data)
         ON CONFLICT (id) DO UPDATE SET name_key = @nameKey, mobile = @mobile, organisation_code = @org,
           status = @status, search_text = @searchText, data = @data`,
      )
      .run({
        id: entry.id,
        email: entry.email,
        nameKey: addressLocalPart(entry.firstName, entry.lastName),
        mobile: entry.mobile ?? null,
        org: entry.organisationCode,
        status: entry.status,
        searchText: searchTextOf(entry),
        data: JSON.stringify(entry),
      });
  }
}

const existing = (row: EntryRow) => existingOf(JSON.parse(row.data) as DirectoryEntry, row.status);

const PENDING = `SELECT p.account_id, e.email, p.start, p.reserved_at FROM directory_pending_starts p
  JOIN directory_entries e ON e.id = p.account_id`;

interface PendingRow {
  account_id: string;
  email: string;
  start: string;
  reserved_at: string;
}

function pendingOf(row: PendingRow): PendingStart {
  return {
    id: row.account_id,
    email: row.email,
    pendingStart: JSON.parse(row.start) as unknown,
    reservedAt: row.reserved_at,
  };
}
