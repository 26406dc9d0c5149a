import { stringify } from 'csv-stringify/sync';
import type { BulkRowRecord } from '../ports/bulk-uploads';
import { BULK_COLUMNS } from './bulk-file';
import { spreadsheetSafe } from './spreadsheet-safe';
import { withoutRuleIds } from '../domain/rule-citations';

/**
 * R31: the uploaded file with a Result column per line: the address created, or why not (in words, without
 * the rules' numbers). For the uploader,
 * a TemporaryPassword column holds each new account's password until they confirm they have saved them (R13).
 * Security: every cell is made safe for a spreadsheet (a formula's start is quoted), and every cell is
 * written between double quotes, so that a spreadsheet splitting on ";" or a tab keeps each cell whole.
 */
export function resultsFile(rows: BulkRowRecord[], passwords?: Map<number, string>): string {
  const header = [...BULK_COLUMNS, 'Result', ...(passwords ? ['TemporaryPassword'] : [])];
  const lines = rows.map((row) => [
    ...BULK_COLUMNS.map((c) => row.fields[c]),
    resultOf(row),
    ...(passwords ? [passwords.get(row.line) ?? ''] : []),
  ]);
  return stringify(
    [header, ...lines].map((cells) => cells.map(spreadsheetSafe)),
    { record_delimiter: 'windows', quoted: true, quoted_empty: true },
  );
}

function resultOf(row: BulkRowRecord): string {
  switch (row.state) {
    case 'created':
      return row.result!;
    case 'failed':
      return `Not created: ${withoutRuleIds(row.result!)}`;
    case 'invalid':
      return `Not created: ${row.errors.map((e) => `${e.path}: ${withoutRuleIds(e.message)}`).join('; ')}`;
    case 'pending':
      return 'Not created: the upload was cancelled or has not reached this line yet';
  }
}
