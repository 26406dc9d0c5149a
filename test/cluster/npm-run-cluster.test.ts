import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../src/project-root';
import { searchAttributes } from '../../temporal-config/search-attributes';
import { freePortBlock } from '../../scripts/chaos/stack';
import { freePort } from '../helpers/free-port';
import { POSTGRES_HELP, postgresBinaries } from '../helpers/throwaway-postgres';
import { loadTemporalConfig } from '../../temporal-config';
import { SERVER_HELP, serverCacheEntry } from '../../src/servers/cluster/server-binaries';
import { commandWorks, isExecutableFile } from '../../src/servers/tools';

/** Every process whose command line names `folder`: what the cluster started there. */
function processesIn(folder: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function listensOn(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run cluster (issue 26)', function () {
  this.timeout(1_200_000); // the first run on a machine builds the Temporal server (minutes)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-run-cluster-'));
  const clusterDir = path.join(dir, 'cluster');
  let child: ChildProcess | undefined;
  let output = '';

  before(function () {
    const cached = path.join(serverCacheEntry(loadTemporalConfig().tools.cacheDir), 'temporal-server');
    const missing = !postgresBinaries()
      ? POSTGRES_HELP
      : !isExecutableFile(cached) && !commandWorks('go', ['version'])
        ? SERVER_HELP
        : undefined;
    if (missing) {
      if (process.env.CI) throw new Error(missing);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    if (process.getuid?.() === 0) fs.chmodSync(dir, 0o711);
  });

  after(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    for (const pid of processesIn(clusterDir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Operations: starts PostgreSQL, frontend, history, matching and the internal worker as processes of their own on loopback, registers the namespace and the search attributes, prints TEMPORAL_ADDRESS; SIGTERM stops every one', async () => {
    const [base, postgresPort] = [await freePortBlock(), await freePort()];
    child = spawn(process.execPath, ['--require', 'tsx/cjs', 'scripts/cluster.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TEMPORAL_CLUSTER_PORT: String(base),
        TEMPORAL_CLUSTER_POSTGRES_PORT: String(postgresPort),
        TEMPORAL_CLUSTER_DIR: clusterDir,
        TEMPORAL_CLUSTER_RETENTION: '1d',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const ready = /ready: TEMPORAL_ADDRESS=(\S+)/.exec(output);
        if (ready) {
          clearInterval(timer);
          resolve(ready[1]!);
        } else if (child!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`npm run cluster exited:\n${output}`));
        }
      }, 250);
    });
    assert.equal(address, `127.0.0.1:${base}`);

    const started = processesIn(clusterDir);
    const services = started.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    for (const service of ['frontend', 'history', 'matching', 'worker']) {
      assert.equal(
        services.filter((args) => args.includes('--service') && args.includes(service)).length,
        1,
        `one ${service} process, in:\n${services.map((a) => a.join(' ')).join('\n')}`,
      );
    }
    assert.ok(
      services.some((args) => args[0]!.endsWith('/postgres')),
      'its PostgreSQL',
    );
    // gRPC of frontend, history and matching; the internal worker serves none, only its membership port.
    for (const port of [base, base + 1, base + 2, base + 13, postgresPort]) {
      assert.ok(await listensOn('127.0.0.1', port), `127.0.0.1:${port} answers`);
    }

    const connection = await Connection.connect({ address });
    try {
      const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(Number(namespace.config?.workflowExecutionRetentionTtl?.seconds), 86_400);
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      for (const key of searchAttributes) assert.ok(key.name in (customAttributes ?? {}), key.name);
    } finally {
      await connection.close();
    }

    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.deepEqual(processesIn(clusterDir), [], 'nothing it started is left running');
  });

  it("Security: the database password is never printed, the files holding it are the owner's only, and what it prints for DATABASE_URL reads the file", () => {
    const passwordFile = path.join(clusterDir, 'postgres', 'password');
    const password = fs.readFileSync(passwordFile, 'utf8').trim();
    assert.ok(password.length >= 32);
    assert.ok(!output.includes(password), 'the password is not in the output');
    assert.match(
      output,
      new RegExp(
        `DATABASE_URL="postgresql://postgres:\\$\\(cat ${passwordFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)@127\\.0\\.0\\.1:`,
      ),
    );
    for (const service of ['frontend', 'history', 'matching', 'worker']) {
      const file = path.join(clusterDir, 'config', service, 'cluster.yaml');
      assert.ok(fs.readFileSync(file, 'utf8').includes(password), `${file} holds the password`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, file);
    }
    assert.equal(fs.statSync(passwordFile).mode & 0o777, 0o600);
    for (const log of fs.readdirSync(path.join(clusterDir, 'logs'))) {
      const text = fs.readFileSync(path.join(clusterDir, 'logs', log), 'utf8');
      assert.ok(!text.includes(password), `${log} does not hold the password`);
    }
  });
});
