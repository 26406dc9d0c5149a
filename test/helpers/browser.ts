import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/project-root';
import { atTeardown } from './global-setup';

/** Debian's Chromium, which .ci/run installs; the browser tests skip, saying so, where it is missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Where the browser tests save a screenshot of each page they visit, for a person to look at: a folder for
 * each test file, emptied as the file starts (so the files can run in different lanes at once).
 */
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results/portal-screenshots');

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/**
 * Headless Chromium, quiet on the network (it has none here). Playwright gives each launch a fresh
 * temporary profile (its --user-data-dir) and removes it at close.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

let launched: { browser: Browser; close: () => Promise<void> } | undefined;

/**
 * Chromium for the tests of the enclosing describe, or skips them, saying so, where it is missing; the
 * browser is read once they run. One browser serves every file of this mocha process (each test has a
 * browser context of its own), launched by the first and closed when the tests end. The test file's
 * screenshot folder is emptied first.
 */
export function inRealBrowser(): () => Browser {
  before(async function () {
    if (!chromiumAvailable()) {
      console.log(
        `    Chromium is not at ${CHROMIUM}: the browser tests are skipped (apt-get install chromium).`,
      );
      this.skip();
    }
    resetScreenshots(path.basename(this.test?.parent?.file ?? 'pages', '.test.ts'));
    if (!launched?.browser.isConnected()) {
      launched = await launchChromium();
      const closing = launched;
      atTeardown(() => closing.close());
    }
  });
  return () => launched!.browser;
}

let folder = SCREENSHOTS;
let shots = 0;
/** Empties the test file's screenshot folder, so that it holds this run's pages only. */
function resetScreenshots(file: string): void {
  folder = path.join(SCREENSHOTS, file);
  fs.rmSync(folder, { recursive: true, force: true });
  shots = 0;
}

/**
 * Looks at the page as a checker would: axe finds no violation of impact serious or critical (WCAG 2.2
 * AA rules), and a full-page screenshot is saved in the test file's folder under SCREENSHOTS as `NN-name.png`. Axe runs in the page
 * alone (the portal's pages have no frames, so its partial run, which opens a second page, adds nothing) and
 * details the violations only.
 */
export async function look(page: Page, name: string): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({
    path: path.join(folder, `${String(++shots).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
    [],
    `accessibility violations on ${name}`,
  );
}

/** Presses Tab until the element matching `selector` has the focus (as a keyboard user moves through a page). */
export async function tabTo(page: Page, selector: string, most = 120): Promise<void> {
  for (let i = 0; i < most; i++) {
    const focused = `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`;
    if (await page.evaluate(focused)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}
