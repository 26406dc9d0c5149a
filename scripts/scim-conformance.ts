import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/project-root';
import { startEngineProcess } from './engine-process';
import { pythonCli } from './python-cli';

/**
 * `npm run scim-conformance` (R33): scim2-tester (https://scim2-tester.readthedocs.io), through scim2-cli's
 * `scim test`, against the running engine's /scim/v2 as the demo SCIM client of RJ1. Starts the embedded
 * engine (`npm start`'s, built) on free ports with its data in a temporary folder, runs every check, stops
 * the engine and exits non-zero on any check that is not a success.
 *
 * scim2-tester fills attributes with random values, or with an attribute's canonical values where it has
 * some. A random phone number is rarely a valid one (R7), and a mobile is unique (R12): the tester is
 * given the engine's schemas (`scim --schemas`) with 10,000 distinct UK mobiles as the examples of
 * `phoneNumbers.value`, as schemathesis is given the ids it may use (schemathesis.toml). Nothing else is
 * changed: every other value it sends is its own.
 */
const TOKEN = 'dev-scim-client-gstt-0006';

async function main(): Promise<number> {
  const found = pythonCli(process.env.SCIM_CLI ?? 'scim', 'scim2_cli', '--help');
  if (!found) {
    console.error('scim2-cli not found: pip install scim2-cli==0.6.0 scim2-tester==0.5.2');
    return 2;
  }
  const [scim, ...scimArgs] = found;
  const engine = await startEngineProcess('scim-', {
    RATE_LIMIT_SCIM_PER_MINUTE: '1000000',
    // Accounts become Active in seconds, as in npm run fuzz.
    POLICY_MAILBOX_FIRST_POLL_AFTER: '1s',
    POLICY_POLL_INTERVAL: '1s',
    POLICY_POLL_MAX_INTERVAL: '2s',
    SIM_MAILBOX_DELAY: '2s',
    POLICY_SYNC_FIRST_POLL_AFTER: '1s',
    SIM_SYNC_DELAY: '2s',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void engine.stop().finally(() => process.exit(130)));
  }
  try {
    const url = `${engine.apiUrl}/scim/v2`;
    const schemasFile = await schemasWithPhones(url);
    console.log(`scim test against ${url}`);
    const started = Date.now();
    const { status, output } = await run(
      scim,
      [...scimArgs, '--url', url, '--schemas', schemasFile, 'test', ...process.argv.slice(2)],
      {
        // The token in the environment, not on the command line (scim --help).
        SCIM_CLI_HEADERS: `Authorization: Bearer ${TOKEN}`,
      },
    );
    const results = resultsOf(output);
    const failed = results.filter((r) => r.status !== 'SUCCESS');
    const succeeded = results.length - failed.length;
    for (const r of failed) console.log(`not a success: ${r.status} ${r.title}: ${r.reason}`);
    // Fails on any check not a success, on no result at all, or on scim test's own failure.
    const exit = failed.length > 0 || succeeded === 0 || status !== 0 ? 1 : 0;
    console.log(
      `scim-conformance: ${results.length} checks, ${succeeded} succeeded, ${failed.length} failed; exit ${exit} ` +
        `after ${Math.round((Date.now() - started) / 1000)} s`,
    );
    return exit;
  } finally {
    await engine.stop();
  }
}

/** The engine's schemas, with distinct valid UK mobiles as the examples of phoneNumbers.value. */
async function schemasWithPhones(url: string): Promise<string> {
  const res = await fetch(`${url}/Schemas`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET /Schemas answered ${res.status}`);
  type Attribute = { name: string; subAttributes?: Attribute[]; canonicalValues?: string[] };
  const schemas = ((await res.json()) as { Resources: { attributes: Attribute[] }[] }).Resources;
  const phones = schemas.flatMap((s) => s.attributes).find((a) => a.name === 'phoneNumbers');
  const value = phones?.subAttributes?.find((a) => a.name === 'value');
  if (!value) throw new Error('the User schema has no phoneNumbers.value');
  value.canonicalValues = Array.from({ length: 10_000 }, (_, i) => `+4474008${String(10_000 + i).slice(-5)}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scim-schemas-')), 'schemas.json');
  fs.writeFileSync(file, JSON.stringify(schemas));
  return file;
}

interface CheckResult {
  status: string;
  title: string;
  reason: string;
}

/** scim test's results: a line "STATUS title", then the reason, indented. */
function resultsOf(output: string): CheckResult[] {
  const results: CheckResult[] = [];
  // eslint-disable-next-line no-control-regex -- scim test colours the status
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const head = /^(SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED) (\S+)$/.exec(line);
    if (head) results.push({ status: head[1]!, title: head[2]!, reason: '' });
    else if (results.length > 0 && line.startsWith('  ')) {
      const last = results[results.length - 1]!;
      last.reason = last.reason ? `${last.reason} ${line.trim()}` : line.trim();
    }
  }
  return results;
}

/** Runs the command, its output shown as it comes and kept. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: PROJECT_ROOT,
      stdio: ['inherit', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output }));
  });
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
