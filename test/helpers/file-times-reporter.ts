import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } =
  Mocha.Runner.constants;

interface FileTime {
  file: string;
  ms: number;
  /** CPU time of this process and every process under it (test servers, engines, browsers). */
  cpuMs: number;
  tests: number;
  slowest: { title: string; ms: number }[];
}

/**
 * Mocha's spec reporter, then where the time went: each file's wall time (its hooks included, which the
 * per-test durations leave out) and its slowest tests, printed and written to test-results/file-times.json
 * (file-times-lane-N.json for each lane of `npm test`): `TEST_REPORTER=test/helpers/file-times-reporter.ts npm test`.
 */
class FileTimesReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const began = Date.now();
    const files = new Map<string, FileTime>();
    const opened = new Map<Mocha.Suite, { at: number; cpu: number }>();
    const entry = (file: string | undefined): FileTime => {
      const name = file ? path.relative(process.cwd(), file) : '(no file)';
      let time = files.get(name);
      if (!time) files.set(name, (time = { file: name, ms: 0, cpuMs: 0, tests: 0, slowest: [] }));
      return time;
    };
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.parent?.root) opened.set(suite, { at: Date.now(), cpu: treeCpuMs() });
    });
    runner.on(EVENT_SUITE_END, (suite: Mocha.Suite) => {
      const since = opened.get(suite);
      if (since === undefined) return;
      const time = entry(suite.file);
      time.ms += Date.now() - since.at;
      time.cpuMs += treeCpuMs() - since.cpu;
    });
    const tested = (test: Mocha.Test) => {
      const time = entry(test.file);
      time.tests++;
      time.slowest.push({ title: test.fullTitle(), ms: test.duration ?? 0 });
    };
    runner.on(EVENT_TEST_PASS, tested);
    runner.on(EVENT_TEST_FAIL, tested);
    runner.once(EVENT_RUN_END, () => {
      const all = [...files.values()].sort((a, b) => b.ms - a.ms);
      for (const f of all) f.slowest = f.slowest.sort((a, b) => b.ms - a.ms).slice(0, 5);
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
      console.log('\n  Time by file (hooks included):');
      for (const f of all) {
        console.log(`  ${s(f.ms)}  ${s(f.cpuMs)} CPU  ${String(f.tests).padStart(3)} tests  ${f.file}`);
      }
      const tests = all.flatMap((f) => f.slowest).sort((a, b) => b.ms - a.ms);
      console.log('\n  Slowest tests:');
      for (const t of tests.slice(0, 25)) console.log(`  ${s(t.ms)}  ${t.title}`);
      console.log(`\n  Whole run: ${s(Date.now() - began).trim()}`);
      mkdirSync('test-results', { recursive: true });
      writeFileSync(
        `test-results/file-times${process.env.TEST_LANE ? `-lane-${process.env.TEST_LANE}` : ''}.json`,
        JSON.stringify({ wallMs: Date.now() - began, files: all }, null, 2),
      );
    });
  }
}

const TICKS_PER_MS = 100 / 1000;

/** Linux only: CPU used so far by this process and all under it, the ended ones included (cutime, cstime). */
function treeCpuMs(): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // After the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state as 0.
      stats.set(Number(name), {
        ppid: Number(f[1]),
        ticks: [11, 12, 13, 14].reduce((t, i) => t + Number(f[i]), 0),
      });
    } catch {
      // ended while read
    }
  }
  let ticks = 0;
  for (const [pid, stat] of stats) {
    for (let p: number | undefined = pid; p; p = stats.get(p)?.ppid) {
      if (p === process.pid) {
        ticks += stat.ticks;
        break;
      }
    }
  }
  return ticks / TICKS_PER_MS;
}

export = FileTimesReporter;
