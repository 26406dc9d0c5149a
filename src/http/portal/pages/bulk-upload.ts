import { Router, type Response } from 'express';
import { toProblem } from '../../problem-of';
import type { Principal } from '../../../access/principals';
import type { Problem } from '../../problem';
import { SAMPLE_FILE } from '../../../bulk/bulk-file';
import {
  cancelUpload,
  confirmPasswordsSaved,
  heldPasswords,
  startUpload,
  uploadProgress,
  uploadResults,
  validateUpload,
  type Validation,
} from '../../../operations/bulk-uploads';
import type { BulkProgress } from '../../../workflows/bulk-definitions';
import { formChoices } from '../form-choices';
import { isFormProblem } from '../page-errors';
import type { PortalDeps } from '../portal-deps';
import { sessionOf, setFlash, takeFlash } from '../session';
import { ValidatedFiles } from '../validated-files';
import { signedInPrincipal } from '../signed-in';
import { NO_ERRORS, renderPart, renderPage, type PageErrors } from '../views';

/** Lines of a Validate shown on the page; the rest are counted. */
const ERRORS_SHOWN = 500;

export const uploadPath = (id: string) => `/bulk-upload/${encodeURIComponent(id)}`;

/** A refusal of the file or the organisation, under its field (R4, in the operation's words). */
function uploadErrors(problem: Problem): PageErrors {
  const errors: PageErrors = { list: [], byField: {} };
  const add = (field: 'organisation' | 'file', text: string) => {
    errors.byField[field] ??= text;
    errors.list.push({ text, href: `#${field}` });
  };
  for (const e of problem.errors ?? []) add(e.path === 'organisation' ? 'organisation' : 'file', e.message);
  if (!problem.errors?.length) add('file', problem.detail ?? problem.title);
  return errors;
}

function progressWords(p: BulkProgress) {
  const done = p.rows - p.remaining;
  return {
    tag: p.status === 'Running' ? 'Creating' : p.status,
    done,
    percent: p.rows ? Math.round((done / p.rows) * 100) : 100,
  };
}

/**
 * Bulk upload (R31): the sample file, Validate (every field at fault on every line) and Create from a CSV
 * file, the upload's progress while its workflow runs, cancel, and the results file.
 */
export function bulkUploadPage(deps: PortalDeps): Router {
  const router = Router();
  const validatedFiles = new ValidatedFiles();

  function showForm(
    res: Response,
    principal: Principal,
    extra: {
      values?: Record<string, unknown>;
      errors?: PageErrors;
      validation?: Validation;
      fileName?: string;
      /** The id of the file Validate kept, which Create uses unless another file is chosen. */
      validatedFile?: string;
    },
    status = 200,
  ) {
    const validation = extra.validation;
    renderPage(
      res,
      'bulk-upload.njk',
      {
        nav: 'bulk',
        choices: formChoices(principal),
        values: extra.values ?? {},
        errors: extra.errors ?? NO_ERRORS,
        fileName: extra.fileName,
        validatedFile: extra.validatedFile,
        validation,
        lineErrors: validation?.errors.slice(0, ERRORS_SHOWN) ?? [],
        moreErrors: Math.max(0, (validation?.errors.length ?? 0) - ERRORS_SHOWN),
      },
      status,
    );
  }

  router.get('/bulk-upload', (_req, res) => {
    showForm(res, signedInPrincipal(res), {});
  });

  router.get('/bulk-upload/sample.csv', (_req, res) => {
    res.type('text/csv').attachment('nhsmail-bulk-upload-sample.csv').send(SAMPLE_FILE);
  });

  router.post('/bulk-upload', async (req, res) => {
    const principal = signedInPrincipal(res);
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const values = { organisation: form.organisation ?? '' };
    const owner = sessionOf(res).sid;
    const chosen =
      req.file && !(req.file.size === 0 && !req.file.originalname)
        ? { name: req.file.originalname, file: req.file.buffer }
        : undefined;
    // Create after Validate: the file Validate kept for this session, unless another one was chosen.
    const keptId = chosen ? undefined : form.validatedFile;
    const kept = keptId && owner ? validatedFiles.find(owner, keptId) : undefined;
    const upload = chosen ?? kept;
    const fileName = upload?.name ?? req.file?.originalname;
    const refuse = (errors: PageErrors, status = 400) =>
      showForm(res, principal, { values, errors, fileName, validatedFile: kept && keptId }, status);
    const problem = res.locals.formProblem as string | undefined;
    if (problem) return refuse({ list: [{ text: problem, href: '#file' }], byField: { file: problem } });
    if (!upload) {
      const text = keptId
        ? 'The validated file is no longer held here: choose it again'
        : 'Select a CSV file to upload';
      return refuse({ list: [{ text, href: '#file' }], byField: { file: text } });
    }
    try {
      if (form.mode !== 'create') {
        const validation = await validateUpload(deps, principal, form.organisation, upload.file);
        const validatedFile = owner ? validatedFiles.keep(owner, upload) : undefined;
        return showForm(res, principal, { values, validation, fileName, validatedFile });
      }
      const started = await startUpload(deps, principal, form.organisation, upload.file);
      if (kept && keptId) validatedFiles.forget(keptId);
      await setFlash(res, `Upload ${started.uploadId} started: ${started.remaining} accounts to create.`);
      res.redirect(303, uploadPath(started.uploadId));
    } catch (err) {
      const problem = toProblem(err);
      // Security 10: too many uploads of this administrator's under way is said on the form, like a refusal.
      if (!isFormProblem(problem) && problem.status !== 429) throw err;
      res.set(problem.headers);
      refuse(uploadErrors(problem), problem.status);
    }
  });

  router.get('/bulk-upload/:id', async (req, res) => {
    const principal = signedInPrincipal(res);
    const progress = await uploadProgress(deps, principal, req.params.id);
    renderPage(res, 'bulk-progress.njk', {
      nav: 'bulk',
      progress,
      words: progressWords(progress),
      passwords: await heldPasswords(deps, principal, req.params.id),
      flash: await takeFlash(res),
    });
  });

  /** The progress part alone, for the page's live refresh. */
  router.get('/bulk-upload/:id/progress', async (req, res) => {
    const principal = signedInPrincipal(res);
    const progress = await uploadProgress(deps, principal, req.params.id);
    res.type('html').send(
      renderPart(res, 'partials/bulk-progress.njk', {
        progress,
        words: progressWords(progress),
        passwords: await heldPasswords(deps, principal, req.params.id),
      }),
    );
  });

  router.get('/bulk-upload/:id/results.csv', async (req, res) => {
    const file = await uploadResults(deps, signedInPrincipal(res), req.params.id);
    res.type('text/csv').attachment(`${req.params.id}-results.csv`).send(file);
  });

  /** Security 13: the uploader has saved the results file: its temporary passwords are deleted. */
  router.post('/bulk-upload/:id/passwords/confirm', async (req, res) => {
    const { passwordsDeleted } = await confirmPasswordsSaved(deps, signedInPrincipal(res), req.params.id);
    await setFlash(
      res,
      `The ${passwordsDeleted} temporary passwords of upload ${req.params.id} were deleted: the results file no longer carries them.`,
    );
    res.redirect(303, uploadPath(req.params.id));
  });

  router.post('/bulk-upload/:id/cancel', async (req, res) => {
    const progress = await cancelUpload(deps, signedInPrincipal(res), req.params.id);
    await setFlash(
      res,
      `Upload ${progress.uploadId} cancelled: ${progress.created} accounts were created and stay created.`,
    );
    res.redirect(303, uploadPath(progress.uploadId));
  });
  return router;
}
