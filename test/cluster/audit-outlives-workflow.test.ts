import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { startStack, type Stack } from '../../scripts/chaos/stack';
import { PROJECT_ROOT } from '../../src/project-root';
import { SERVER_HELP, serverCacheEntry } from '../../src/servers/cluster/server-binaries';
import { commandWorks, isExecutableFile } from '../../src/servers/tools';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { loadTemporalConfig } from '../../temporal-config';
import { POSTGRES_HELP, postgresBinaries } from '../helpers/throwaway-postgres';

const ADMIN = { Authorization: 'Bearer dev-local-admin-gstt-0001' };
const NATIONAL = { Authorization: 'Bearer dev-national-admin-0004' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's answers, checked field by field
type Json = any;

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? await res.json() : null,
  };
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('The audit trail outlives the workflow, on a cluster (issue 26, R2)', function () {
  this.timeout(1_200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-retention-'));
  let stack: Stack | undefined;

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
    // The stack runs the engine as it is deployed: the built files.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  });

  after(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("R2: with the namespace's retention at its minimum (1 day), a deleted account's history is read in full from the audit store after its closed workflow's history is deleted", async () => {
    const log = (message: string) => void fs.appendFileSync(path.join(dir, 'stack.log'), `${message}\n`);
    stack = await startStack(dir, log, {
      cluster: true,
      retention: '1d',
      // A leaver not accepted is deleted when the window ends, and closed for good when the restore window does.
      engineEnv: { POLICY_LEAVER_WINDOW: '3s', POLICY_RESTORE_WINDOW: '3s' },
    });
    const api = stack.apiUrls[0]!;
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection });
    try {
      const namespace = await connection.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(
        Number(namespace.config?.workflowExecutionRetentionTtl?.seconds),
        86_400,
        'retention: 1 day',
      );

      const created = await call(`${api}/v1/accounts`, {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify({
          title: 'Dr',
          firstName: 'Rita',
          lastName: 'Retention',
          mobile: '07400123456',
          jobTitle: 'Staff Nurse',
          emailAlias: 'nhs.net',
          organisation: 'RJ1',
          organisationalUnit: 'RJ1-CARD-CCU',
          site: 'RJ121',
          clinicalSpecialities: ['300'],
          clinicalRoles: ['R8001'],
          workAreas: ['WA-WARD'],
        }),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id as string;
      const account = `${api}/v1/accounts/${encodeURIComponent(id)}`;
      await until('Active', 60_000, async () => {
        const { body } = await call(account, { headers: ADMIN });
        return body.status === 'Active' ? true : undefined;
      });
      const notes = await call(`${account}/notes`, {
        method: 'PUT',
        headers: ADMIN,
        body: JSON.stringify({ notes: 'Kept for years' }),
      });
      assert.equal(notes.status, 200, JSON.stringify(notes.body));
      assert.equal((await call(`${account}/leaver`, { method: 'POST', headers: ADMIN })).status, 200);

      const handle = client.workflow.getHandle(accountWorkflowId(id));
      await until('the lifecycle closed', 120_000, async () => {
        const { status } = await handle.describe();
        return status.name === 'RUNNING' ? undefined : status.name;
      });
      const before = await call(`${account}/history`, { headers: ADMIN });
      assert.equal(before.status, 200);
      const actions = (before.body.items as { action: string }[]).map((e) => e.action);
      assert.equal(actions[0], 'Account created');
      assert.ok(actions.includes('Notes changed'), actions.join(', '));
      assert.ok(actions.length >= 6, actions.join(', '));

      // What the namespace's retention does to a closed workflow a day after it closed, done now: the
      // operator API's DeleteWorkflowExecution, which the retention's own deletion runs.
      await connection.workflowService.deleteWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: handle.workflowId },
      });
      await until('the history gone', 120_000, async () => {
        try {
          await handle.describe();
          return undefined;
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return true;
          throw err;
        }
      });
      await assert.rejects(handle.fetchHistory(), 'Temporal has no history of it');

      const after = await call(`${account}/history`, { headers: ADMIN });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      assert.deepEqual(after.body.items, before.body.items, 'the whole history, as it was');
      const searched = await call(`${api}/v1/audit?account=${encodeURIComponent(id)}&limit=100`, {
        headers: NATIONAL,
      });
      assert.equal(searched.status, 200);
      assert.equal(searched.body.items.length, actions.length, 'and found by the search');
      console.log(`      ${actions.length} entries before and after: ${actions.join('; ')}`);
    } finally {
      await connection.close();
    }
  });
});
