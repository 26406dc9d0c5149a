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
import { inTransaction, type Pool, type PoolClient } from './database';

interface EntryRow {
  status: AccountStatus;
  data: DirectoryEntry;
}

/** Advisory lock classes (the first key of pg_advisory_xact_lock(int, int)); the second is the key's hash. */
const NAME_LOCK = 0x6e68_0001;
const MOBILE_LOCK = 0x6e68_0002;
/** Candidate addresses looked up at once when allocating. */
const PROBE = 32;

/**
 * The NHS Directory in PostgreSQL, shared by every API and worker process; addresses once allocated are
 * kept for good (R11).
 */
export class PostgresDirectory implements Directory {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * R11, R12 across processes: one transaction that first takes an advisory lock on the name (first.last)
   * and one on the mobile, so two reservations of the same name or the same mobile run one after the other,
   * each seeing what the other committed (READ COMMITTED takes a new snapshot per statement). The address
   * is then inserted only if free (the primary key decides, whatever other name shares its local part).
   */
  async reserve(request: ReservationRequest): Promise<ReservationResult> {
    const { entry } = request;
    const localPart = addressLocalPart(entry.firstName, entry.lastName);
    return inTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [NAME_LOCK, localPart]);
      if (entry.mobile) {
        await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MOBILE_LOCK, entry.mobile]);
        const same = await db.query<EntryRow>(
          "SELECT status, data FROM directory_entries WHERE mobile = $1 AND status <> 'Deleted' LIMIT 1",
          [entry.mobile],
        );
        if (same.rows[0]) return { kind: 'duplicate', existing: existing(same.rows[0]) };
      }
      if (!request.confirmNotDuplicate) {
        const candidates = await db.query<EntryRow>(
          `SELECT status, data FROM directory_entries WHERE name_key = $1 AND status <> 'Deleted'
           ORDER BY email LIMIT 20`,
          [localPart],
        );
        if (candidates.rows.length > 0)
          return { kind: 'possible-duplicates', candidates: candidates.rows.map(existing) };
      }
      const now = this.clock();
      const email = await allocate(db, localPart, request.domain, now);
      const id = email;
      await db.query(
        'INSERT INTO directory_pending_starts (account_id, start, reserved_at) VALUES ($1, $2, $3)',
        [id, JSON.stringify(request.pendingStart), now],
      );
      await write(db, { ...entry, id, email });
      return { kind: 'reserved', id, email };
    });
  }

  async pendingStart(id: string): Promise<PendingStart | undefined> {
    const { rows } = await this.pool.query<PendingRow>(`${PENDING} WHERE p.account_id = $1`, [id]);
    return rows[0] && pendingOf(rows[0]);
  }

  async pendingStarts(reservedBefore: Date, limit: number): Promise<PendingStart[]> {
    const { rows } = await this.pool.query<PendingRow>(
      `${PENDING} WHERE p.reserved_at < $1 ORDER BY p.reserved_at LIMIT $2`,
      [reservedBefore, limit],
    );
    return rows.map(pendingOf);
  }

  async lifecycleStarted(id: string): Promise<void> {
    await this.pool.query('DELETE FROM directory_pending_starts WHERE account_id = $1', [id]);
  }

  async upsert(entry: DirectoryEntry): Promise<void> {
    await write(this.pool, entry);
  }

  async locate(id: string): Promise<Located | undefined> {
    const { rows } = await this.pool.query<{
      organisation_code: string;
      status: AccountStatus;
      pending: boolean;
    }>(
      `SELECT e.organisation_code, e.status, p.account_id IS NOT NULL AS pending FROM directory_entries e
       LEFT JOIN directory_pending_starts p ON p.account_id = e.id WHERE e.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && { organisation: row.organisation_code, status: row.status, lifecyclePending: row.pending };
  }

  async get(id: string): Promise<DirectoryEntry | undefined> {
    const { rows } = await this.pool.query<EntryRow>(
      'SELECT status, data FROM directory_entries WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row && row.status !== 'Deleted' ? publicView(row.data) : undefined;
  }

  async search(search: DirectorySearch): Promise<DirectoryPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (search.organisations) where.push(`organisation_code = ANY(${param(search.organisations)}::text[])`);
    if (search.organisation) where.push(`organisation_code = ${param(search.organisation)}`);
    where.push(search.status ? `status = ${param(search.status)}` : "status <> 'Deleted'");
    if (search.mobile) where.push(`mobile = ${param(search.mobile)}`);
    if (search.role) where.push(`${param(search.role)} = ANY(roles)`);
    const words = queryWords(search.q, search.role);
    if (words === undefined) return { entries: [], nextCursor: null };
    // Each word the start of a word of the entry's: the GIN index finds few matches, and for many the
    // covering index (email, status, words) is walked in address order without reading the entries.
    if (words.length) {
      where.push(`search_vector @@ to_tsquery('simple', ${param(words.map((w) => `${w}:*`).join(' & '))})`);
    }
    if (search.cursor) where.push(`email > ${param(decodeCursor(search.cursor))}`);
    const { rows } = await this.pool.query<EntryRow & { email: string }>(
      `SELECT e.email, e.status, e.data FROM (
         SELECT email FROM directory_entries WHERE ${where.join(' AND ')}
         ORDER BY email LIMIT ${param(search.limit + 1)}
       ) page JOIN directory_entries e USING (email) ORDER BY e.email`,
      params,
    );
    const page = rows.slice(0, search.limit);
    return {
      entries: page.map((row) => publicView(row.data)),
      nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1]!.email) : null,
    };
  }
}

/** R11: the first address `first.last[n]@domain` not yet allocated, now allocated to the new account. */
async function allocate(db: PoolClient, localPart: string, domain: string, now: Date): Promise<string> {
  for (let from = 0; ; from += PROBE) {
    const candidates = Array.from({ length: PROBE }, (_, i) => candidateAddress(localPart, domain, from + i));
    const { rows } = await db.query<{ address: string }>(
      'SELECT address FROM directory_addresses WHERE address = ANY($1::text[])',
      [candidates],
    );
    const taken = new Set(rows.map((r) => r.address));
    for (const address of candidates) {
      if (taken.has(address)) continue;
      const inserted = await db.query(
        `INSERT INTO directory_addresses (address, account_id, allocated_at) VALUES ($1, $1, $2)
         ON CONFLICT (address) DO NOTHING`,
        [address, now],
      );
      if (inserted.rowCount === 1) return address;
    }
  }
}

async function write(db: Pool | PoolClient, entry: DirectoryEntry): Promise<void> {
  await db.query(
    `INSERT INTO directory_entries (id, email, name_key, mobile, organisation_code, status, roles, search_text, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET name_key = $3, mobile = $4, organisation_code = $5, status = $6,
       roles = $7, search_text = $8, data = $9`,
    [
      entry.id,
      entry.email,
      addressLocalPart(entry.firstName, entry.lastName),
      entry.mobile ?? null,
      entry.organisationCode,
      entry.status,
      entry.clinicalRoles,
      searchTextOf(entry),
      JSON.stringify(entry),
    ],
  );
}

const existing = (row: EntryRow) => existingOf(row.data, row.status);

const PENDING = `SELECT p.account_id, e.email, p.start, p.reserved_at FROM directory_pending_starts p
  JOIN directory_entries e ON e.id = p.account_id`;

interface PendingRow {
  account_id: string;
  email: string;
  start: unknown;
  reserved_at: Date;
}

function pendingOf(row: PendingRow): PendingStart {
  return {
    id: row.account_id,
    email: row.email,
    pendingStart: row.start,
    reservedAt: row.reserved_at.toISOString(),
  };
}
