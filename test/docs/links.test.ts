import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

const documents = [
  'README.md',
  ...fs
    .readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The text outside fenced code blocks, where a link is a link. */
const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');

const anchorsOf = (file: string) =>
  new Set([...prose(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6} +(.+)$/gm)].map((m) => anchorOf(m[1]!)));

const REPOSITORY_PATH = /^(?:src|test|scripts|docs|config|temporal-config|\.ci)\/[\w./-]*[\w/]$/;

describe('The README and docs/: every link resolves (issue 27)', () => {
  for (const document of documents) {
    it(`operations: ${document}: every relative link names a file of the repository, and its #anchor a heading there`, () => {
      const file = path.join(PROJECT_ROOT, document);
      const broken: string[] = [];
      for (const [, target] of prose(fs.readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(?:https?:|mailto:)/.test(target!)) continue;
        const [where, anchor] = target!.split('#') as [string, string | undefined];
        const linked = where ? path.resolve(path.dirname(file), where) : file;
        if (!fs.existsSync(linked)) broken.push(`${target}: no such file`);
        else if (anchor && linked.endsWith('.md') && !anchorsOf(linked).has(anchor))
          broken.push(`${target}: no heading #${anchor}`);
      }
      assert.deepEqual(broken, []);
    });

    it(`operations: ${document}: every repository path it names in code (\`src/...\`, \`test/...\`) exists`, () => {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, document), 'utf8');
      const missing = [...text.matchAll(/`([^`\s]+)`/g)]
        .map((m) => m[1]!)
        .filter((name) => REPOSITORY_PATH.test(name) && !name.includes('*') && !name.includes('<'))
        .filter((name) => !fs.existsSync(path.join(PROJECT_ROOT, name)));
      assert.deepEqual([...new Set(missing)], []);
    });
  }
});
