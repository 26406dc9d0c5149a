import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { check } from 'recheck';
import ts from 'typescript';
import { z } from 'zod';
import { openApiDocument } from '../../src/http/api/openapi';
import { createAccountBody, accountId } from '../../src/operations/schemas/requests';
import * as textRules from '../../src/operations/schemas/text-rules';
import { fieldErrors } from '../../src/operations/validation';
import { PROJECT_ROOT } from '../../src/project-root';
import { TEXT_FIELDS } from '../helpers/request-text-fields';
import { bestTime } from '../helpers/best-time';

interface Pattern {
  source: string;
  flags: string;
  where: string;
}

const SRC = path.join(PROJECT_ROOT, 'src');
/** The only files that build a pattern from text; what they build is checked through their exports and the document. */
const BUILDERS = ['src/operations/schemas/text-rules.ts', 'src/operations/schemas/fields.ts'];

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|js)$/.test(entry.name) ? [file] : [];
  });
}

/** Every regular expression literal in src, and every place that builds one with `new RegExp`. */
function patternsInSource(): { literals: Pattern[]; built: string[] } {
  const literals: Pattern[] = [];
  const built: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const relative = path.relative(PROJECT_ROOT, file);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      const at = `${relative}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const end = text.lastIndexOf('/');
        literals.push({ source: text.slice(1, end), flags: text.slice(end + 1), where: at });
      }
      if (ts.isNewExpression(node) && node.expression.getText() === 'RegExp') built.push(relative);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, built };
}

/** The document's patterns (run by schemathesis and by any client's JSON Schema validator, in any language). */
function documentPatterns(): Pattern[] {
  const found: Pattern[] = [];
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}/${i}`));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'pattern' && typeof v === 'string')
          found.push({ source: v, flags: 'u', where: `openapi.json${at}` });
        else walk(v, `${at}/${key}`);
      }
    }
  };
  walk(openApiDocument(), '');
  return found;
}

function everyPattern(): Pattern[] {
  const { literals } = patternsInSource();
  const exported = Object.entries(textRules)
    .filter((entry): entry is [string, RegExp] => entry[1] instanceof RegExp)
    .map(([name, re]) => ({ source: re.source, flags: re.flags, where: `text-rules.ts ${name}` }));
  // A library's pattern that reads what a caller sends: the account id of every /v1/accounts/{id} path.
  const library = [{ source: z.regexes.email.source, flags: z.regexes.email.flags, where: 'zod email' }];
  const unique = new Map<string, Pattern>();
  for (const p of [...literals, ...exported, ...documentPatterns(), ...library]) {
    const key = `/${p.source}/${p.flags.replace(/[gy]/g, '')}`;
    if (!unique.has(key)) unique.set(key, p);
  }
  return [...unique.values()];
}

/**
 * Inputs that make a backtracking matcher work hardest on a pattern that can: a long run of one character
 * (or pair) that many parts of a pattern accept, after a start that lets the pattern begin, and before an
 * end that fails it.
 */
function adversarialInputs(size: number): string[] {
  const pumps = [
    ' ',
    'a',
    'A',
    '0',
    '\t',
    '.',
    '-',
    "'",
    '_',
    '@',
    '\u00a0',
    'é',
    'a ',
    ' a',
    'a.',
    'a-',
    '0-',
    '\\"',
    'aa@',
  ];
  const starts = ['', 'a', 'a@', 'Bearer ', '"pattern":"'];
  const ends = ['!', '\u0000', '\n'];
  return starts.flatMap((start) =>
    pumps.flatMap((pump) => ends.map((end) => start + pump.repeat(Math.ceil(size / pump.length)) + end)),
  );
}

const KB100 = 100_000;

describe('API: regular expressions cannot freeze the engine', function () {
  this.timeout(600_000);

  it('Security 1: every pattern of the project (src, the OpenAPI document, the field rules) is free of catastrophic backtracking, by static analysis (recheck)', async () => {
    const { built } = patternsInSource();
    assert.deepEqual(
      [...new Set(built)].sort(),
      [...BUILDERS].sort(),
      'a pattern built from text elsewhere is not seen by this test: build it in text-rules.ts',
    );
    const patterns = everyPattern();
    assert.ok(patterns.length > 30, `${patterns.length} patterns found`);
    const unsafe: string[] = [];
    for (const p of patterns) {
      const result = await check(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 30_000 });
      if (result.status !== 'safe') {
        const attack = result.status === 'vulnerable' ? `, e.g. ${result.attack.pattern}` : '';
        unsafe.push(`${p.where}: /${p.source}/${p.flags} is ${result.status}${attack}`);
      }
    }
    assert.deepEqual(unsafe, []);
  });

  it('Security 1: every pattern of the project takes under 50 ms on each adversarial input of 100 KB', () => {
    const inputs = adversarialInputs(KB100);
    const slow: string[] = [];
    let worst = 0;
    for (const p of everyPattern()) {
      const re = new RegExp(p.source, p.flags.replace(/[gy]/g, ''));
      for (const input of inputs) {
        const took = bestTime(() => re.exec(input), 50);
        worst = Math.max(worst, took);
        if (took >= 50) {
          slow.push(
            `${p.where}: /${p.source}/ took ${Math.round(took)} ms on ${JSON.stringify(input.slice(0, 12))}...`,
          );
          break;
        }
      }
    }
    assert.deepEqual(slow, [], `the slowest took ${Math.round(worst)} ms`);
  });

  it('Security 1: the Title of "a" + 60,000 spaces + "!" is refused in milliseconds (it held the event loop 3.3 s)', () => {
    const attack = 'a' + ' '.repeat(60_000) + '!';
    const body = {
      title: 'Dr',
      firstName: 'Aoife',
      lastName: 'Byrne',
      emailAlias: 'nhs.net',
      organisation: 'RJ1',
    };
    let parsed = createAccountBody.safeParse({ ...body, title: attack });
    const took = bestTime(() => (parsed = createAccountBody.safeParse({ ...body, title: attack })), 50);
    assert.ok(took < 50, `${Math.round(took)} ms`);
    assert.ok(!parsed.success);
    assert.deepEqual(fieldErrors(parsed.error), [
      { path: 'title', message: 'Title must be at most 20 characters' },
    ]);
    // Within its length, the pattern itself is linear: the same shape at 20 characters and at 100 KB alike.
    const titlePattern = documentPatterns().find((p) => p.where.endsWith('/properties/title'))!;
    const re = new RegExp(titlePattern.source, 'u');
    assert.equal(re.test(attack), false);
    const patternTook = bestTime(() => re.test(attack), 50);
    assert.ok(patternTook < 50, `the document's Title pattern took ${Math.round(patternTook)} ms`);
  });

  it('Security 1: every text field checks its length before any pattern: 100 KB in any field is refused as too long, each in under 50 ms', () => {
    const attack = 'a' + ' '.repeat(KB100) + '!';
    for (const field of TEXT_FIELDS) {
      const parsed = field.schema.safeParse(field.request(attack));
      const took = bestTime(() => field.schema.safeParse(field.request(attack)), 50);
      assert.ok(took < 50, `${field.operationId} ${field.name}: ${Math.round(took)} ms`);
      assert.ok(!parsed.success, `${field.operationId} ${field.name} accepted 100 KB`);
      const error = fieldErrors(parsed.error).find((e) => e.path === field.path);
      assert.match(error?.message ?? '', /at most \d+ characters/, `${field.operationId} ${field.name}`);
    }
    const id = accountId.safeParse(`${'a.'.repeat(KB100 / 2)}!@nhs.net`);
    assert.ok(!id.success);
  });
});
