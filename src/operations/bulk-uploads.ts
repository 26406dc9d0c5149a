import crypto from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ADMINS } from '../access/rights';
import { requireKind } from './caller';
import type { Principal } from '../access/principals';
import { administers } from '../access/rights';
import { conflict, forbidden, invalid, notFound, OperationError } from './errors';
import { checkInWorker } from '../bulk/bulk-checks';
import type { LineError } from '../bulk/bulk-rows';
import { resultsFile } from '../bulk/results-file';
import { DEFAULT_BULK_SETTINGS, type BulkSettings } from '../bulk/bulk-settings';
import { rowKeyOf } from '../bulk/row-key';
import type { BulkRowRecord, BulkUpload, BulkUploads } from '../ports/bulk-uploads';
import { referenceData } from '../reference/reference-data';
import { bulkUpload } from '../workflows/bulk-upload';
import { cancelBulkUploadUpdate, getBulkUploadQuery, type BulkProgress } from '../workflows/bulk-definitions';
import { bulkUploadWorkflowId } from '../workflows/workflow-id';
import { withinDeadline } from '../temporal/deadline';
import { bulkRunSummary } from './run-summaries';
import type { AccountDeps } from './account-access';

export interface BulkDeps extends AccountDeps {
  bulkUploads: BulkUploads;
  /** Their defaults unless given. */
  bulk?: BulkSettings;
}

const settingsOf = (deps: Pick<BulkDeps, 'bulk'>) => deps.bulk ?? DEFAULT_BULK_SETTINGS;

export interface Validation {
  rows: number;
  valid: number;
  invalid: number;
  errors: LineError[];
}

/** R1: an administrator of the upload's organisation (or a national one); 400 for an unknown code. */
function checkOrganisation(principal: Principal, organisation: unknown): string {
  requireKind(principal, ADMINS);
  if (typeof organisation !== 'string' || !referenceData.organisation(organisation)) {
    throw invalid([
      { path: 'organisation', message: `Unknown organisation code "${String(organisation ?? '')}"` },
    ]);
  }
  if (!administers(principal, organisation)) {
    throw forbidden(`You do not administer ${organisation}: nothing was read or created (R1).`);
  }
  return organisation;
}

/**
 * R31, Security 10: the file read and checked in a worker thread, within the principal's limit of bulk
 * requests at once; a file that cannot be read is refused whole (400), naming the line.
 */
async function checked(
  deps: BulkDeps,
  principal: Principal,
  organisation: string,
  file: Buffer,
  keepLines: boolean,
) {
  const result = await checkInWorker(principal.id, settingsOf(deps).requestsAtOnce, {
    file,
    organisation,
    keepLines,
  });
  if (result.kind === 'refused') {
    const { line, message } = result;
    throw new OperationError('invalid', 'Invalid file', `${message} Nothing was created.`, {
      fields: [{ path: line === null ? '(file)' : `line ${line}`, message }],
      variant: 'invalid-file',
    });
  }
  return result;
}

/** R31, R4: Validate: the errors of every line, every field at fault; nothing created, nothing reserved. */
export async function validateUpload(
  deps: BulkDeps,
  principal: Principal,
  organisation: unknown,
  file: Buffer,
): Promise<Validation> {
  const org = checkOrganisation(principal, organisation);
  const { rowCount, validCount, errors } = await checked(deps, principal, org, file, false);
  return { rows: rowCount, valid: validCount, invalid: rowCount - validCount, errors };
}

/**
 * R31: Create: the file's lines are stored, and the organisation's upload workflow creates the valid ones.
 * One upload per organisation at a time (parallel uploads make duplicates): a second is refused, naming
 * the one running.
 */
