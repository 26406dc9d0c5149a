import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { PROJECT_ROOT } from '../../project-root';

const nhsuk = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist/nhsuk');

/** Path prefix of the files that hold no personal data and may be cached. */
export const ASSETS_PREFIX = '/assets/';

/**
 * NHS.UK frontend's CSS without its @font-face rules: they load Frutiger from the NHS CDN, which the
 * portal does not use (its CSP allows its own files only); the CSS falls back to Arial, as NHS.UK does.
 */
function stylesheetWithoutWebFonts(): string {
  // A rule left open runs to the end of the file, so that the search is one pass (Security 1).
  return fs
    .readFileSync(path.join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*(?:\}|$)/g, '');
}

/** The NHS.UK frontend's CSS, JavaScript and images, and the portal's own, served from the packages. */
export function assetRoutes(): Router {
  const router = Router();
  const css = stylesheetWithoutWebFonts();
  const cache = { maxAge: '1h' };
  router.get('/assets/nhsuk-frontend.min.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(css);
  });
  router.get('/assets/nhsuk-frontend.min.js', (_req, res) => {
    res.sendFile(path.join(nhsuk, 'nhsuk-frontend.min.js'), cache);
  });
  router.use('/assets/portal', express.static(path.join(PROJECT_ROOT, 'src/http/portal/public'), cache));
  router.use('/assets', express.static(path.join(nhsuk, 'assets'), cache));
  return router;
}
