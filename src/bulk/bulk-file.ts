import { parse, CsvError } from 'csv-parse/sync';

/** R31: the columns of NHSmail's bulk upload file, in this order. */
export const BULK_COLUMNS = [
  'Title',
  'FirstName',
  'LastName',
  'Mobile',
  'Telephone',
  'Pager',
  'Fax',
  'JobTitle',
  'EmailAlias',
  'Organisation',
  'OrganisationalUnit',
  'ClinicalSpecialities',
  'ClinicalRoles',
  'WorkAreas',
  'Site',
  'Notes',
  'ExternalSyncID',
] as const;
export type BulkColumn = (typeof BULK_COLUMNS)[number];

export const MAX_ROWS = 10_000;
export const MAX_BYTES = 5 * 1024 * 1024;
/**
 * Security 1: the longest field and row read, well above any valid one (Notes, the longest field, holds
 * 2,000 characters), so that a longer field is refused whole before any check of its text runs.
 */
export const MAX_FIELD_CHARACTERS = 4_000;
export const MAX_ROW_CHARACTERS = 16_000;

/** One line of the file, with the line it starts on (the header is line 1). */
export interface BulkRow {
  line: number;
  fields: Record<BulkColumn, string>;
}

/** The file cannot be read as a bulk upload at all: nothing in it is created. */
export class BulkFileError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(line === null ? message : `Line ${line}: ${message}`);
  }
}

/**
 * R31: reads a bulk upload file: UTF-8 CSV, the header row exactly as the sample's, every row with its
 * 17 fields, at most 10,000 rows and 5 MB. Any of these wrong, and the whole file is refused, naming the line.
 */
export function readBulkFile(content: Buffer): BulkRow[] {
  if (content.length > MAX_BYTES) throw new BulkFileError(null, 'The file is larger than 5 MB.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new BulkFileError(null, 'The file is not UTF-8 text: save it as "CSV UTF-8" and upload it again.');
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: MAX_ROW_CHARACTERS,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines ?? null;
      throw new BulkFileError(line, csvProblem(err));
    }
    throw err;
  }
  const [header, ...rows] = records;
  if (!header)
    throw new BulkFileError(null, 'The file is empty: it needs the header row and at least one row.');
  const headerFields = header.record.map((h) => h.trim());
  if (headerFields.join(',') !== BULK_COLUMNS.join(',')) {
    throw new BulkFileError(1, `The header row must be exactly: ${BULK_COLUMNS.join(',')}`);
  }
  if (rows.length === 0) throw new BulkFileError(null, 'The file has a header row but no rows.');
  if (rows.length > MAX_ROWS) {
    throw new BulkFileError(rows[MAX_ROWS]!.info.lines, `The file has more than ${MAX_ROWS} rows.`);
  }
  let previousEnd = header.info.lines;
  return rows.map(({ record, info }) => {
    const line = previousEnd + 1 + (info.lines - previousEnd - 1 - newlinesIn(record));
    previousEnd = info.lines;
    const long = record.findIndex((field) => field.length > MAX_FIELD_CHARACTERS);
    if (long >= 0) {
      throw new BulkFileError(
        line,
        `the ${BULK_COLUMNS[long]} field is longer than ${MAX_FIELD_CHARACTERS.toLocaleString('en-GB')} characters, ` +
          'which no field of an upload may be.',
      );
    }
    return {
      line,
      fields: Object.fromEntries(BULK_COLUMNS.map((c, i) => [c, record[i]!.trim()])) as Record<
        BulkColumn,
        string
      >,
    };
  });
}

function newlinesIn(record: string[]): number {
  return record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
}

function csvProblem(err: CsvError): string {
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    return `the row has the wrong number of fields: every row has the ${BULK_COLUMNS.length} columns of the header.`;
  }
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed.';
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return `the row is longer than ${MAX_ROW_CHARACTERS.toLocaleString('en-GB')} characters, which no row of an upload may be.`;
  }
  const at = err.message.indexOf(' at line ');
  return `the file is not valid CSV (${at >= 0 ? err.message.slice(0, at) : err.message}).`;
}

/** R31: the sample file administrators download: the header and two example rows. */
export const SAMPLE_FILE = [
  BULK_COLUMNS.join(','),
  'Dr,Aoife,Byrne,07400 100001,020 7188 7188,,,Consultant Cardiologist,nhs.net,RJ1,RJ1-CARD-CCU,300,R8000,WA-WARD,RJ121,Starts 1 August,GSTT-000123',
  'Mr,Tomasz,Nowak,07400 100002,,,,Staff Nurse,nhs.net,RJ1,,300;301,R8001,WA-WARD;WA-ED,,,GSTT-000124',
  '',
].join('\r\n');
