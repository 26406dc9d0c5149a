import type { Selectable } from 'kysely';
import type {
  BulkCounts,
  BulkRowRecord,
  BulkUpload,
  BulkUploads,
  BulkUploadStatus,
} from '../../ports/bulk-uploads';
import type { SqlDatabase } from './database';
import type { Database } from './schema';

/** Lines inserted by one statement: 8 values each, well within both databases' limits on parameters. */
const LINES_AT_ONCE = 1000;

const text = (value: unknown) => (value === null ? null : JSON.stringify(value));

type Outcome = { state: 'created' | 'failed'; result: string; accountId?: string; sealedPassword?: string };

/**
 * Bulk uploads, shared by the API processes and the workers. Each line's result is recorded by one
 * statement that only changes a pending line, so a retried activity, or two workers on the same line,
 * record it once (one waiting on another's lock reads the line again once that commits).
 */
export class SqlBulkUploads implements BulkUploads {
  constructor(private readonly sql: SqlDatabase) {}

  async create(upload: BulkUpload, rows: BulkRowRecord[]): Promise<void> {
    const { uploadedBy, createdAt, finishedAt, ...rest } = upload;
    const columns = { ...rest, uploaded_by: JSON.stringify(uploadedBy), created_at: createdAt };
    const row = { ...columns, finished_at: finishedAt };
    const lines = rows.map(({ fields, body, rowKey, errors, line, state, result }) => {
      const json = { fields: JSON.stringify(fields), body: text(body), errors: JSON.stringify(errors) };
      return { ...json, upload_id: upload.id, line, state, result, row_key: rowKey };
    });
    await this.sql.transaction(async (db) => {
      await db.insertInto('bulk_uploads').values(row).execute();
      for (let from = 0; from < lines.length; from += LINES_AT_ONCE) {
        await db
          .insertInto('bulk_rows')
          .values(lines.slice(from, from + LINES_AT_ONCE))
          .execute();
      }
    });
  }

  async get(id: string): Promise<BulkUpload | undefined> {
    const row = await this.uploads().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const { uploaded_by, created_at, finished_at, ...rest } = row;
    const uploadedBy = JSON.parse(uploaded_by) as BulkUpload['uploadedBy'];
    return { ...rest, uploadedBy, createdAt: created_at, finishedAt: finished_at };
  }

  async pendingLines(id: string, afterLine: number, limit: number): Promise<number[]> {
    const pending = this.lines(id).where('state', '=', 'pending').where('line', '>', afterLine);
    return (await pending.select('line').orderBy('line').limit(limit).execute()).map((r) => r.line);
  }

  async row(id: string, line: number): Promise<BulkRowRecord | undefined> {
    const row = await this.lines(id).selectAll().where('line', '=', line).executeTakeFirst();
    return row && recordOf(row);
  }

  async recordResult(id: string, line: number, outcome: Outcome): Promise<void> {
    const { state, result, accountId = null, sealedPassword = null } = outcome;
    const set = { state, result, account_id: accountId, sealed_password: sealedPassword };
    await this.update(set, { upload_id: id, line, state: 'pending' });
  }

  async failPending(id: string, reason: string): Promise<number> {
    return this.update({ state: 'failed', result: reason }, { upload_id: id, state: 'pending' });
  }

  async counts(id: string): Promise<BulkCounts> {
    const count = this.lines(id).select((eb) => ['state', eb.fn.countAll<number>().as('n')]);
    const counts: BulkCounts = { created: 0, failed: 0, invalid: 0, pending: 0 };
    for (const { state, n } of await count.groupBy('state').execute()) counts[state] = Number(n);
    return counts;
  }

  async finish(id: string, status: Exclude<BulkUploadStatus, 'Running'>, at: string): Promise<void> {
    const running = { id, status: 'Running' as const };
    await this.sql.db
      .updateTable('bulk_uploads')
      .set({ status, finished_at: at })
      .where((eb) => eb.and(running))
      .execute();
  }

  async rows(id: string): Promise<BulkRowRecord[]> {
    return (await this.lines(id).selectAll().orderBy('line').execute()).map(recordOf);
  }

  async passwords(id: string): Promise<Map<number, { accountId: string; sealed: string }>> {
    const rows = await this.sealed(id)
      .select(['line', 'account_id', 'sealed_password'])
      .orderBy('line')
      .execute();
    return new Map(rows.map((r) => [r.line, { accountId: r.account_id!, sealed: r.sealed_password! }]));
  }

  async heldPasswords(id: string): Promise<number> {
    const count = this.sealed(id).select((eb) => eb.fn.countAll<number>().as('n'));
    return Number((await count.executeTakeFirstOrThrow()).n);
  }

  async clearPasswords(id: string): Promise<number> {
    return this.update({ sealed_password: null }, { upload_id: id }, true);
  }

  async purgePasswords(finishedBefore: string): Promise<number> {
    // In SQLite times are text written by toISOString, which sorts as the times do.
    const finished = this.uploads().where('finished_at', '<', finishedBefore).clearSelect().select('id');
    const { numUpdatedRows } = await this.sql.db
      .updateTable('bulk_rows')
      .set({ sealed_password: null })
      .where('sealed_password', 'is not', null)
      .where('upload_id', 'in', finished)
      .executeTakeFirstOrThrow();
    return Number(numUpdatedRows);
  }

  private uploads() {
    return this.sql.db.selectFrom('bulk_uploads').selectAll();
  }

  private lines(id: string) {
    return this.sql.db.selectFrom('bulk_rows').where('upload_id', '=', id);
  }

  private sealed(id: string) {
    return this.lines(id).where('sealed_password', 'is not', null);
  }

  /** Sets `set` on the lines matching `where` (and holding a password, if `sealed`); how many. */
  private async update(set: Partial<BulkRow>, where: Partial<BulkRow>, sealed = false): Promise<number> {
    const { numUpdatedRows } = await this.sql.db
      .updateTable('bulk_rows')
      .set(set)
      .where((eb) => eb.and(where))
      .$if(sealed, (q) => q.where('sealed_password', 'is not', null))
      .executeTakeFirstOrThrow();
    return Number(numUpdatedRows);
  }
}

type BulkRow = Selectable<Database['bulk_rows']>;

function recordOf(row: BulkRow): BulkRowRecord {
  return {
    line: row.line,
    fields: JSON.parse(row.fields) as BulkRowRecord['fields'],
    body: row.body === null ? null : (JSON.parse(row.body) as unknown),
    rowKey: row.row_key,
    errors: JSON.parse(row.errors) as BulkRowRecord['errors'],
    state: row.state,
    result: row.result,
    accountId: row.account_id,
  };
}
