import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Principal } from '../api/principals';
import { ApiError } from '../api/problem';
import type { AccountDeps } from '../operations/account-access';
import { createAccountOnce } from '../operations/create-account-once';
import type { Created } from '../operations/create-account';
import type { BulkUploads, BulkUploadStatus } from '../ports/bulk-uploads';

export interface BulkActivityDeps extends AccountDeps {
  bulkUploads: BulkUploads;
}

/** The idempotency keys of an organisation's uploads: a line submitted again is created once (R31). */
export const bulkKeyScope = (organisation: string) => `bulk-upload:${organisation}`;

/** At most this many lines of a chunk are created at once (the workflow sends chunks of this size). */
export const LINES_AT_ONCE = 8;

/** R31: the side effects of a bulk upload. Each is idempotent: a line is created once, however often it runs. */
export function createBulkActivities(deps: BulkActivityDeps) {
  const { bulkUploads: uploads, sealer } = deps;

  /**
   * Creates one line through the same create as a single account (R3-R13), keyed by the line so that a
   * line submitted again, or this activity run again, makes no second account. The temporary password is
   * kept sealed for the uploader (R13); only the outcome goes back to the workflow's history.
   */
  async function createLine(uploadId: string, line: number): Promise<'created' | 'failed'> {
    const [upload, row] = await Promise.all([uploads.get(uploadId), uploads.row(uploadId, line)]);
    if (!upload || !row) throw ApplicationFailure.nonRetryable(`No line ${line} in upload ${uploadId}`);
    if (row.state === 'created' || row.state === 'failed') return row.state;
    try {
      const outcome = await createAccountOnce(
        deps,
        upload.uploadedBy as Principal,
        row.body,
        () => row.rowKey ?? undefined,
        { scope: bulkKeyScope(upload.organisation), bulkUploadId: uploadId },
      );
      if (outcome.kind === 'created') {
        const { id, email, temporaryPassword } = outcome.created;
        await uploads.recordResult(uploadId, line, {
          state: 'created',
          result: email,
          accountId: id,
          ...(temporaryPassword ? { sealedPassword: sealer.seal(temporaryPassword, id) } : {}),
        });
      } else {
        const { id, email } = outcome.answer as Created;
        await uploads.recordResult(uploadId, line, {
          state: 'created',
          result: `${email} (created by an earlier upload of this line)`,
          accountId: id,
        });
      }
      return 'created';
    } catch (err) {
      if (!refusedForGood(err)) throw err; // Temporal unreachable, a start to finish: the activity retries
      await uploads.recordResult(uploadId, line, { state: 'failed', result: reasonOf(err) });
      return 'failed';
    }
  }

  return {
    pendingBulkLines(uploadId: string, afterLine: number, limit: number): Promise<number[]> {
      return uploads.pendingLines(uploadId, afterLine, limit);
    },

    /**
     * Creates a chunk of lines, a few at once, heartbeating as each is done; one activity per chunk keeps the
     * upload's history short. A line already done reports its outcome again, so a retry counts it once.
     */
    async createBulkLines(uploadId: string, lines: number[]): Promise<{ created: number; failed: number }> {
      const tally = { created: 0, failed: 0 };
      const errors: unknown[] = [];
      let next = 0;
      const worker = async () => {
        while (next < lines.length && errors.length === 0) {
          try {
            tally[await createLine(uploadId, lines[next++]!)]++;
            Context.current().heartbeat(tally.created + tally.failed);
          } catch (err) {
            errors.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(LINES_AT_ONCE, lines.length) }, worker));
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

/** A refusal on the line's merits (a duplicate, a key reused): another try would be refused the same. */
function refusedForGood(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status < 500 && err.title !== 'In progress';
}

function reasonOf(err: ApiError): string {
  const fields = err.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return [err.title, err.detail, fields].filter(Boolean).join(': ');
}
