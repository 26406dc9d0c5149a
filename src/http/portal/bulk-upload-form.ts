import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { MAX_BYTES } from '../../bulk/bulk-file';
import { principalsOf } from '../security/demo-principals';
import { sessionPrincipalId } from './session';

/** A little over the file's 5 MB, so that the bulk file's own check names the limit (as the API does). */
const readForm = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_BYTES + 1024 * 1024, files: 1, fields: 5, parts: 6 },
}).single('file');

/**
 * The Bulk upload form is multipart (it carries a file), so it is read before the CSRF check looks for its
 * token; only for a signed-in session. A form that cannot be read is named on the page, not thrown.
 */
export function bulkUploadForm() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== '/bulk-upload' || !req.is('multipart/form-data')) return next();
    const id = sessionPrincipalId(res);
    if (!id || !principalsOf(res).byId(id)) return next();
    readForm(req, res, (err: unknown) => {
      if (err instanceof MulterError) {
        res.locals.formProblem =
          err.code === 'LIMIT_FILE_SIZE'
            ? 'The file must be 5 MB or smaller: split it into several files.'
            : 'Upload one CSV file with the form on this page.';
        return next();
      }
      next(err);
    });
  };
}
