import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PROJECT_ROOT } from '../../src/project-root';
import { TOKENS, apiHarness } from '../helpers/api-harness';
import { freePort } from '../helpers/free-port';
import { csv, line } from './bulk-helpers';

/** `npm run bulk -- ...` as a script runs it: its exit code and what it printed. */
function bulkCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bulk.ts'), ...args],
      { env: { ...process.env, ...env }, cwd: PROJECT_ROOT, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 99) : 0;
        resolve({ code: typeof code === 'number' ? code : 99, out: stdout + stderr });
      },
    );
  });
}

describe('R31: npm run bulk, the command line for scripts', () => {
  it('R31: validate exits 1 naming each line and column at fault; create exits 0 and writes the results file with the addresses and passwords; confirm deletes the passwords', async () => {
    const h = await apiHarness();
    const port = await freePort();
    const server = await new Promise<http.Server>((resolve) => {
      const s = h.app.listen(port, '127.0.0.1', () => resolve(s));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-cli-'));
    try {
      await h.run(async () => {
        const env = { NHSMAIL_TOKEN: TOKENS.gstt, NHSMAIL_API_URL: `http://127.0.0.1:${port}` };
        const bad = path.join(dir, 'bad.csv');
        fs.writeFileSync(bad, csv([line(), line({ Title: '', Mobile: 'not a number' })]));
        const validated = await bulkCli(['validate', bad, '--org', 'RJ1'], env);
        assert.equal(validated.code, 1, validated.out);
        assert.match(validated.out, /line 3, Title: Title is required/);
        assert.match(validated.out, /line 3, Mobile: /);
        assert.match(validated.out, /2 rows: 1 valid, 1 with errors/);

        const unauthorised = await bulkCli(['validate', bad, '--org', 'RJ1'], {
          ...env,
          NHSMAIL_TOKEN: 'nope',
        });
        assert.equal(unauthorised.code, 2, unauthorised.out);
        assert.match(unauthorised.out, /^401 /m);

        const good = path.join(dir, 'good.csv');
        const out = path.join(dir, 'results.csv');
        fs.writeFileSync(good, csv([line({ LastName: 'Cliuser' }), line({ LastName: 'Clitwo' })]));
        const created = await bulkCli(['create', good, '--org', 'RJ1', '--out', out], env);
        assert.equal(created.code, 0, created.out);
        assert.match(created.out, /Completed: 2 created, 0 failed/);
        const results = parse(fs.readFileSync(out), { columns: true }) as Record<string, string>[];
        assert.deepEqual(
          results.map((r) => r.Result),
          ['bulka.cliuser@nhs.net', 'bulka.clitwo@nhs.net'],
        );
        assert.ok(
          results.every((r) => (r.TemporaryPassword ?? '').length >= 12),
          'the passwords, once',
        );
        assert.equal(fs.statSync(out).mode & 0o777, 0o600, 'the results file is readable by its owner only');

        const id = /run: npm run bulk -- confirm (RJ1-\w+)/.exec(created.out)?.[1];
        assert.ok(id, `the way to confirm the passwords saved is told: ${created.out}`);
        const confirmed = await bulkCli(['confirm', id], env);
        assert.equal(confirmed.code, 0, confirmed.out);
        assert.match(confirmed.out, new RegExp(`Upload ${id}: 2 temporary passwords deleted`));
        assert.equal(
          (await h.bulkUploads.heldPasswords(id)).valueOf(),
          0,
          'Security 13: gone once confirmed',
        );
      });
    } finally {
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
