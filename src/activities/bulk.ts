import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { BulkUploadId } from '../../temporal-config/search-attributes';
import { withinDeadline } from '../temporal/deadline';
import { ADMINS } from '../access/rights';
import type { Principal, Principals } from '../access/principals';
import { administers } from '../access/rights';
import { OperationError } from '../operations/errors';
import { lineFaultOf } from '../bulk/store-fault';
import type { AccountDeps } from '../operations/account-access';
import { createAccountOnce } from '../operations/create-account-once';
import type { Created } from '../operations/create-account';
import { collectTemporaryPassword } from '../operations/temporary-password';
import { accountWorkflowId } from '../workflows/workflow-id';
import type { BulkUpload, BulkUploads, BulkUploadStatus } from '../ports/bulk-uploads';

export interface BulkActivityDeps extends AccountDeps {
  bulkUploads: BulkUploads;
  /** Security 14: the principals as they are now; the uploader is looked up again for each chunk. */
  principals: Pick<Principals, 'byId'>;
}

/** The idempotency keys of an organisation's uploads: a line submitted again is created once (R31). */
export const bulkKeyScope = (organisation: string) => `bulk-upload:${organisation}`;

/** At most this many lines of a chunk are created at once (the workflow sends chunks of this size). */
export const LINES_AT_ONCE = 8;

/**
 * Security 7: a line the store refuses for its data (a fault that would recur) fails, with the reason,
 * once its chunk has been tried this many times; the upload goes on with the next lines.
 */
export const LINE_ATTEMPTS = 3;

/** Security 13: the Update that takes a line's temporary password has an id of the line's own. */
const passwordUpdateIdOf = (uploadId: string, line: number) => `bulk-password:${uploadId}:${line}`;

const PASSWORD_LOST =
  'its temporary password could not be recovered: resecure the account once it is Active to issue a new one (R29)';

/** How often a chunk tells Temporal it is alive, and so learns of a cancel, while its lines are created. */
const HEARTBEAT_EVERY_MS = 1000;

/** What a chunk did: its lines' outcomes; `stopped` when the upload can go no further (Security 14). */
export interface ChunkOutcome {
  created: number;
  failed: number;
  stopped?: true;
}

