import type {
  BulkCounts,
  BulkRowRecord,
  BulkUpload,
  BulkUploads,
  BulkUploadStatus,
} from '../../ports/bulk-uploads';
import { inTransaction, type Pool } from './database';

interface UploadRow {
  id: string;
  organisation: string;
  uploaded_by: BulkUpload['uploadedBy'];
  rows: number;
  status: BulkUploadStatus;
  created_at: Date;
  finished_at: Date | null;
}

interface RowRow {
  line: number;
  fields: BulkRowRecord['fields'];
  body: unknown;
  row_key: string | null;
  errors: BulkRowRecord['errors'];
  state: BulkRowRecord['state'];
  result: string | null;
  account_id: string | null;
}

/** JSON for a `json` column: pg would send a JS array as a PostgreSQL array, so every value goes as text. */
const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/**
 * Bulk uploads in PostgreSQL, shared by the API processes and the workers on any host. Each line's
 * result is recorded by one statement that only changes a pending line, so a retried activity, or two
 * workers on the same line, record it once.
 */
export class PostgresBulkUploads implements BulkUploads {
  constructor(private readonly pool: Pool) {}

  async create(upload: BulkUpload, rows: BulkRowRecord[]): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO bulk_uploads (id, organisation, uploaded_by, rows, status, created_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          upload.id,
          upload.organisation,
          json(upload.uploadedBy),
          upload.rows,
          upload.status,
          upload.createdAt,
          upload.finishedAt,
        ],
      );
      // Every line in one statement, a column per array (a file holds up to 10,000 lines).
      await db.query(
        `INSERT INTO bulk_rows (upload_id, line, fields, body, row_key, errors, state, result)
         SELECT $1, * FROM unnest($2::integer[], $3::json[], $4::json[], $5::text[], $6::json[], $7::text[], $8::text[])`,
        [
          upload.id,
          rows.map((r) => r.line),
          rows.map((r) => json(r.fields)),
          rows.map((r) => json(r.body)),
          rows.map((r) => r.rowKey),
          rows.map((r) => json(r.errors)),
          rows.map((r) => r.state),
          rows.map((r) => r.result),
        ],
      );
    });
  }

  async get(id: string): Promise<BulkUpload | undefined> {
    const { rows } = await this.pool.query<UploadRow>('SELECT * FROM bulk_uploads WHERE id = $1', [id]);
    const row = rows[0];
    return (
      row && {
        id: row.id,
        organisation: row.organisation,
        uploadedBy: row.uploaded_by,
        rows: row.rows,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        finishedAt: row.finished_at?.toISOString() ?? null,
      }
    );
  }

  async pendingLines(id: string, afterLine: number, limit: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ line: number }>(
      `SELECT line FROM bulk_rows WHERE upload_id = $1 AND state = 'pending' AND line > $2
       ORDER BY line LIMIT $3`,
      [id, afterLine, limit],
    );
    return rows.map((r) => r.line);
  }

  async row(id: string, line: number): Promise<BulkRowRecord | undefined> {
    const { rows } = await this.pool.query<RowRow>(
      'SELECT * FROM bulk_rows WHERE upload_id = $1 AND line = $2',
      [id, line],
    );
    return rows[0] && recordOf(rows[0]);
  }

  async recordResult(
    id: string,
    line: number,
    outcome: { state: 'created' | 'failed'; result: string; accountId?: string; sealedPassword?: string },
  ): Promise<void> {
    // Only a pending line changes: a second call for the line (a retried activity) finds it recorded. A
    // call waiting on another's lock reads the line again once that commits, and so changes nothing.
    await this.pool.query(
      `UPDATE bulk_rows SET state = $1, result = $2, account_id = $3, sealed_password = $4
       WHERE upload_id = $5 AND line = $6 AND state = 'pending'`,
      [outcome.state, outcome.result, outcome.accountId ?? null, outcome.sealedPassword ?? null, id, line],
    );
  }

  async failPending(id: string, reason: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      "UPDATE bulk_rows SET state = 'failed', result = $1 WHERE upload_id = $2 AND state = 'pending'",
      [reason, id],
    );
    return rowCount ?? 0;
  }

  async counts(id: string): Promise<BulkCounts> {
    const { rows } = await this.pool.query<{ state: BulkRowRecord['state']; n: number }>(
      'SELECT state, count(*)::integer AS n FROM bulk_rows WHERE upload_id = $1 GROUP BY state',
      [id],
    );
    const counts: BulkCounts = { created: 0, failed: 0, invalid: 0, pending: 0 };
    for (const { state, n } of rows) counts[state] = n;
    return counts;
  }

  async finish(id: string, status: Exclude<BulkUploadStatus, 'Running'>, at: string): Promise<void> {
    await this.pool.query(
      "UPDATE bulk_uploads SET status = $1, finished_at = $2 WHERE id = $3 AND status = 'Running'",
      [status, at, id],
    );
  }

  async rows(id: string): Promise<BulkRowRecord[]> {
    const { rows } = await this.pool.query<RowRow>(
      'SELECT * FROM bulk_rows WHERE upload_id = $1 ORDER BY line',
      [id],
    );
    return rows.map(recordOf);
  }

  async passwords(id: string): Promise<Map<number, { accountId: string; sealed: string }>> {
    const { rows } = await this.pool.query<{ line: number; account_id: string; sealed_password: string }>(
      `SELECT line, account_id, sealed_password FROM bulk_rows
       WHERE upload_id = $1 AND sealed_password IS NOT NULL ORDER BY line`,
      [id],
    );
    return new Map(rows.map((r) => [r.line, { accountId: r.account_id, sealed: r.sealed_password }]));
  }

  async heldPasswords(id: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM bulk_rows WHERE upload_id = $1 AND sealed_password IS NOT NULL',
      [id],
    );
    return rows[0]!.n;
  }

  async clearPasswords(id: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      'UPDATE bulk_rows SET sealed_password = NULL WHERE upload_id = $1 AND sealed_password IS NOT NULL',
      [id],
    );
    return rowCount ?? 0;
  }

  async purgePasswords(finishedBefore: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE bulk_rows SET sealed_password = NULL
       WHERE sealed_password IS NOT NULL AND upload_id IN (
         SELECT id FROM bulk_uploads WHERE finished_at IS NOT NULL AND finished_at < $1)`,
      [finishedBefore],
    );
    return rowCount ?? 0;
  }
}

function recordOf(row: RowRow): BulkRowRecord {
  return {
    line: row.line,
    fields: row.fields,
    body: row.body,
    rowKey: row.row_key,
    errors: row.errors,
    state: row.state,
    result: row.result,
    accountId: row.account_id,
  };
}
