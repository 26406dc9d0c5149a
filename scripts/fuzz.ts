import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { startEngineProcess, type EngineProcess } from './engine-process';
import { pythonCli } from './python-cli';

/**
 * `npm run fuzz`: schemathesis (https://schemathesis.readthedocs.io) against the running engine. Starts the
 * embedded engine (`npm start`'s Temporal dev server, worker and API, built) on free ports with
 * its data in a temporary folder, runs `st run` over /openapi.json with every check (schemathesis.toml
 * holds the tokens and the settings), stops the engine and exits with schemathesis's status: any failure
 * fails the run.
 *
 * FUZZ_MAX_EXAMPLES (default 25) bounds the cases of each operation in each phase, FUZZ_MAX_TIME (default
 * 210 s) the whole run; the settings of the checks are in schemathesis.toml. Extra arguments go to `st run`.
 */
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? '25';
const MAX_TIME = process.env.FUZZ_MAX_TIME ?? '210';
const REPORT_DIR = path.join(PROJECT_ROOT, 'test-results/schemathesis');
/** The dictionaries schemathesis.toml draws path ids from. */
const DICTIONARIES = { accounts: 'accounts.dict', uploads: 'uploads.dict' };
const ADMIN = { Authorization: 'Bearer dev-national-admin-0004' };

/**
 * Accounts in several organisations, Active, one of them a leaver, and a finished bulk upload, so that
 * most requests to /v1/accounts/{id}/... and /v1/bulk-uploads/{id} reach an account or an upload rather
 * than 404: schemathesis draws the ids from the dictionaries written here (see schemathesis.toml).
 */
async function seed(apiUrl: string): Promise<{ accounts: string[]; uploads: string[] }> {
  const call = async (method: string, url: string, body?: string, type = 'application/json') => {
    const res = await fetch(`${apiUrl}${url}`, {
      method,
      headers: { ...ADMIN, ...(body === undefined ? {} : { 'Content-Type': type }) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const people = [
    ['Fuzz', 'Alpha', 'RJ1', '07400 900001'],
    ['Fuzz', 'Bravo', 'RJ1', '07400 900002'],
    ['Fuzz', 'Charlie', 'RRV', '07400 900003'],
    ['Fuzz', 'Delta', 'R0A', '07400 900004'],
    ['Fuzz', 'Echo', 'FH542', '07400 900005'],
    ['Fuzz', 'Foxtrot', 'RJ1', undefined],
  ] as const;
  const accounts: string[] = [];
  for (const [firstName, lastName, organisation, mobile] of people) {
    const created = await call(
      'POST',
      '/v1/accounts',
      JSON.stringify({ title: 'Dr', firstName, lastName, emailAlias: 'nhs.net', organisation, mobile }),
    );
    if (created.status !== 201) throw new Error(`seeding: create answered ${created.status}`);
    accounts.push(created.body.id as string);
  }
  const until = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 90_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`seeding: ${what} did not happen within 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  for (const id of accounts) {
    await until(`${id} Active`, async () => {
      const account = await call('GET', `/v1/accounts/${id}`);
      return account.body.status === 'Active';
    });
  }
  const leaver = await call('POST', `/v1/accounts/${accounts[1]}/leaver`);
  if (leaver.status !== 200) throw new Error(`seeding: leaver answered ${leaver.status}`);
  const sample = await (await fetch(`${apiUrl}/v1/bulk-uploads/sample.csv`, { headers: ADMIN })).text();
  const upload = await call('POST', '/v1/bulk-uploads?organisation=RJ1&mode=create', sample, 'text/csv');
  if (upload.status !== 202) throw new Error(`seeding: bulk upload answered ${upload.status}`);
  const uploads = [upload.body.id as string];
  await until('the bulk upload finished', async () => {
    const progress = await call('GET', `/v1/bulk-uploads/${uploads[0]}`);
    return progress.body.status === 'Completed';
  });
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const dictionary = (values: string[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n';
  fs.writeFileSync(path.join(REPORT_DIR, DICTIONARIES.accounts), dictionary(accounts));
  fs.writeFileSync(path.join(REPORT_DIR, DICTIONARIES.uploads), dictionary(uploads));
  return { accounts, uploads };
}

async function main(): Promise<number> {
  const found = pythonCli(process.env.SCHEMATHESIS ?? 'st', 'schemathesis.cli', '--version');
  if (!found) {
    console.error('schemathesis not found: pip install schemathesis==4.32.5');
    return 2;
  }
  const [st, ...stArgs] = found;
  const version = spawnSync(st, [...stArgs, '--version'], { encoding: 'utf8' }).stdout.trim();
  const engine = await startEngine();
  // Stopped by CI's timeout or Ctrl-C: the engine and its dev server are stopped too, not left running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void engine.stop().finally(() => process.exit(130)));
  }
  try {
    const seeded = await seed(engine.apiUrl);
    console.log(
      `seeded ${seeded.accounts.length} accounts and ${seeded.uploads.length} bulk upload for the path ids`,
    );
    const before = await requestsServed(engine.apiUrl);
    const started = Date.now();
    console.log(`${version} against ${engine.apiUrl}`);
    const status = await run(st, [
      ...stArgs,
      'run',
      `${engine.apiUrl}/openapi.json`,
      '--checks',
      'all',
      '--max-examples',
      MAX_EXAMPLES,
      '--max-time',
      MAX_TIME,
      // One worker: with two, schemathesis's threads parse Python source at once and CPython 3.11.7 fails
      // with "AST constructor recursion depth mismatch" (python/cpython#106905), an error of the run.
      '--workers',
      '1',
      '--seed',
      process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31)),
      '--report',
      'junit',
      '--report-dir',
      REPORT_DIR,
      '--no-color',
      ...process.argv.slice(2),
    ]);
    const seconds = Math.round((Date.now() - started) / 1000);
    const after = await requestsServed(engine.apiUrl);
    const served = Object.entries(after)
      .map(([s, n]) => [s, n - (before[s] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    const total = served.reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `schemathesis: exit ${status} after ${seconds} s; the API answered ${total} requests: ` +
        served.map(([s, n]) => `${n} ${s}`).join(', '),
    );
    return status;
  } finally {
    await engine.stop();
  }
}

/** The requests the API has answered, by status class, from its own metrics (GET /metrics, loopback). */
async function requestsServed(apiUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const served: Record<string, number> = {};
  for (const [, status, count] of text.matchAll(
    /^nhsmail_http_request_duration_seconds_count\{[^}]*status="(\d)\d\d"[^}]*\} (\d+)$/gm,
  )) {
    served[`${status}xx`] = (served[`${status}xx`] ?? 0) + Number(count);
  }
  return served;
}

/** The engine in a process of its own, set up for fuzzing. */
function startEngine(): Promise<EngineProcess> {
  return startEngineProcess('fuzz-', {
    // One principal makes thousands of requests, and schemathesis's ignored_auth check sends bad tokens
    // on purpose: the limits (tested in test/api/rate-limits.test.ts) are raised out of the way.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_FAILURES: '1000000',
    // Seeded accounts become Active in seconds (as in npm run chaos), so that their changes can be fuzzed.
    POLICY_MAILBOX_FIRST_POLL_AFTER: '1s',
    POLICY_POLL_INTERVAL: '1s',
    POLICY_POLL_MAX_INTERVAL: '2s',
    SIM_MAILBOX_DELAY: '2s',
    POLICY_SYNC_FIRST_POLL_AFTER: '1s',
    SIM_SYNC_DELAY: '2s',
  });
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
