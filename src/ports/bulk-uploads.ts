import type { Actor } from '../domain/account';
import type { BulkColumn } from '../bulk/bulk-file';
import type { LineError } from '../bulk/bulk-rows';

export type BulkUploadStatus = 'Running' | 'Completed' | 'Cancelled';
export type BulkRowState = 'pending' | 'created' | 'failed' | 'invalid';

/** R31: an upload, as its organisation's administrators follow it. */
export interface BulkUpload {
  id: string;
  organisation: string;
  /** The administrator who uploaded the file: the only one the temporary passwords are shown to (R13). */
  uploadedBy: Actor & { orgs?: string[] };
  rows: number;
  status: BulkUploadStatus;
  createdAt: string;
  finishedAt: string | null;
}

/** One line of an upload and what became of it. */
export interface BulkRowRecord {
  line: number;
  fields: Record<BulkColumn, string>;
  /** The create request the line makes (null for an invalid line). */
  body: unknown;
  /** What makes the same line the same request when a file is submitted again. */
  rowKey: string | null;
  errors: LineError[];
  state: BulkRowState;
  /** The address created, or why not. */
  result: string | null;
  accountId: string | null;
}

export interface BulkCounts {
  created: number;
  failed: number;
  invalid: number;
  pending: number;
}

/** The uploads' rows, kept outside the workflow's history (a file may be 5 MB and 10,000 rows). */
export interface BulkUploads {
  create(upload: BulkUpload, rows: BulkRowRecord[]): Promise<void>;
  get(id: string): Promise<BulkUpload | undefined>;
  /** Lines still to create after `afterLine`, in order. */
  pendingLines(id: string, afterLine: number, limit: number): Promise<number[]>;
  row(id: string, line: number): Promise<BulkRowRecord | undefined>;
  /** Records what became of a pending line, once; a sealed temporary password is kept with it (R13). */
  recordResult(
    id: string,
    line: number,
    outcome: { state: 'created' | 'failed'; result: string; accountId?: string; sealedPassword?: string },
  ): Promise<void>;
  /** Every line still pending fails with this reason (Security 14: the upload stopped); how many did. */
  failPending(id: string, reason: string): Promise<number>;
  counts(id: string): Promise<BulkCounts>;
  finish(id: string, status: Exclude<BulkUploadStatus, 'Running'>, at: string): Promise<void>;
  rows(id: string): Promise<BulkRowRecord[]>;
  /**
   * R13: the sealed temporary passwords of the upload's created lines, by line. They stay until the uploader
   * confirms they have saved them (clearPasswords), or they expire (purgePasswords).
   */
  passwords(id: string): Promise<Map<number, { accountId: string; sealed: string }>>;
  /** How many sealed temporary passwords the upload holds. */
  heldPasswords(id: string): Promise<number>;
  /** Deletes the upload's sealed temporary passwords; how many there were. */
  clearPasswords(id: string): Promise<number>;
  /** Deletes the sealed temporary passwords of every upload finished before `finishedBefore`; how many. */
  purgePasswords(finishedBefore: string): Promise<number>;
}