/** R31: the side effects of a bulk upload. Each is idempotent: a line is created once, however often it runs. */
export function createBulkActivities(deps: BulkActivityDeps) {
  const { bulkUploads: uploads, sealer } = deps;

  /**
   * Creates one line through the same create as a single account (R3-R13), keyed by the line so that a
   * line submitted again, or this activity run again, makes no second account. The temporary password is
   * kept sealed for the uploader (R13); only the outcome goes back to the workflow's history.
   */
  async function createLine(
    upload: BulkUpload,
    uploader: Principal,
    line: number,
    attempt: number,
  ): Promise<'created' | 'failed'> {
    const uploadId = upload.id;
    const row = await uploads.row(uploadId, line);
    if (!row) throw ApplicationFailure.nonRetryable(`No line ${line} in upload ${uploadId}`);
    if (row.state === 'created' || row.state === 'failed') return row.state;
    const passwordUpdateId = passwordUpdateIdOf(uploadId, line);
    try {
      const outcome = await createAccountOnce(deps, uploader, row.body, () => row.rowKey ?? undefined, {
        scope: bulkKeyScope(upload.organisation),
        bulkUploadId: uploadId,
        passwordUpdateId,
      });
      if (outcome.kind === 'accepted') {
        // Reserved, but Temporal did not start its lifecycle: the activity retries, and the line's key finishes it.
        throw ApplicationFailure.retryable(`The lifecycle of line ${line} is not started yet`);
      }
      const answer = outcome.kind === 'created' ? outcome.created : (outcome.answer as Created);
      const ours = outcome.kind === 'created' || (await createdBy(answer.id)) === uploadId;
      if (!ours) {
        await uploads.recordResult(uploadId, line, {
          state: 'created',
          result: `${answer.email} (created by an earlier upload of this line)`,
          accountId: answer.id,
        });
        return 'created';
      }
      const password = answer.temporaryPassword ?? (await recoverPassword(answer.id, passwordUpdateId));
      await uploads.recordResult(uploadId, line, {
        state: 'created',
        result: password ? answer.email : `${answer.email} (${PASSWORD_LOST})`,
        accountId: answer.id,
        ...(password ? { sealedPassword: sealer.seal(password, answer.id) } : {}),
      });
      return 'created';
    } catch (err) {
      const reason = failureOf(err, attempt);
      if (reason === null) throw err; // Temporal unreachable, a start to finish: the activity retries
      await uploads.recordResult(uploadId, line, { state: 'failed', result: reason });
      return 'failed';
    }
  }

  /** R31: the upload whose line created the account, as its lifecycle's search attribute says. */
  async function createdBy(accountId: string): Promise<string | undefined> {
    const handle = deps.client.workflow.getHandle(accountWorkflowId(accountId));
    try {
      const { typedSearchAttributes } = await withinDeadline(deps.client, () => handle.describe());
      return typedSearchAttributes.get(BulkUploadId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined; // long gone: an earlier upload's
      throw err;
    }
  }

  /**
   * Security 13: the line's password, taken again with the line's own Update id: Temporal answers a repeat
   * with the first take's outcome, so a retry after a crash (or a lost answer) gets the same password. Null
   * only when the lifecycle refuses it (it was taken by another request).
   */
  async function recoverPassword(accountId: string, updateId: string): Promise<string | null> {
    const handle = deps.client.workflow.getHandle(accountWorkflowId(accountId));
    try {
      return await collectTemporaryPassword(deps, handle, accountId, updateId);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return null;
      throw err;
    }
  }

  return {
    pendingBulkLines(uploadId: string, afterLine: number, limit: number): Promise<number[]> {
      return uploads.pendingLines(uploadId, afterLine, limit);
    },

    /**
     * Creates a chunk of lines, a few at once, heartbeating while it runs; one activity per chunk keeps the
     * upload's history short. A line already done reports its outcome again, so a retry counts it once.
     * Cancelled, it starts no new line, lets those under way finish, and reports what it did.
     */
    async createBulkLines(uploadId: string, lines: number[]): Promise<ChunkOutcome> {
      const context = Context.current();
      const upload = await uploads.get(uploadId);
      if (!upload) throw ApplicationFailure.nonRetryable(`No upload ${uploadId}`);
      const uploader = currentUploader(deps.principals, upload);
      if (typeof uploader === 'string') return stopUpload(uploads, upload, lines, uploader);
      const tally = { created: 0, failed: 0 };
      const errors: unknown[] = [];
      let next = 0;
      const worker = async () => {
        while (next < lines.length && errors.length === 0 && !context.cancellationSignal.aborted) {
          try {
            tally[await createLine(upload, uploader, lines[next++]!, context.info.attempt)]++;
            context.heartbeat(tally.created + tally.failed);
          } catch (err) {
            errors.push(err);
          }
        }
      };
      const beat = setInterval(() => context.heartbeat(tally.created + tally.failed), HEARTBEAT_EVERY_MS);
      try {
        await Promise.all(Array.from({ length: Math.min(LINES_AT_ONCE, lines.length) }, worker));
      } finally {
        clearInterval(beat);
      }
      if (errors.length) throw errors[0];
      return tally;
    },

    async finishBulkUpload(uploadId: string, status: Exclude<BulkUploadStatus, 'Running'>): Promise<string> {
      const at = new Date().toISOString();
      await uploads.finish(uploadId, status, at);
      return (await uploads.get(uploadId))!.finishedAt ?? at;
    },
  };
}

export type BulkActivities = ReturnType<typeof createBulkActivities>;

/**
 * Security 14: the uploader as the principals file has them now, with the rights they have now; or why
 * they may no longer create this upload's accounts.
 */
function currentUploader(principals: Pick<Principals, 'byId'>, upload: BulkUpload): Principal | string {
  const { id, name } = upload.uploadedBy;
  const principal = principals.byId(id);
  if (!principal || !(ADMINS as readonly string[]).includes(principal.kind)) {
    return `${name}, who uploaded the file, is no longer an administrator of this service (R1): the upload stopped before this line`;
  }
  if (!administers(principal, upload.organisation)) {
    return `${name}, who uploaded the file, no longer administers ${upload.organisation} (R1): the upload stopped before this line`;
  }
  return principal;
}

/**
 * Security 14: the uploader lost the right to create these accounts: every line still pending fails with
 * the reason, and the upload stops. The chunk's lines done before (an earlier attempt) are reported too.
 */
async function stopUpload(
  uploads: BulkUploads,
  upload: BulkUpload,
  lines: number[],
  reason: string,
): Promise<ChunkOutcome> {
  const before = await Promise.all(lines.map((line) => uploads.row(upload.id, line)));
  const done = { created: 0, failed: 0 };
  for (const row of before) if (row?.state === 'created' || row?.state === 'failed') done[row.state]++;
  const failed = await uploads.failPending(upload.id, reason);
  return { created: done.created, failed: done.failed + failed, stopped: true };
}

/**
 * Why the line was not created, or null when another try may create it: a refusal on the line's merits
 * (a duplicate, a key reused), which another try would meet again; or, after LINE_ATTEMPTS, a store
 * refusing the line's data (Security 7).
 */
function failureOf(err: unknown, attempt: number): string | null {
  if (err instanceof OperationError && !err.transient) return reasonOf(err);
  const fault = lineFaultOf(err);
  if (fault && attempt >= LINE_ATTEMPTS) {
    return (
      `The ${fault.store} store refused this line (error ${fault.code}) on each of ${LINE_ATTEMPTS} tries: ` +
      'check it for characters or lengths out of the ordinary, and upload it again'
    );
  }
  return null;
}

/** A refusal in words, without control characters, which a store may refuse in turn. */
function reasonOf(err: OperationError): string {
  const fields = err.fields?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return [err.title, err.detail, fields]
    .filter(Boolean)
    .join(': ')
    .replace(/\p{Cc}/gu, '\uFFFD');
}
