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

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/**
 * Bulk uploads, shared by the API processes and the workers. Each line's result is recorded by one
 * statement that only changes a pending line, so a retried activity, or two workers on the same line,
 * record it once (one waiting on another's lock reads the line again once that commits).
 */
export class SqlBulkUploads implements BulkUploads {
  constructor(private readonly sql: SqlDatabase) {}

  async create(upload: BulkUpload, rows: BulkRowRecord[]): Promise<void> {
    await this.sql.transaction(async (db) => {
      await db
        .insertInto('bulk_uploads')
        .values({
          id: upload.id,
          organisation: upload.organisation,
          uploaded_by: JSON.stringify(upload.uploadedBy),
          rows: upload.rows,
          status: upload.status,
          created_at: upload.createdAt,
          finished_at: upload.finishedAt,
        })
        .execute();
      for (let from = 0; from < rows.length; from += LINES_AT_ONCE) {
        const lines = rows.slice(from, from + LINES_AT_ONCE).map((row) => ({
          upload_id: upload.id,
          line: row.line,
          fields: JSON.stringify(row.fields),
          body: json(row.body),
          row_key: row.rowKey,
          errors: JSON.stringify(row.errors),
          state: row.state,
          result: row.result,
        }));
        await db.insertInto('bulk_rows').values(lines).execute();
      }
    });
  }

  async get(id: string): Promise<BulkUpload | undefined> {
    const row = await this.sql.db
      .selectFrom('bulk_uploads')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        organisation: row.organisation,
        uploadedBy: JSON.parse(row.uploaded_by) as BulkUpload['uploadedBy'],
        rows: row.rows,
        status: row.status,
        createdAt: row.created_at,
        finishedAt: row.finished_at,
      }
    );
  }

  async pendingLines(id: string, afterLine: number, limit: number): Promise<number[]> {
    const rows = await this.lines(id)
      .select('line')
      .where('state', '=', 'pending')
      .where('line', '>', afterLine)
      .orderBy('line')
      .limit(limit)
      .execute();
    return rows.map((r) => r.line);
  }

  async row(id: string, line: number): Promise<BulkRowRecord | undefined> {
    const row = await this.lines(id).selectAll().where('line', '=', line).executeTakeFirst();
    return row && recordOf(row);
  }

  async recordResult(
    id: string,
    line: number,
    outcome: { state: 'created' | 'failed'; result: string; accountId?: string; sealedPassword?: string },
  ): Promise<void> {
    await this.sql.db
      .updateTable('bulk_rows')
      .set({
        state: outcome.state,
        result: outcome.result,
        account_id: outcome.accountId ?? null,
        sealed_password: outcome.sealedPassword ?? null,
      })
      .where((eb) => eb.and({ upload_id: id, line, state: 'pending' }))
      .execute();
  }

  async failPending(id: string, reason: string): Promise<number> {
    const { numUpdatedRows } = await this.sql.db
      .updateTable('bulk_rows')
      .set({ state: 'failed', result: reason })
      .where((eb) => eb.and({ upload_id: id, state: 'pending' }))
      .executeTakeFirstOrThrow();
    return Number(numUpdatedRows);
  }

  async counts(id: string): Promise<BulkCounts> {
    const rows = await this.lines(id)
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const counts: BulkCounts = { created: 0, failed: 0, invalid: 0, pending: 0 };
    for (const { state, n } of rows) counts[state] = Number(n);
    return counts;
  }

  async finish(id: string, status: Exclude<BulkUploadStatus, 'Running'>, at: string): Promise<void> {
    await this.sql.db
      .updateTable('bulk_uploads')
      .set({ status, finished_at: at })
      .where((eb) => eb.and({ id, status: 'Running' }))
      .execute();
  }

  async rows(id: string): Promise<BulkRowRecord[]> {
    const rows = await this.lines(id).selectAll().orderBy('line').execute();
    return rows.map(recordOf);
  }

  async passwords(id: string): Promise<Map<number, { accountId: string; sealed: string }>> {
    const rows = await this.lines(id)
      .select(['line', 'account_id', 'sealed_password'])
      .where('sealed_password', 'is not', null)
      .orderBy('line')
      .execute();
    return new Map(rows.map((r) => [r.line, { accountId: r.account_id!, sealed: r.sealed_password! }]));
  }

  async heldPasswords(id: string): Promise<number> {
    const { n } = await this.lines(id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sealed_password', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async clearPasswords(id: string): Promise<number> {
    const { numUpdatedRows } = await this.sql.db
      .updateTable('bulk_rows')
      .set({ sealed_password: null })
      .where('upload_id', '=', id)
      .where('sealed_password', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(numUpdatedRows);
  }

  async purgePasswords(finishedBefore: string): Promise<number> {
    // In SQLite times are text written by toISOString, which sorts as the times do.
    const { numUpdatedRows } = await this.sql.db
      .updateTable('bulk_rows')
      .set({ sealed_password: null })
      .where('sealed_password', 'is not', null)
      .where('upload_id', 'in', (eb) =>
        eb
          .selectFrom('bulk_uploads')
          .select('id')
          .where('finished_at', 'is not', null)
          .where('finished_at', '<', finishedBefore),
      )
      .executeTakeFirstOrThrow();
    return Number(numUpdatedRows);
  }

  private lines(id: string) {
    return this.sql.db.selectFrom('bulk_rows').where('upload_id', '=', id);
  }
}

function recordOf(row: Selectable<Database['bulk_rows']>): BulkRowRecord {
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
