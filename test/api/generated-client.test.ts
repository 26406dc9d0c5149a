import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { PROJECT_ROOT } from '../../src/project-root';
import { MINUTE } from '../helpers/lifecycle-harness';
import { TOKENS, apiHarness, newPerson } from '../helpers/api-harness';

const JOURNEY = path.join(PROJECT_ROOT, 'test/generated-client/journey.ts');
const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
const PROBLEM = 'urn:nhsmail-account-engine:problem:';

/** The journey script's module (its own types are checked in its folder, against the generated ones). */
interface JourneyModule {
  journey(options: {
    baseUrl: string;
    adminToken: string;
    identityPlatformToken: string;
    person: Record<string, unknown>;
    wait: () => Promise<void>;
  }): Promise<{ id: string; problems: string[]; account: Record<string, unknown> }>;
}

describe('API: a client generated from /openapi.json', function () {
  this.timeout(60_000);

  it('Issue 27: openapi-typescript types from the served document pass tsc --strict with a client script, which runs create to canSendEmail telling problems apart by their type URI', async () => {
    // Under the project, so that the script's imports (openapi-fetch) resolve from its node_modules.
    fs.mkdirSync(path.join(PROJECT_ROOT, 'test-results'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, 'test-results', 'generated-client-'));
    const h = await apiHarness();
    const server = http.createServer(h.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await h.run(async () => {
        const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Parameters<
          typeof openapiTS
        >[0];
        fs.writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(document)));
        fs.copyFileSync(JOURNEY, path.join(dir, 'journey.ts'));
        fs.writeFileSync(
          path.join(dir, 'tsconfig.json'),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              noEmit: true,
              target: 'ES2022',
              lib: ['ES2022'],
              module: 'node16',
              moduleResolution: 'node16',
              types: ['node'],
              skipLibCheck: true,
            },
            files: ['journey.ts'],
          }),
        );
        const checked = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
        assert.equal(checked.status, 0, `tsc --strict:\n${checked.stdout}${checked.stderr}`);

        // Loaded as the tests are (tsx's require hook), from the folder it was checked in.
        const { journey } = module.require(path.join(dir, 'journey.ts')) as JourneyModule;
        const person = newPerson();
        const result = await journey({
          baseUrl,
          adminToken: TOKENS.gstt,
          identityPlatformToken: TOKENS.identity,
          person,
          wait: () => h.sleep(30 * MINUTE),
        });
        assert.deepEqual(result.problems, [
          `${PROBLEM}possible-duplicate`,
          `${PROBLEM}duplicate`,
          `${PROBLEM}refused`,
        ]);
        assert.equal(result.account.id, result.id);
        assert.equal(result.account.status, 'Active');
        assert.equal(result.account.canSendEmail, true);
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
