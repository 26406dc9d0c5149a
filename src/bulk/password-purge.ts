import type { Logger } from '../logger';
import { purgeExpiredPasswords, type BulkDeps } from '../operations/bulk-uploads';

/**
 * Security 13: deletes the bulk uploads' temporary passwords that expired, now and then every `everyMs`;
 * each API process does it (one statement, harmless twice). Returns what stops it.
 */
export function purgePasswordsEvery(
  everyMs: number,
  deps: Pick<BulkDeps, 'bulkUploads' | 'bulk'>,
  log: Logger,
): () => Promise<void> {
  const purge = () =>
    purgeExpiredPasswords(deps)
      .then(
        (n) => n > 0 && log.info({ passwords: n }, 'deleted the expired temporary passwords of bulk uploads'),
      )
      .catch((err: Error) =>
        log.warn({ err: err.message }, 'could not delete expired bulk upload passwords'),
      );
  void purge();
  const timer = setInterval(() => void purge(), everyMs).unref();
  return async () => clearInterval(timer);
}
