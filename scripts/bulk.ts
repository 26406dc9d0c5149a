import fs from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';

/**
 * `npm run bulk -- validate FILE --org RJ1` and `npm run bulk -- create FILE --org RJ1 [--out results.csv]`:
 * R31 from a script, through the API (NHSMAIL_API_URL, default http://localhost:3000) with the bearer
 * token in NHSMAIL_TOKEN. Exits 1 when any line has an error or was not created, 2 when it cannot run.
 * `npm run bulk -- confirm UPLOAD_ID`: the results file with the passwords is saved; they are deleted (R13).
 */
const USAGE =
  'usage: npm run bulk -- validate|create FILE --org CODE [--out results.csv]\n' +
  '       npm run bulk -- confirm UPLOAD_ID';

interface Progress {
  id: string;
  status: 'Running' | 'Completed' | 'Cancelled';
  rows: number;
  created: number;
  failed: number;
  remaining: number;
}

async function main(argv: string[]): Promise<number> {
  const [mode, file, ...rest] = argv;
  const org = option(rest, '--org');
  const out = option(rest, '--out');
  const token = process.env.NHSMAIL_TOKEN;
  const confirming = mode === 'confirm' && !!file;
  if (!confirming && ((mode !== 'validate' && mode !== 'create') || !file || !org)) return fail(USAGE);
  if (!token) return fail('Set NHSMAIL_TOKEN to your bearer token.');
  const api = (process.env.NHSMAIL_API_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const headers = { Authorization: `Bearer ${token}` };
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${api}${path}`, { ...init, headers: { ...headers, ...init.headers } });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as {
        detail?: string;
        errors?: { path: string; message: string }[];
      };
      const details = (problem.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
      throw new Error(`${res.status} ${problem.detail ?? res.statusText}${details}`);
    }
    return res;
  };

  if (confirming) {
    const posted = await call(`/v1/bulk-uploads/${encodeURIComponent(file)}/passwords/confirm`, {
      method: 'POST',
    });
    const { passwordsDeleted } = (await posted.json()) as { passwordsDeleted: number };
    console.log(`Upload ${file}: ${passwordsDeleted} temporary passwords deleted from the engine`);
    return 0;
  }

  const body = fs.readFileSync(file!);
  const query = `organisation=${encodeURIComponent(org!)}&mode=${mode}`;
  const posted = await call(`/v1/bulk-uploads?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv' },
    body,
  });
  if (mode === 'validate') {
    const result = (await posted.json()) as {
      rows: number;
      valid: number;
      invalid: number;
      errors: { line: number; path: string; message: string }[];
    };
    for (const e of result.errors) console.log(`line ${e.line}, ${e.path}: ${e.message}`);
    console.log(`${result.rows} rows: ${result.valid} valid, ${result.invalid} with errors`);
    return result.invalid > 0 ? 1 : 0;
  }

  let progress = (await posted.json()) as Progress;
  console.log(`Upload ${progress.id} started`);
  const bar = new SingleBar(
    { format: '{bar} {value}/{total} lines | {created} created, {failed} failed, {remaining} remaining' },
    Presets.shades_classic,
  );
  const values = (p: Progress) => ({ created: p.created, failed: p.failed, remaining: p.remaining });
  bar.start(progress.rows, progress.created + progress.failed, values(progress));
  while (progress.status === 'Running') {
    await new Promise((r) => setTimeout(r, 1000));
    progress = (await (await call(`/v1/bulk-uploads/${progress.id}`)).json()) as Progress;
    bar.update(progress.created + progress.failed, values(progress));
  }
  bar.stop();
  console.log(
    `Upload ${progress.id} ${progress.status}: ${progress.created} created, ${progress.failed} failed`,
  );
  if (out) {
    const results = await (await call(`/v1/bulk-uploads/${progress.id}/results.csv`)).text();
    fs.writeFileSync(out, results, { mode: 0o600 });
    console.log(`Results written to ${out}`);
    if (results.slice(0, results.indexOf('\n')).includes('TemporaryPassword')) {
      console.log(
        'It carries the temporary passwords, kept by the engine until you confirm the file is saved: ' +
          `once it is stored safely, run: npm run bulk -- confirm ${progress.id}`,
      );
    }
  }
  return progress.failed > 0 || progress.status !== 'Completed' ? 1 : 0;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(2);
  },
);
