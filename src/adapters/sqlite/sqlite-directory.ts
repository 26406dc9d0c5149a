import type { AccountStatus } from '../../domain/account';
import { addressLocalPart, candidateAddress } from '../../domain/email-address';
import type {
  Directory,
  DirectoryEntry,
  DirectoryPage,
  DirectorySearch,
  ExistingAccount,
  Located,
  PendingStart,
  ReservationRequest,
  ReservationResult,
} from '../../ports/directory';
import type { Db } from './database';

interface EntryRow {
  id: string;
  email: string;
  organisation_code: string;
  status: AccountStatus;
  data: string;
}

/** The NHS Directory for the embedded run, in SQLite; addresses once allocated are kept for good (R11). */
export class SqliteDirectory implements Directory {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS directory_addresses (
        address TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        allocated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS directory_entries (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name_key TEXT NOT NULL,
        mobile TEXT,
        organisation_code TEXT NOT NULL,
        status TEXT NOT NULL,
        search_text TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS directory_entries_name ON directory_entries (name_key);
      CREATE INDEX IF NOT EXISTS directory_entries_mobile ON directory_entries (mobile);
      CREATE INDEX IF NOT EXISTS directory_entries_org ON directory_entries (organisation_code, email);
      CREATE TABLE IF NOT EXISTS directory_pending_starts (
        account_id TEXT PRIMARY KEY,
        start TEXT NOT NULL,
        reserved_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS directory_pending_starts_age ON directory_pending_starts (reserved_at);
    `);
  }

  async reserve(request: ReservationRequest): Promise<ReservationResult> {
    const { entry } = request;
    const localPart = addressLocalPart(entry.firstName, entry.lastName);
    const reserve = this.db.transaction((): ReservationResult => {
      if (entry.mobile) {
        const same = this.db
          .prepare("SELECT * FROM directory_entries WHERE mobile = ? AND status <> 'Deleted' LIMIT 1")
          .get(entry.mobile) as EntryRow | undefined;
        if (same) return { kind: 'duplicate', existing: existingOf(same) };
      }
      if (!request.confirmNotDuplicate) {
        const candidates = this.db
          .prepare(
            "SELECT * FROM directory_entries WHERE name_key = ? AND status <> 'Deleted' ORDER BY email LIMIT 20",
          )
          .all(localPart) as EntryRow[];
        if (candidates.length > 0)
          return { kind: 'possible-duplicates', candidates: candidates.map(existingOf) };
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
    const row = this.row(id);
    return row && row.status !== 'Deleted' ? publicView(row) : undefined;
  }

  async search(search: DirectorySearch): Promise<DirectoryPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (search.organisations) {
      where.push(`organisation_code IN (${search.organisations.map(() => '?').join(',') || 'NULL'})`);
      params.push(...search.organisations);
    }
    if (search.organisation) {
      where.push('organisation_code = ?');
      params.push(search.organisation);
    }
    if (search.status) {
      where.push('status = ?');
      params.push(search.status);
    } else {
      where.push("status <> 'Deleted'");
    }
    if (search.mobile) {
      where.push('mobile = ?');
      params.push(search.mobile);
    }
    if (search.role) {
      where.push("EXISTS (SELECT 1 FROM json_each(data, '$.clinicalRoles') WHERE value = ?)");
      params.push(search.role);
    }
    for (const word of (search.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
      where.push("search_text LIKE ? ESCAPE '\\'");
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (search.cursor) {
      where.push('email > ?');
      params.push(Buffer.from(search.cursor, 'base64url').toString());
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM directory_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY email LIMIT ?`,
      )
      .all(...params, search.limit + 1) as EntryRow[];
    const page = rows.slice(0, search.limit);
    const more = rows.length > search.limit;
    return {
      entries: page.map(publicView),
      nextCursor: more ? Buffer.from(page[page.length - 1]!.email).toString('base64url') : null,
    };
  }

  private row(id: string): EntryRow | undefined {
    return this.db.prepare('SELECT * FROM directory_entries WHERE id = ?').get(id) as EntryRow | undefined;
  }

  private write(entry: DirectoryEntry): void {
    const searchText = [
      entry.displayName,
      entry.email,
      entry.jobTitle,
      entry.organisationCode,
      entry.organisationName,
      ...entry.clinicalRoles,
      ...entry.clinicalSpecialities,
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
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
        searchText,
        data: JSON.stringify(entry),
      });
  }
}

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

function existingOf(row: EntryRow): ExistingAccount {
  const entry = JSON.parse(row.data) as DirectoryEntry;
  return {
    id: row.id,
    email: row.email,
    displayName: entry.displayName,
    organisationCode: row.organisation_code,
    status: row.status,
  };
}

function publicView(row: EntryRow): DirectoryEntry {
  const entry = JSON.parse(row.data) as DirectoryEntry;
  if (!entry.phonesHidden) return entry;
  const { mobile: _m, telephone: _t, pager: _p, fax: _f, ...rest } = entry;
  return rest;
}
