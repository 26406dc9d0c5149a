import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

/**
 * A copy of `npm run build`'s script in a checkout of its own (its lock beside it, so that a real build in
 * another lane neither waits for these nor takes their outcome), made before the tests.
 */
let checkout = '';

/** The build script, compiling by a command that takes 1 s: its exit code and what it printed. */
function build(exitCode: number): Promise<{ code: number | null; out: string }> {
  const compile = [process.execPath, '-e', `setTimeout(() => process.exit(${exitCode}), 1000)`];
  const child = spawn(process.execPath, ['scripts/build-once.mjs', ...compile], {
    cwd: checkout,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('npm run api and npm run worker started together from one checkout', () => {
  before(() => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'build-once-'));
    fs.mkdirSync(path.join(checkout, 'scripts'));
    fs.copyFileSync(
      path.join(PROJECT_ROOT, 'scripts/build-once.mjs'),
      path.join(checkout, 'scripts/build-once.mjs'),
    );
  });
  after(() => fs.rmSync(checkout, { recursive: true, force: true }));
  for (const exitCode of [0, 2]) {
    it(`operations: two builds do not compile into dist/ at once: one compiles, the other waits and takes its outcome (exit ${exitCode})`, async function () {
      this.timeout(60_000);
      const [a, b] = await Promise.all([build(exitCode), build(exitCode === 0 ? 1 : 0)]);
      const waited = [a, b].filter((r) => /Another build of the engine is under way/.test(r.out));
      assert.equal(waited.length, 1, `exactly one waited:\n${a.out}\n${b.out}`);
      const compiled = waited[0] === a ? b : a;
      assert.equal(waited[0]!.code, compiled.code, 'the waiter ends as the build it waited for');
      const lock = path.join(checkout, 'dist.build-lock');
      for (let waited = 0; fs.existsSync(lock) && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(
        fs.existsSync(lock),
        false,
        'the lock is gone within 5 s (the build removes it after 2 s)',
      );
    });
  }
});
