// `npm run build`: compiles the engine into dist/, one build at a time. `npm run api` and `npm run worker`
// started together from one checkout would otherwise compile into the same folder at once: the second waits
// for the first (a lock folder, made atomically) and takes its outcome instead of compiling again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'dist.build-lock');
const outcome = path.join(lock, 'exit-code');
const STALE_MS = 10 * 60 * 1000; // a build that died without removing its lock

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The TypeScript compiler, or (a test of the lock) the command given after the script's name. */
function build() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const given = process.argv.slice(2);
  const [command, ...args] = given.length ? given : [process.execPath, tsc, '-p', 'tsconfig.build.json'];
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

function main() {
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(lock).mtimeMs;
      if (age > STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
      else if (fs.existsSync(outcome)) return Number(fs.readFileSync(outcome, 'utf8'));
      else {
        if (!told) console.log('Another build of the engine is under way in this checkout: waiting for it.');
        told = true;
        sleep(200);
      }
      continue;
    }
    const code = build();
    fs.writeFileSync(outcome, String(code));
    // Waiters read the outcome for a moment, then the lock goes.
    setTimeout(() => fs.rmSync(lock, { recursive: true, force: true }), 2000);
    return code;
  }
}

process.exitCode = main();
