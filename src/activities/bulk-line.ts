import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { BulkUploadId } from '../../temporal-config/search-attributes';
import { withinDeadline } from '../temporal/deadline';
import type { Principal } from '../access/principals';
import { OperationError } from '../operations/errors';
import { lineFaultOf } from '../bulk/store-fault';
import type { AccountDeps } from '../operations/account-access';
import { createAccountOnce } from '../operations/create-account-once';
import type { Created } from '../operations/create-account';
import { collectTemporaryPassword } from '../operations/temporary-password';
import { accountWorkflowId } from '../workflows/workflow-id';
import type { BulkUpload, BulkUploads } from '../ports/bulk-uploads';

export interface BulkLineDeps extends AccountDeps {
  bulkUploads: BulkUploads;
}

/** The idempotency keys of an organisation's uploads: a line submitted again is created once (R31). */
export const bulkKeyScope = (organisation: string) => `bulk-upload:${organisation}`;

/**
 * Security 7: a line the store refuses for its data (a fault that would recur) fails, with the reason,
 * once its chunk has been tried this many times; the upload goes on with the next lines.
 */
export const LINE_ATTEMPTS = 3;

/** Security 13: the Update that takes a line's temporary password has an id of the line's own. */
const passwordUpdateIdOf = (uploadId: string, line: number) => `bulk-password:${uploadId}:${line}`;

const PASSWORD_LOST =
  'its temporary password could not be recovered: resecure the account once it is Active to issue a new one (R29)';

/**
 * Creates one line through the same create as a single account (R3-R13), keyed by the line so that a
 * line submitted again, or its activity run again, makes no second account. The temporary password is
 * kept sealed for the uploader (R13); only the outcome goes back to the workflow's history.
 */
export async function createLine(
  deps: BulkLineDeps,
  upload: BulkUpload,
  uploader: Principal,
  line: number,
  attempt: number,
): Promise<'created' | 'failed'> {
  const { bulkUploads: uploads, sealer } = deps;
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
    const ours = outcome.kind === 'created' || (await createdBy(deps, answer.id)) === uploadId;
    if (!ours) {
      await uploads.recordResult(uploadId, line, {
        state: 'created',
        result: `${answer.email} (created by an earlier upload of this line)`,
        accountId: answer.id,
      });
      return 'created';
    }
    const password = answer.temporaryPassword ?? (await recoverPassword(deps, answer.id, passwordUpdateId));
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
async function createdBy(deps: AccountDeps, accountId: string): Promise<string | undefined> {
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
async function recoverPassword(
  deps: AccountDeps,
  accountId: string,
  updateId: string,
): Promise<string | null> {
  const handle = deps.client.workflow.getHandle(accountWorkflowId(accountId));
  try {
    return await collectTemporaryPassword(deps, handle, accountId, updateId);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return null;
    throw err;
  }
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