export async function startUpload(
  deps: BulkDeps,
  principal: Principal,
  organisation: unknown,
  file: Buffer,
): Promise<BulkProgress> {
  const org = checkOrganisation(principal, organisation);
  const { lines, errors } = await checked(deps, principal, org, file, true);
  const { rows, valid } = lines!;
  await refuseIfRunning(deps, org);
  const errorsByLine = new Map<number, LineError[]>();
  for (const e of errors) errorsByLine.set(e.line, [...(errorsByLine.get(e.line) ?? []), e]);
  const validByLine = new Map(valid.map((v) => [v.line, v]));
  const id = `${org}-${crypto.randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const upload: BulkUpload = {
    id,
    organisation: org,
    uploadedBy: principal,
    rows: rows.length,
    status: 'Running',
    createdAt: startedAt,
    finishedAt: null,
  };
  const records: BulkRowRecord[] = rows.map(({ line, fields }) => {
    const ok = validByLine.get(line);
    return {
      line,
      fields,
      body: ok?.body ?? null,
      rowKey: ok ? rowKeyOf(ok.externalSyncId, ok.body) : null,
      errors: errorsByLine.get(line) ?? [],
      state: ok ? 'pending' : 'invalid',
      result: null,
      accountId: null,
    };
  });
  await deps.bulkUploads.create(upload, records);
  try {
    await deps.client.workflow.start(bulkUpload, {
      taskQueue: deps.taskQueue,
      workflowId: bulkUploadWorkflowId(org),
      args: [{ uploadId: id, rows: rows.length, invalid: rows.length - valid.length, startedAt }],
      ...bulkRunSummary({
        uploadId: id,
        organisation: referenceData.organisation(org)!,
        rows: rows.length,
        uploadedBy: principal.name,
      }),
    });
  } catch (err) {
    await deps.bulkUploads.finish(id, 'Cancelled', new Date().toISOString());
    if (err instanceof WorkflowExecutionAlreadyStartedError) await refuseIfRunning(deps, org);
    throw err;
  }
  return {
    uploadId: id,
    status: 'Running',
    rows: rows.length,
    created: 0,
    failed: rows.length - valid.length,
    remaining: valid.length,
    startedAt,
    finishedAt: null,
  };
}

async function refuseIfRunning(deps: BulkDeps, organisation: string): Promise<void> {
  const running = await runningUpload(deps, organisation);
  const closing =
    running &&
    (running.status !== 'Running' || (await deps.bulkUploads.get(running.uploadId))?.status !== 'Running');
  if (closing) {
    // Its lines are done and the store already says Completed or Cancelled (GET shows it so); only its
    // workflow is still closing. Wait for it to close rather than refuse: the next upload may start.
    const handle = deps.client.workflow.getHandle(bulkUploadWorkflowId(organisation));
    await withinDeadline(deps.client, () => handle.result());
    return;
  }
  if (running) {
    throw conflict(
      'upload-running',
      'Upload running',
      `Upload ${running.uploadId} for ${organisation} is still running (${running.created} created, ` +
        `${running.remaining} to go): one upload per organisation runs at a time, as parallel uploads create ` +
        'duplicates (R31). Wait for it to finish, or cancel it.',
      { extra: { running: running.uploadId } },
    );
  }
}

async function runningUpload(deps: BulkDeps, organisation: string): Promise<BulkProgress | undefined> {
  const handle = deps.client.workflow.getHandle(bulkUploadWorkflowId(organisation));
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return undefined;
    return await withinDeadline(deps.client, () => handle.query(getBulkUploadQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** R1: an upload the caller may read or cancel. */
async function reachUpload(deps: BulkDeps, principal: Principal, id: string): Promise<BulkUpload> {
  requireKind(principal, ADMINS);
  const upload = /^[\w-]{1,64}$/.test(id) ? await deps.bulkUploads.get(id) : undefined;
  if (!upload) throw notFound(`No bulk upload ${id}.`);
  if (!administers(principal, upload.organisation)) {
    throw forbidden(`You do not administer ${upload.organisation}.`);
  }
  return upload;
}

/**
 * R31: an upload's progress, as the store has it: each line counted as soon as it is created or fails (the
 * workflow learns of a lane's lines a chunk at a time), without a query that may replay its history.
 */
export async function uploadProgress(
  deps: BulkDeps,
  principal: Principal,
  id: string,
): Promise<BulkProgress> {
  await reachUpload(deps, principal, id);
  return storedProgress(deps, id);
}

/** What the store holds of an upload: every line's outcome as it is recorded. */
async function storedProgress(deps: BulkDeps, id: string): Promise<BulkProgress> {
  const latest = (await deps.bulkUploads.get(id))!;
  const counts = await deps.bulkUploads.counts(id);
  return {
    uploadId: id,
    status: latest.status,
    rows: latest.rows,
    created: counts.created,
    failed: counts.failed + counts.invalid,
    remaining: latest.status === 'Running' ? counts.pending : 0,
    startedAt: latest.createdAt,
    finishedAt: latest.finishedAt,
  };
}

/**
 * R31: cancels an upload, also part-way through a chunk (Security 7); lines already created stay created
 * and are reported, as the store has them once the upload has stopped.
 */
export async function cancelUpload(deps: BulkDeps, principal: Principal, id: string): Promise<BulkProgress> {
  const upload = await reachUpload(deps, principal, id);
  const running = upload.status === 'Running' ? await runningUpload(deps, upload.organisation) : undefined;
  if (running?.uploadId !== id) {
    throw conflict(
      'upload-not-running',
      'Not running',
      `Upload ${id} is ${upload.status}: there is nothing to cancel.`,
    );
  }
  const handle = deps.client.workflow.getHandle(bulkUploadWorkflowId(upload.organisation));
  await withinDeadline(deps.client, () => handle.executeUpdate(cancelBulkUploadUpdate));
  return storedProgress(deps, id);
}

/** Security 13: when an upload's unconfirmed passwords expire: the set time after it finished. */
function passwordsExpireAt(deps: BulkDeps, upload: BulkUpload): Date | null {
  return upload.finishedAt
    ? new Date(Date.parse(upload.finishedAt) + settingsOf(deps).passwordsKeptForMs)
    : null;
}

/**
 * R31, R13, Security 13: the results file. For the uploader, once the upload has finished, it carries the
 * new accounts' temporary passwords, in every download until they confirm they have saved them or the
 * passwords expire; every other administrator's has none.
 */
export async function uploadResults(
  deps: BulkDeps,
  principal: Principal,
  id: string,
  now = new Date(),
): Promise<string> {
  const upload = await reachUpload(deps, principal, id);
  const rows = await deps.bulkUploads.rows(id);
  if (principal.id !== upload.uploadedBy.id || upload.status === 'Running') return resultsFile(rows);
  if (passwordsExpireAt(deps, upload)! <= now) {
    await deps.bulkUploads.clearPasswords(id); // expired: gone, whether or not the purge came by yet
    return resultsFile(rows);
  }
  const sealed = await deps.bulkUploads.passwords(id);
  if (sealed.size === 0) return resultsFile(rows);
  const passwords = new Map(
    [...sealed].map(([line, s]) => [line, deps.sealer.unseal(s.sealed, s.accountId)]),
  );
  return resultsFile(rows, passwords);
}

/** Security 13: what the uploader is told of an upload's passwords; nothing for anyone else. */
export interface HeldPasswords {
  held: number;
  /** When they are deleted if not confirmed first; null while the upload runs. */
  expireAt: string | null;
}

export async function heldPasswords(
  deps: BulkDeps,
  principal: Principal,
  id: string,
): Promise<HeldPasswords | null> {
  const upload = await reachUpload(deps, principal, id);
  if (principal.id !== upload.uploadedBy.id) return null;
  return {
    held: await deps.bulkUploads.heldPasswords(id),
    expireAt: passwordsExpireAt(deps, upload)?.toISOString() ?? null,
  };
}

/**
 * Security 13: the uploader confirms they have saved the results file with the passwords: the passwords
 * are deleted. Nobody else holds them, so nobody else may; not while the upload runs.
 */
export async function confirmPasswordsSaved(
  deps: BulkDeps,
  principal: Principal,
  id: string,
): Promise<{ id: string; passwordsDeleted: number }> {
  const upload = await reachUpload(deps, principal, id);
  if (principal.id !== upload.uploadedBy.id) {
    throw forbidden(
      `Only ${upload.uploadedBy.name}, who uploaded the file, receives its temporary passwords and confirms them saved.`,
    );
  }
  if (upload.status === 'Running') {
    throw conflict(
      'upload-still-running',
      'Still running',
      `Upload ${id} is still running: download the results file once it has finished, then confirm.`,
    );
  }
  return { id, passwordsDeleted: await deps.bulkUploads.clearPasswords(id) };
}

/** Security 13: deletes the passwords of every upload finished longer ago than they are kept; how many. */
export function purgeExpiredPasswords(
  deps: Pick<BulkDeps, 'bulkUploads' | 'bulk'>,
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - settingsOf(deps).passwordsKeptForMs);
  return deps.bulkUploads.purgePasswords(before.toISOString());
}
