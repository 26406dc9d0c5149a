import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

/** The rules docs/rules.md defines: each is a bullet starting `- **R15 Name.**`. */
function definedRules(): string[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/rules.md'), 'utf8');
  return [...text.matchAll(/^- \*\*(R\d+[a-z]?) /gm)].map((m) => m[1]!);
}

interface Title {
  file: string;
  kind: string;
  title: string;
}

/** Every literal title of a suite or test in test/**\/*.test.ts. */
function testTitles(): Title[] {
  const folder = path.join(PROJECT_ROOT, 'test');
  const files = fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'));
  return files.flatMap((file) => {
    const source = fs.readFileSync(path.join(folder, file), 'utf8');
    const calls = /\b(describe|context|it|specify)(?:\.only|\.skip)?\(\s*(['"`])((?:\\.|(?!\2)[^\\])*)\2/g;
    return [...source.matchAll(calls)].map((m) => ({ file, kind: m[1]!, title: m[3]! }));
  });
}

const rulesIn = (title: string) => [...title.matchAll(/\bR\d+[a-z]?\b/g)].map((m) => m[0]);

describe('docs/rules.md and the tests that prove its rules', () => {
  const defined = definedRules();
  const titles = testTitles();

  it('docs/rules.md defines rules 1 to 33 and 14a, each once, in order', () => {
    const expected = Array.from({ length: 33 }, (_, i) => `R${i + 1}`);
    expected.splice(expected.indexOf('R15'), 0, 'R14a');
    assert.deepEqual(defined, expected);
  });

  it('every rule of docs/rules.md is named in the title of at least one test', () => {
    const named = new Set(
      titles.filter((t) => t.kind === 'it' || t.kind === 'specify').flatMap((t) => rulesIn(t.title)),
    );
    assert.ok(named.size > 0, 'the tests were read');
    assert.deepEqual(
      defined.filter((rule) => !named.has(rule)),
      [],
      'rules that no test title names',
    );
  });

  it('every rule a test or suite title names is a rule of docs/rules.md', () => {
    const known = new Set(defined);
    const unknown = titles.flatMap((t) =>
      rulesIn(t.title)
        .filter((rule) => !known.has(rule))
        .map((rule) => `${rule} in ${t.file}: "${t.title}"`),
    );
    assert.deepEqual(unknown, []);
  });
});
