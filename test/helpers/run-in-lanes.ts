import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

/**
 * `npm test`: the suite's files split into lanes (three unless TEST_LANES says), each a mocha process of its
 * own with its own time-skipping server, run side by side: much of the suite waits (on browsers, engine
 * processes, servers), so lanes finish well before one process on two cores. Each lane's spec output is
 * printed whole as it finishes, then the counts of all lanes, as mocha prints them. With arguments
 * (`npm test -- -g R15`), or one lane, it is plain mocha over every file, as `npm test` was. TEST_REPORTER
 * names each lane's reporter (test/helpers/file-times-reporter.ts for where the time goes, by file).
 */
const WEIGHTS: Record<string, number> = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'test-weights.json'), 'utf8'),
) as Record<string, number>;
/** Seconds assumed for a file the weights do not list yet (a new one): about a typical harness test's. */
const UNKNOWN_WEIGHT = 5;

const mocha = path.join(PROJECT_ROOT, 'node_modules/mocha/bin/mocha.js');
const args = process.argv.slice(2);
const laneCount = Number(process.env.TEST_LANES ?? 3);
const reporter = process.env.TEST_REPORTER ? ['--reporter', process.env.TEST_REPORTER] : [];

function testFiles(dir = 'test'): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? testFiles(`${dir}/${e.name}`)
        : e.name.endsWith('.test.ts')
          ? [`${dir}/${e.name}`]
          : [],
    );
}

/** The heaviest file first into the lightest lane (longest processing time first). */
function lanesOf(files: string[], count: number): string[][] {
  const weight = (file: string) => WEIGHTS[file] ?? UNKNOWN_WEIGHT;
  const lanes = Array.from({ length: count }, () => ({ files: [] as string[], weight: 0 }));
  for (const file of [...files].sort((a, b) => weight(b) - weight(a))) {
    const lightest = lanes.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(file);
    lightest.weight += weight(file);
  }
  return lanes.filter((l) => l.files.length > 0).map((l) => l.files.sort());
}

const children = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

function runMocha(mochaArgs: string[], env: Record<string, string>, capture: boolean) {
  const child = spawn(process.execPath, [mocha, ...mochaArgs], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number; output: string }>((resolve) => {
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve({ code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function main(): Promise<number> {
  if (args.length > 0 || laneCount <= 1) {
    return (await runMocha(['test/**/*.test.ts', ...reporter, ...args], {}, false)).code;
  }
  const began = Date.now();
  const lanes = lanesOf(testFiles(), laneCount);
  const results = path.join(PROJECT_ROOT, 'test-results');
  // An earlier measured run's files, which this one replaces; a run not measured keeps them.
  for (const name of reporter.length && fs.existsSync(results) ? fs.readdirSync(results) : []) {
    if (/^file-times-lane-\d+\.json$/.test(name)) fs.rmSync(path.join(results, name));
  }
  console.log(
    `  ${lanes.length} lanes of mocha side by side (TEST_LANES=1 for one); each prints as it ends.`,
  );
  const counts = { passing: 0, failing: 0, pending: 0 };
  const codes = await Promise.all(
    lanes.map(async (files, i) => {
      const { code, output } = await runMocha([...reporter, ...files], { TEST_LANE: String(i + 1) }, true);
      process.stdout.write(`\n  ── Lane ${i + 1} of ${lanes.length} (${files.length} files) ──\n${output}`);
      for (const [, n, kind] of output.matchAll(/^ {2}(\d+) (passing|failing|pending)\b/gm)) {
        counts[kind as keyof typeof counts] += Number(n);
      }
      return code;
    }),
  );
  const seconds = Math.round((Date.now() - began) / 1000);
  console.log(`\n  ── All ${lanes.length} lanes, ${Math.floor(seconds / 60)} min ${seconds % 60} s ──\n`);
  console.log(`  ${counts.passing} passing`);
  if (counts.pending) console.log(`  ${counts.pending} pending`);
  if (counts.failing) console.log(`  ${counts.failing} failing`);
  return codes.some((c) => c !== 0) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
