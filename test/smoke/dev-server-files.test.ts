import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadTemporalConfig } from '../../temporal-config';
import { startDevServer } from '../../src/servers/dev-server';
import { freePort } from '../helpers/free-port';

describe("Smoke: the dev server's files", () => {
  let dataDir: string;
  let server: TestWorkflowEnvironment | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-server-files-'));
  });
  afterEach(async () => {
    await server?.teardown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The database and SQLite's files beside it, with their permission bits. */
  const modes = (dbFile: string) =>
    Object.fromEntries(
      fs
        .readdirSync(path.dirname(dbFile))
        .filter((name) => name.startsWith(path.basename(dbFile)))
        .map((name) => [name, (fs.statSync(path.join(path.dirname(dbFile), name)).mode & 0o777).toString(8)]),
    );

  it('Security 11: temporal.sqlite (and any SQLite journal beside it) is owner-only (0600), new or kept from an earlier run at 0644', async () => {
    const config = loadTemporalConfig({
      ...process.env,
      DATA_DIR: dataDir,
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    });
    const { dbFile } = config.devServer;
    server = await startDevServer(config, () => {});
    const created = modes(dbFile);
    assert.ok(created[path.basename(dbFile)], `the database is there: ${JSON.stringify(created)}`);
    assert.deepEqual(
      Object.values(created).filter((mode) => mode !== '600'),
      [],
      `a new database: ${JSON.stringify(created)}`,
    );
    await server.teardown();
    server = undefined;

    for (const name of Object.keys(modes(dbFile))) fs.chmodSync(path.join(dataDir, name), 0o644);
    server = await startDevServer(config, () => {});
    const kept = modes(dbFile);
    assert.deepEqual(
      Object.values(kept).filter((mode) => mode !== '600'),
      [],
      `a database of an earlier run: ${JSON.stringify(kept)}`,
    );
    assert.equal((fs.statSync(dataDir).mode & 0o777).toString(8), '700', 'its folder is owner-only');
  });
});
