import { sql } from 'kysely';
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
import { existingOf, publicView, searchTextOf } from '../directory-rows';
import { compiled, type Db, type Lock, type SqlDatabase } from './database';
import { DirectorySearcher } from './directory-search';

/** Advisory lock classes (PostgreSQL) of a reservation: its name (first.last) and its mobile. */
const NAME_LOCK = 0x6e68_0001;
const MOBILE_LOCK = 0x6e68_0002;

/**
 * The NHS Directory, shared by every API and worker process on the database; addresses once allocated are
 * kept for good (R11).
 */
export class SqlDirectory implements Directory {
  /** Candidate addresses looked up at once: one is a few microseconds in SQLite, each a round trip in PostgreSQL. */
  private readonly probe: number;
  private readonly statements;
  private readonly searcher: DirectorySearcher;

  constructor(
    private readonly sql: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.probe = sql.dialect === 'sqlite' ? 1 : 32;
    this.statements = statements(sql, this.probe);
    this.searcher = new DirectorySearcher(sql);
  }

  /**
   * R11, R12 across processes: one transaction, in SQLite holding the file's write lock, in PostgreSQL
   * first taking an advisory lock on the name and one on the mobile, so that two reservations of the same
   * name or the same mobile run one after the other, each seeing what the other committed (READ COMMITTED
   * takes a new snapshot per statement). The address is then inserted only if free (the primary key decides,
   * whatever other name shares its local part).
   */
  async reserve(request: ReservationRequest): Promise<ReservationResult> {
    const { entry } = request;
    const localPart = addressLocalPart(entry.firstName, entry.lastName);
    const locks: Lock[] = [[NAME_LOCK, localPart]];
    if (entry.mobile) locks.push([MOBILE_LOCK, entry.mobile]);
    const s = this.statements;
    return this.sql.transaction(async (db): Promise<ReservationResult> => {
      if (entry.mobile) {
        const { rows } = await s.sameMobile(db, { mobile: entry.mobile });
        if (rows[0]) return { kind: 'duplicate', existing: existing(rows[0]) };
      }
      if (!request.confirmNotDuplicate) {
        const { rows } = await s.sameName(db, { nameKey: localPart });
        if (rows.length > 0) return { kind: 'possible-duplicates', candidates: rows.map(existing) };
      }
      const now = this.clock().toISOString();
      const email = await this.allocate(db, localPart, request.domain, now);
      const id = email;
      await s.insertPending(db, { id, start: JSON.stringify(request.pendingStart), now });
      await s.write(db, entryRow({ ...entry, id, email }));
      return { kind: 'reserved', id, email };
    }, locks);
  }

  async pendingStart(id: string): Promise<PendingStart | undefined> {
    const row = await this.pending().where('p.account_id', '=', id).executeTakeFirst();
    return row && pendingOf(row);
  }

  async pendingStarts(reservedBefore: Date, limit: number): Promise<PendingStart[]> {
    const rows = await this.pending()
      .where('p.reserved_at', '<', reservedBefore.toISOString())
      .orderBy('p.reserved_at')
      .limit(limit)
      .execute();
    return rows.map(pendingOf);
  }

  async lifecycleStarted(id: string): Promise<void> {
    await this.statements.deletePending(this.sql.db, { id });
  }

  async upsert(entry: DirectoryEntry): Promise<void> {
    await this.statements.write(this.sql.db, entryRow(entry));
  }

  async locate(id: string): Promise<Located | undefined> {
    const [r] = (await this.statements.locate(this.sql.db, { id })).rows;
    return r && { organisation: r.organisation_code, status: r.status, lifecyclePending: r.pending !== null };
  }

  async get(id: string): Promise<DirectoryEntry | undefined> {
    const [r] = (await this.statements.get(this.sql.db, { id })).rows;
    return r && r.status !== 'Deleted' ? publicView(JSON.parse(r.data) as DirectoryEntry) : undefined;
  }

  async search(search: DirectorySearch): Promise<DirectoryPage> {
    return this.searcher.page(search);
  }

