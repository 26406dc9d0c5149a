import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresBinaries, serverUser } from '../../src/servers/cluster/postgres-server';
import { freePort } from './free-port';

export { postgresBinaries };

export const POSTGRES_HELP =
  'PostgreSQL 15 is needed for the PostgreSQL tests and benchmarks: apt-get install -y postgresql ' +
  '(Debian), or set PG_BIN to the folder holding initdb and postgres.';

/** A PostgreSQL server of its own, in a temporary folder, on a free loopback port, with nothing to keep. */
export interface ThrowawayPostgres {
  /** A new empty database on it, as a connection URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * initdb into a temporary folder and start `postgres` on a free port (loopback only, trust
 * authentication, no fsync: nothing here outlives the run). The server is also stopped if this process
 * exits without calling stop().
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(POSTGRES_HELP);
  const user = serverUser();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'throwaway-postgres-'));
  const data = path.join(folder, 'data');
  if (user) fs.chownSync(folder, user.uid, user.gid);
  const asServer = { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } };

  const initdb = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...asServer, encoding: 'utf8' },
  );
  if (initdb.status !== 0) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw new Error(`initdb failed: ${initdb.stderr || initdb.error?.message}`);
  }

  const port = await freePort();
  const server: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    [
      ...['-D', data, '-p', String(port), '-k', folder],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
      ...['-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    ],
    { ...asServer, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const killOnExit = () => {
    server.kill('SIGQUIT');
    fs.rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (server.exitCode === null && server.signalCode === null) {
        // Smart shutdown lets connections a pool is still closing finish; then fast shutdown ends any left.
        server.kill('SIGTERM');
        const fast = setTimeout(() => server.kill('SIGINT'), 2000);
        await exited;
        clearTimeout(fast);
      }
      fs.rmSync(folder, { recursive: true, force: true });
      process.removeListener('exit', killOnExit);
    })());

  const admin = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAccepting(admin, exited, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  let databases = 0;
  return {
    async createDatabase() {
      const name = `test_${++databases}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

async function waitUntilAccepting(url: string, exited: Promise<void>, log: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (gone) throw new Error(`postgres exited at start: ${log()}`, { cause: err });
      if (Date.now() > deadline)
        throw new Error(`postgres did not start: ${(err as Error).message}\n${log()}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
