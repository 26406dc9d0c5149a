import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Log } from '../tools';

export const POSTGRES_HELP =
  'PostgreSQL 15 binaries are needed (Debian: apt-get install -y postgresql), or set PG_BIN to the ' +
  'folder holding initdb and postgres, or give the cluster a server of yours in TEMPORAL_DATABASE_URL.';

/** The folder of initdb and postgres: PG_BIN, else Debian's newest, else pg_config's; undefined if none. */
export function postgresBinaries(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

/** initdb refuses root: then the server runs as the `postgres` user the Debian package creates. */
export function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, and initdb refuses root: create a non-root "postgres" user (the postgresql package does).',
    );
  }
}

/**
 * A PostgreSQL server of the cluster's own: its data in `folder` (kept across restarts), listening on
 * loopback only, with password (SCRAM) authentication for the superuser `postgres`; the password is
 * generated once and kept in `folder/password` (0600), never printed. It can be crashed (`crash`, an
 * immediate shutdown: recovery at the next start) and started again on the same data. Not `durable` (no
 * fsync, no synchronous commit: faster) only where nothing must survive a crash of it.
 */
export class PostgresServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stderr = '';

  constructor(
    readonly folder: string,
    readonly port: number,
    private readonly log: Log,
    private readonly options: { durable?: boolean } = {},
  ) {}

  get passwordFile(): string {
    return path.join(this.folder, 'password');
  }

  get password(): string {
    return fs.readFileSync(this.passwordFile, 'utf8').trim();
  }

  /** A connection URL to `database` as the superuser. */
  url(database = 'postgres'): string {
    return `postgresql://postgres:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  /** The postmaster's process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child!.pid : undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const bin = postgresBinaries();
    if (!bin) throw new Error(POSTGRES_HELP);
    const user = serverUser();
    const data = path.join(this.folder, 'data');
    const asServer = { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } };
    if (!fs.existsSync(path.join(data, 'PG_VERSION'))) this.initdb(bin, data, user, asServer);
    const durability = this.options.durable
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    const child = spawn(
      path.join(bin, 'postgres'),
      [
        ...['-D', data, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1'],
        ...['-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...durability],
      ],
      { ...asServer, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    this.stderr = '';
    child.stderr!.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)),
    );
    // Never outlive this process, however it ends.
    const killOnExit = () => child.kill('SIGQUIT');
    process.once('exit', killOnExit);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        process.removeListener('exit', killOnExit);
        resolve();
      }),
    );
    await this.waitUntilAccepting();
  }

  /** A crash: immediate shutdown (SIGQUIT), no checkpoint; the next start recovers from the WAL. */
  async crash(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGQUIT');
    await this.exited;
  }

  /** A clean stop: fast shutdown (SIGINT), then an immediate one if it is still up 10 s later. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGINT');
    const timer = setTimeout(() => this.child?.kill('SIGQUIT'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** For an exit that cannot wait. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGQUIT');
  }

  /** Creates `database` owned by the superuser unless it exists. */
  async ensureDatabase(database: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  }

  private initdb(
    bin: string,
    data: string,
    user: { uid: number; gid: number } | undefined,
    asServer: object,
  ): void {
    this.log(`creating a PostgreSQL database cluster in ${data}`);
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const pwfile = this.passwordFile;
    if (!fs.existsSync(pwfile))
      fs.writeFileSync(pwfile, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
    // initdb reads the password as the server's user: a copy it owns, removed once read.
    const initPw = path.join(this.folder, 'initdb-password');
    fs.copyFileSync(pwfile, initPw);
    if (user) {
      fs.chownSync(this.folder, user.uid, user.gid);
      fs.chownSync(initPw, user.uid, user.gid);
    }
    try {
      const result = spawnSync(
        path.join(bin, 'initdb'),
        [
          ...['-D', data, '-U', 'postgres', '--pwfile', initPw],
          ...['--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C'],
          ...(this.options.durable ? [] : ['--no-sync']),
        ],
        { ...asServer, encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.error?.message}`);
    } finally {
      fs.rmSync(initPw, { force: true });
    }
  }

  private async waitUntilAccepting(): Promise<void> {
    let gone = false;
    void this.exited.then(() => (gone = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const client = new pg.Client({ connectionString: this.url() });
      try {
        await client.connect();
        await client.end();
        return;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (gone) throw new Error(`postgres exited at start: ${this.stderr}`, { cause: err });
        if (Date.now() > deadline)
          throw new Error(`postgres did not start: ${(err as Error).message}\n${this.stderr}`, {
            cause: err,
          });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
