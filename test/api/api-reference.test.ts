import assert from 'node:assert/strict';
import { apiHarness } from '../helpers/api-harness';
import { inRealBrowser } from '../helpers/browser';
import { portalHarness } from '../helpers/portal-harness';

/** The `src` and `href` of every element of an HTML page. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

describe('API reference at /docs', () => {
  it('security: /docs renders /openapi.json from this origin only: a page, its files from the package, no inline script', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const page = await h.api.get('/docs');
      assert.equal(page.status, 200);
      assert.match(page.headers['content-type']!, /^text\/html/);
      const csp = page.headers['content-security-policy']!;
      assert.match(csp, /script-src 'self'(;|$)/, 'the portal’s strict policy applies');
      assert.match(csp, /style-src 'self'(;|$)/);
      const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 2);
      for (const [, attributes, body] of scripts) {
        assert.match(attributes!, /\bsrc="/, 'an external script');
        assert.equal(body!.trim(), '', 'no inline script');
      }
      assert.ok(!/\sstyle=|<style/i.test(page.text), 'no inline style');
      const files = references(page.text);
      assert.ok(files.length >= 4, files.join(', '));
      for (const file of files) {
        assert.match(file, /^\/docs\/assets\/[\w.-]+$/, `${file} is a file of this origin`);
        const res = await h.api.get(file);
        assert.equal(res.status, 200, file);
        assert.ok(Number(res.headers['content-length'] ?? res.text?.length ?? 0) > 0, `${file} is empty`);
        assert.match(res.headers['cache-control']!, /max-age=3600/, `${file} may be cached`);
      }
      const start = await h.api.get('/docs/assets/start.js');
      assert.match(start.text, /url: '\/openapi\.json'/, 'the viewer reads this API’s document');
      assert.equal((await h.api.get('/docs/assets/index.html')).status, 404, 'only the files the page needs');
      assert.equal((await h.api.get('/openapi.json')).status, 200);
    });
  });

  describe('in a real browser', function () {
    const browser = inRealBrowser();

    it('reference: /docs shows every operation of the API, with no request refused by the page’s policy', async () => {
      const h = await portalHarness(browser());
      await h.runInBrowser(async () => {
        const page = await h.newPage();
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
        const outside: string[] = [];
        page.on('request', (r) => !r.url().startsWith(h.baseURL) && outside.push(r.url()));
        await page.goto('/docs');
        await page.getByText('NHSmail account provisioning API').first().waitFor();
        const operations = page.locator('.opblock-summary-path');
        await operations.first().waitFor();
        const paths = await operations.allTextContents();
        for (const path of [
          '/v1/accounts',
          '/v1/accounts/{id}',
          '/v1/accounts/{id}/events',
          '/v1/bulk-uploads',
        ]) {
          assert.ok(
            paths.some((p) => p.replace(/\u200b/g, '') === path),
            `${path} among ${paths.join(', ')}`,
          );
        }
        assert.ok(paths.length >= 20, `${paths.length} operations`);
        assert.deepEqual(outside, [], 'no request leaves this origin');
        assert.deepEqual(problems, [], 'no error, no refused request');
      });
    });
  });
});
