import type http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import type { PortalOptions } from '../../src/http/portal/portal-options';
import { apiHarness, bearer, TOKENS } from './api-harness';
import { freePort } from './free-port';

/** The engine with its portal, listening on a free loopback port, and a fresh browser context per test. */
export async function portalHarness(
  browser: Browser,
  portal: (baseURL: string) => Partial<PortalOptions> = () => ({}),
) {
  const port = await freePort();
  const h = await apiHarness({ portal: portal(`http://127.0.0.1:${port}`) });
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = h.app.listen(port, '127.0.0.1', () => resolve(s)).on('error', reject);
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const pages: Page[] = [];
  return {
    ...h,
    baseURL,
    newPage: async () => {
      const page = await context.newPage();
      pages.push(page);
      return page;
    },
    /** Runs the test with the worker polling, then closes the browser context and the server. */
    runInBrowser: async <T>(body: () => Promise<T>): Promise<T> => {
      try {
        return await h.run(body);
      } finally {
        await context.close();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

export type PortalHarness = Awaited<ReturnType<typeof portalHarness>>;

/** Signs in on /sign-in by picking one of the development principals, as the README tells a newcomer to. */
export async function signInAs(page: Page, who: RegExp | string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: who }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Until the API says the account has `status` (a lifecycle's step after a time skip runs in real time). */
export async function untilStatus(h: PortalHarness, id: string, status: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const got = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
    if (got.body.status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
