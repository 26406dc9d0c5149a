import express, { Router, type Request } from 'express';
import { SAMPLE_FILE, MAX_BYTES } from '../../../bulk/bulk-file';
import {
  cancelUpload,
  confirmPasswordsSaved,
  startUpload,
  uploadProgress,
  uploadResults,
  validateUpload,
  type BulkDeps,
} from '../../../operations/bulk-uploads';
import { principalOf } from '../../request-principal';
import { Problem } from '../../problem';
import { reply } from '../reply';
import { bulkUploadQuery } from '../../../operations/schemas/requests';
import { bulkPasswordsConfirmed, bulkProgress, bulkValidation } from '../schemas/responses';
import { parseOrReject } from '../../../operations/validation';

/** A CSV file's media types; and a file as bytes, as generated clients send one (openapi-python-client). */
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** The uploaded file: a CSV body, up to a little over the 5 MB the file may have (so that limit is named). */
const csvBody = express.raw({ type: () => true, limit: MAX_BYTES + 1024 * 1024 });

function fileOf(req: Request): Buffer {
  if (!req.is(CSV_TYPES)) {
    throw new Problem(
      415,
      'Unsupported media type',
      'Send the file as the request body with Content-Type: text/csv (curl --data-binary @file.csv).',
    );
  }
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** /v1/bulk-uploads (R31): Validate and Create from a CSV file, follow, cancel, and download the results. */
export function bulkUploadRoutes(deps: BulkDeps): Router {
  const router = Router();
  router.get('/sample.csv', (_req, res) => {
    res.type('text/csv').attachment('nhsmail-bulk-upload-sample.csv').send(SAMPLE_FILE);
  });
  router.post('/', csvBody, async (req, res) => {
    const principal = principalOf(res);
    const { organisation, mode } = parseOrReject(bulkUploadQuery, req.query);
    const file = fileOf(req);
    if (mode === 'validate') {
      reply(res, bulkValidation, await validateUpload(deps, principal, organisation, file));
      return;
    }
    const started = await startUpload(deps, principal, organisation, file);
    res.location(`/v1/bulk-uploads/${started.uploadId}`);
    reply(res, bulkProgress, { id: started.uploadId, ...started }, 202);
  });
  router.get('/:id', async (req, res) => {
    const progress = await uploadProgress(deps, principalOf(res), String(req.params.id));
    reply(res, bulkProgress, { id: progress.uploadId, ...progress });
  });
  router.get('/:id/results.csv', async (req, res) => {
    const id = String(req.params.id);
    res
      .type('text/csv')
      .attachment(`${id}-results.csv`)
      .send(await uploadResults(deps, principalOf(res), id));
  });
  router.post('/:id/passwords/confirm', async (req, res) => {
    reply(
      res,
      bulkPasswordsConfirmed,
      await confirmPasswordsSaved(deps, principalOf(res), String(req.params.id)),
    );
  });
  router.delete('/:id', async (req, res) => {
    const progress = await cancelUpload(deps, principalOf(res), String(req.params.id));
    reply(res, bulkProgress, { id: progress.uploadId, ...progress });
  });
  return router;
}
