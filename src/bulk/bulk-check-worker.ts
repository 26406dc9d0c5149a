import { BulkFileError, readBulkFile, type BulkRow } from './bulk-file';
import { validateRows, type LineError, type ValidRow } from './bulk-rows';

/**
 * A file checked: how many lines, how many valid, the errors, and for a Create the lines themselves and
 * the valid ones' requests; or why it cannot be read at all.
 */
export type CheckedFile =
  | {
      kind: 'checked';
      rowCount: number;
      validCount: number;
      errors: LineError[];
      lines?: { rows: BulkRow[]; valid: ValidRow[] };
    }
  | { kind: 'refused'; line: number | null; message: string };

export interface CheckTask {
  file: Uint8Array;
  organisation: string;
  /** A Create needs the lines; a Validate only the counts and the errors, so the lines stay here. */
  keepLines: boolean;
}

/**
 * Security 10: R31's reading and checking of a bulk file, run in a worker thread (see bulk-checks.ts), so
 * that a 10,000-line file never holds up the event loop that answers every other request.
 */
export default function checkFile({ file, organisation, keepLines }: CheckTask): CheckedFile {
  let rows: BulkRow[];
  try {
    rows = readBulkFile(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  } catch (err) {
    if (err instanceof BulkFileError) return { kind: 'refused', line: err.line, message: err.message };
    throw err;
  }
  const { valid, errors } = validateRows(rows, organisation);
  return {
    kind: 'checked',
    rowCount: rows.length,
    validCount: valid.length,
    errors,
    ...(keepLines ? { lines: { rows, valid } } : {}),
  };
}
