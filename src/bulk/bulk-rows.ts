import { addressLocalPart } from '../domain/email-address';
import { createAccountBody, type CreateAccountBody } from '../operations/schemas/requests';
import { fieldErrors } from '../operations/validation';
import { BULK_COLUMNS, type BulkColumn, type BulkRow } from './bulk-file';

/** What is wrong with one field of one line (R4). */
export interface LineError {
  line: number;
  path: BulkColumn;
  message: string;
}

export interface ValidRow {
  line: number;
  body: CreateAccountBody;
  externalSyncId: string | null;
}

/** The create body's field for each column; ExternalSyncID is the organisation's own, not the account's. */
const FIELD: Record<Exclude<BulkColumn, 'ExternalSyncID'>, string> = {
  Title: 'title',
  FirstName: 'firstName',
  LastName: 'lastName',
  Mobile: 'mobile',
  Telephone: 'telephone',
  Pager: 'pager',
  Fax: 'fax',
  JobTitle: 'jobTitle',
  EmailAlias: 'emailAlias',
  Organisation: 'organisation',
  OrganisationalUnit: 'organisationalUnit',
  ClinicalSpecialities: 'clinicalSpecialities',
  ClinicalRoles: 'clinicalRoles',
  WorkAreas: 'workAreas',
  Site: 'site',
  Notes: 'notes',
};
/**
 * Security 7: an ExternalSyncID is the organisation's own id for the person: an ESR assignment number, an
 * Entra object id (36 characters), a SCIM externalId. 64 characters hold each of them with room; it is
 * one line of text, shown back in the results file.
 */
export const EXTERNAL_SYNC_ID_MAX = 64;
const CONTROL = /\p{Cc}/u;

function externalSyncIdProblem(value: string): string | null {
  if (value.length > EXTERNAL_SYNC_ID_MAX) {
    return `ExternalSyncID must be at most ${EXTERNAL_SYNC_ID_MAX} characters`;
  }
  if (CONTROL.test(value)) return 'ExternalSyncID must not contain control characters';
  return null;
}

const LISTS = new Set<BulkColumn>(['ClinicalSpecialities', 'ClinicalRoles', 'WorkAreas']);
const COLUMN_OF = Object.fromEntries(Object.entries(FIELD).map(([c, f]) => [f, c])) as Record<
  string,
  BulkColumn
>;

/** The body a single create would send for this line: empty cells left out, lists split on ";". */
export function createBodyOf(fields: BulkRow['fields']): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(FIELD) as [BulkColumn, string][]) {
    const value = fields[column];
    if (value === '') continue;
    body[field] = LISTS.has(column)
      ? value
          .split(';')
          .map((code) => code.trim())
          .filter(Boolean)
      : value;
  }
  return body;
}

/**
 * R31, R4, R1, R12: every line checked as a single create is (the same schema, the same words), every field
 * at fault named by its column; a line of another organisation than the upload's is refused; so are
 * duplicates within the file: the same mobile twice, the same ExternalSyncID twice, or the same name twice
 * where either line has no ExternalSyncID to tell the two people apart.
 */
export function validateRows(
  rows: BulkRow[],
  organisation: string,
): { valid: ValidRow[]; errors: LineError[] } {
  const valid: ValidRow[] = [];
  const errors: LineError[] = [];
  const firstWith = {
    mobile: new Map<string, number>(),
    sync: new Map<string, number>(),
    name: new Map<string, ValidRow>(),
  };
  for (const { line, fields } of rows) {
    const lineErrors: LineError[] = [];
    const parsed = createAccountBody.safeParse(createBodyOf(fields));
    if (!parsed.success) {
      for (const e of fieldErrors(parsed.error)) {
        lineErrors.push({ line, path: COLUMN_OF[e.path.split('.')[0]!] ?? 'Title', message: e.message });
      }
    }
    const syncProblem = externalSyncIdProblem(fields.ExternalSyncID);
    if (syncProblem) lineErrors.push({ line, path: 'ExternalSyncID', message: syncProblem });
    if (fields.Organisation && fields.Organisation !== organisation) {
      lineErrors.push({
        line,
        path: 'Organisation',
        message: `Organisation must be ${organisation}, the organisation of this upload (R1)`,
      });
    }
    if (lineErrors.length > 0 || !parsed.success) {
      errors.push(...dedupe(lineErrors));
      continue;
    }
    const row: ValidRow = { line, body: parsed.data, externalSyncId: fields.ExternalSyncID || null };
    const duplicate = duplicateWithin(row, firstWith);
    if (duplicate) {
      errors.push(duplicate);
      continue;
    }
    valid.push(row);
  }
  return {
    valid,
    errors: errors.sort(
      (a, b) => a.line - b.line || BULK_COLUMNS.indexOf(a.path) - BULK_COLUMNS.indexOf(b.path),
    ),
  };
}

function duplicateWithin(
  row: ValidRow,
  seen: { mobile: Map<string, number>; sync: Map<string, number>; name: Map<string, ValidRow> },
): LineError | null {
  const { line, body, externalSyncId } = row;
  if (body.mobile) {
    const first = seen.mobile.get(body.mobile);
    if (first !== undefined) {
      return {
        line,
        path: 'Mobile',
        message: `The same mobile number as line ${first}: one person, one account (R12)`,
      };
    }
    seen.mobile.set(body.mobile, line);
  }
  if (externalSyncId) {
    const first = seen.sync.get(externalSyncId);
    if (first !== undefined) {
      return { line, path: 'ExternalSyncID', message: `The same ExternalSyncID as line ${first}` };
    }
    seen.sync.set(externalSyncId, line);
  }
  const name = addressLocalPart(body.firstName, body.lastName);
  const earlier = seen.name.get(name);
  if (earlier && (!earlier.externalSyncId || !externalSyncId)) {
    return {
      line,
      path: 'LastName',
      message:
        `The same name as line ${earlier.line}: give each line an ExternalSyncID if they are different people, ` +
        'or remove the repeat (R12)',
    };
  }
  if (!earlier) seen.name.set(name, row);
  return null;
}

function dedupe(errors: LineError[]): LineError[] {
  return errors.filter((e, i) => errors.findIndex((o) => o.path === e.path) === i);
}
