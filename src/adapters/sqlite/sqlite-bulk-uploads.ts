import type {
  BulkCounts,
  BulkRowRecord,
  BulkUpload,
  BulkUploads,
  BulkUploadStatus,
} from '../../ports/bulk-uploads';
import type { Db } from './database';

interface RowRow {
  line: number;
  fields: string;
  body: string | null;
  row_key: string | null;
  errors: string;
  state: BulkRowRecord['state'];
  result: string | null;
  account_id: string | null;
}

/** Bulk uploads for the embedded run, in SQLite (its tables made by migrations.ts). */
export class SqliteBulkUploads implements BulkUploads {
  constructor(private readonly db: Db) {}

  async create(upload: BulkUpload, rows: BulkRowRecord[]): Promise<void> {
    const insertRow = this.db.prepare(
      `INSERT INTO bulk_rows (upload_id, line, fields, body, row_key, errors, state, result)
       VALUES (@id, @line, @fields, @body, @rowKey, @errors, @state, @result)`,
    );
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO bulk_uploads (id, organisation, uploaded_by, rows, status, created_at, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          upload.id,
          upload.organisation,
          JSON.stringify(upload.uploadedBy),
          upload.rows,
          upload.status,
          upload.createdAt,
          upload.finishedAt,
        );
      for (const row of rows) {
        insertRow.run({
          id: upload.id,
          line: row.line,
          fields: JSON.stringify(row.fields),
          body: row.body === null ? null : JSON.stringify(row.body),
          rowKey: row.rowKey,
          errors: JSON.stringify(row.errors),
          state: row.state,
          result: row.result,
        });
      }
    })();
  }

  async get(id: string): Promise<BulkUpload | undefined> {
    const row = this.db.prepare('SELECT * FROM bulk_uploads WHERE id = ?').get(id) as
      | {
          id: string;
          organisation: string;
          uploaded_by: string;
          rows: number;
          status: BulkUploadStatus;
          created_at: string;
          finished_at: string | null;
        }
      | undefined;
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
    const rows = this.db
      .prepare(
        "SELECT line FROM bulk_rows WHERE upload_id = ? AND state = 'pending' AND line > ? ORDER BY line LIMIT ?",
      )
      .all(id, afterLine, limit) as { line: number }[];
    return rows.map((r) => r.line);
  }

  async row(id: string, line: number): Promise<BulkRowRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM bulk_rows WHERE upload_id = ? AND line = ?').get(id, line) as
      RowRow | undefined;
    return row && recordOf(row);
  }

  async recordResult(
    id: string,
    line: number,
    outcome: { state: 'created' | 'failed'; result: string; accountId?: string; sealedPassword?: string },
  ): Promise<void> {
    this.db
      .prepare(
        `UPDATE bulk_rows SET state = ?, result = ?, account_id = ?, sealed_password = ?
         WHERE upload_id = ? AND line = ? AND state = 'pending'`,
      )
      .run(
        outcome.state,
        outcome.result,
        outcome.accountId ?? null,
        outcome.sealedPassword ?? null,
        id,
        line,
      );
  }

  async failPending(id: string, reason: string): Promise<number> {
    return this.db
      .prepare("UPDATE bulk_rows SET state = 'failed', result = ? WHERE upload_id = ? AND state = 'pending'")
      .run(reason, id).changes;
  }

  async counts(id: string): Promise<BulkCounts> {
    const rows = this.db
      .prepare('SELECT state, COUNT(*) AS n FROM bulk_rows WHERE upload_id = ? GROUP BY state')
      .all(id) as { state: BulkRowRecord['state']; n: number }[];
    const counts: BulkCounts = { created: 0, failed: 0, invalid: 0, pending: 0 };
    for (const { state, n } of rows) counts[state] = n;
    return counts;
  }

  async finish(id: string, status: Exclude<BulkUploadStatus, 'Running'>, at: string): Promise<void> {
    this.db
      .prepare("UPDATE bulk_uploads SET status = ?, finished_at = ? WHERE id = ? AND status = 'Running'")
      .run(status, at, id);
  }

  async rows(id: string): Promise<BulkRowRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM bulk_rows WHERE upload_id = ? ORDER BY line')
      .all(id) as RowRow[];
    return rows.map(recordOf);
  }

  async passwords(id: string): Promise<Map<number, { accountId: string; sealed: string }>> {
    const rows = this.db
      .prepare(
        `SELECT line, account_id, sealed_password FROM bulk_rows
         WHERE upload_id = ? AND sealed_password IS NOT NULL ORDER BY line`,
      )
      .all(id) as { line: number; account_id: string; sealed_password: string }[];
    return new Map(rows.map((r) => [r.line, { accountId: r.account_id, sealed: r.sealed_password }]));
  }

  async heldPasswords(id: string): Promise<number> {
    const { n } = this.db
      .prepare('SELECT COUNT(*) AS n FROM bulk_rows WHERE upload_id = ? AND sealed_password IS NOT NULL')
      .get(id) as { n: number };
    return n;
  }

  async clearPasswords(id: string): Promise<number> {
    return this.db
      .prepare(
        'UPDATE bulk_rows SET sealed_password = NULL WHERE upload_id = ? AND sealed_password IS NOT NULL',
      )
      .run(id).changes;
  }

  async purgePasswords(finishedBefore: string): Promise<number> {
    // Times are written by toISOString, so their text sorts as the times do.
    return this.db
      .prepare(
        `UPDATE bulk_rows SET sealed_password = NULL
         WHERE sealed_password IS NOT NULL AND upload_id IN (
           SELECT id FROM bulk_uploads WHERE finished_at IS NOT NULL AND finished_at < ?)`,
      )
      .run(finishedBefore).changes;
  }
}

function recordOf(row: RowRow): BulkRowRecord {
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