  /** R11: the first address `first.last[n]@domain` not yet allocated, now allocated to the new account. */
  private async allocate(db: Db, localPart: string, domain: string, now: string): Promise<string> {
    for (let from = 0; ; from += this.probe) {
      const names = Array.from({ length: this.probe }, (_, i) =>
        candidateAddress(localPart, domain, from + i),
      );
      const probed = await this.statements.taken(db, Object.fromEntries(names.map((a, i) => [`a${i}`, a])));
      const taken = new Set(probed.rows.map((r) => r.address));
      for (const address of names) {
        if (taken.has(address)) continue;
        const inserted = await this.statements.insertAddress(db, { address, now });
        if (inserted.numAffectedRows) return address;
      }
    }
  }

  private pending() {
    return this.sql.db
      .selectFrom('directory_pending_starts as p')
      .innerJoin('directory_entries as e', 'e.id', 'p.account_id')
      .select(['p.account_id', 'e.email', 'p.start', 'p.reserved_at']);
  }
}

/** The columns of an entry a write sets; its address (`id`, `email`) never changes. */
const CHANGING = ['name_key', 'mobile', 'organisation_code', 'status', 'search_text', 'data'] as const;

/** The statements of a reservation and of the calls each create makes, compiled once. */
function statements(database: SqlDatabase, probe: number) {
  const { db } = database;
  const changing = database.dialect === 'postgres' ? [...CHANGING, 'roles' as const] : CHANGING;
  // Constants as literals: SQLite plans `status <> ?` and `LIMIT ?` a few times slower.
  const entries = db.selectFrom('directory_entries').select(['status', 'data']);
  const live = (column: 'mobile' | 'name_key', slot: never) =>
    entries.where(column, '=', slot).where('status', '<>', sql.lit('Deleted'));
  return {
    sameMobile: compiled(database, (slot) => live('mobile', slot('mobile')).limit(sql.lit(1))),
    sameName: compiled(database, (slot) =>
      live('name_key', slot('nameKey')).orderBy('email').limit(sql.lit(20)),
    ),
    taken: compiled(database, (slot) => {
      const names = Array.from({ length: probe }, (_, i) => slot(`a${i}`));
      return db.selectFrom('directory_addresses').select('address').where('address', 'in', names);
    }),
    insertAddress: compiled(database, (slot) =>
      db
        .insertInto('directory_addresses')
        .values({ address: slot('address'), account_id: slot('address'), allocated_at: slot('now') })
        .onConflict((oc) => oc.column('address').doNothing()),
    ),
    insertPending: compiled(database, (slot) => {
      const pending = { account_id: slot('id'), start: slot('start'), reserved_at: slot('now') };
      return db.insertInto('directory_pending_starts').values(pending);
    }),
    deletePending: compiled(database, (slot) =>
      db.deleteFrom('directory_pending_starts').where('account_id', '=', slot('id')),
    ),
    write: compiled(database, (slot) =>
      db
        .insertInto('directory_entries')
        .values(Object.fromEntries(['id', 'email', ...changing].map((c) => [c, slot(c)])) as never)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet(Object.fromEntries(changing.map((c) => [c, slot(c)]))),
        ),
    ),
    locate: compiled(database, (slot) =>
      db
        .selectFrom('directory_entries as e')
        .leftJoin('directory_pending_starts as p', 'p.account_id', 'e.id')
        .select(['e.organisation_code', 'e.status', 'p.account_id as pending'])
        .where('e.id', '=', slot('id')),
    ),
    get: compiled(database, (slot) => entries.where('id', '=', slot('id'))),
  };
}

function entryRow(entry: DirectoryEntry) {
  const { id, email, status, mobile = null, organisationCode, clinicalRoles: roles } = entry;
  const text = { search_text: searchTextOf(entry), data: JSON.stringify(entry) };
  const nameKey = addressLocalPart(entry.firstName, entry.lastName);
  return {
    ...text,
    id,
    email,
    status,
    mobile,
    roles,
    name_key: nameKey,
    organisation_code: organisationCode,
  };
}

const existing = (row: { status: AccountStatus; data: string }) =>
  existingOf(JSON.parse(row.data) as DirectoryEntry, row.status);

type PendingRow = { account_id: string; email: string; start: string; reserved_at: string };

function pendingOf(row: PendingRow): PendingStart {
  return {
    id: row.account_id,
    email: row.email,
    pendingStart: JSON.parse(row.start) as unknown,
    reservedAt: row.reserved_at,
  };
}
