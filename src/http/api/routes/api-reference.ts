import path from 'node:path';
import { Router } from 'express';

const swaggerUi = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Where the viewer's files are served; they hold no personal data and may be cached. */
export const API_REFERENCE_ASSETS = '/docs/assets/';

/** Swagger UI's own files that the page loads (and the stylesheet's source map, for a browser's tools). */
const FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui.css.map', 'favicon-32x32.png'];

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>NHSmail account provisioning API: reference</title>
    <link rel="icon" type="image/png" href="${API_REFERENCE_ASSETS}favicon-32x32.png">
    <link rel="stylesheet" href="${API_REFERENCE_ASSETS}swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${API_REFERENCE_ASSETS}swagger-ui-bundle.js"></script>
    <script src="${API_REFERENCE_ASSETS}start.js"></script>
  </body>
</html>
`;

/** Starts Swagger UI on /openapi.json; no validator badge (it would send the document to another site). */
const START = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * GET /docs: /openapi.json rendered by Swagger UI (swagger-ui-dist), every file served from the package on
 * this origin, no CDN; an external script and no inline one, so the portal's Content Security Policy holds.
 */
export function apiReferenceRoutes(): Router {
  const router = Router();
  const cache = { maxAge: '1h' };
  router.get('/docs', (_req, res) => void res.type('html').send(PAGE));
  router.get(`${API_REFERENCE_ASSETS}start.js`, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('js').send(START);
  });
  for (const file of FILES) {
    router.get(`${API_REFERENCE_ASSETS}${file}`, (_req, res) =>
      res.sendFile(path.join(swaggerUi, file), cache),
    );
  }
  return router;
}
