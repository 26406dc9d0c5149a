import Database from 'better-sqlite3';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { loadKeyRing } from '../../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import type { DirectoryEntry } from '../../src/ports/directory';
import { accountLifecycle, accountLifecycleV2 } from '../../src/workflows';
import type { ReconciliationReport } from '../../src/workflows/reconcile-reservations';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { NoAnswer, type Answer, type ApiClient } from './api-client';
import { ADMIN_TOKEN, fullName, type Person } from './journey';
import { sleep } from './random';
import type { Stack } from './stack';

/** Audit entries a lifecycle that went once through creation and first login holds exactly once. */
export const SINGLE_AUDIT_ACTIONS = [
  'Account created',
  'Account created on the mail platform with a temporary password; mailbox requested',
  'Mailbox active in Exchange Online',
  "Added to the organisation's default policy",
  'MFA applied: joined the Conditional Access group',
  'PasswordChanged reported',
  'AupAccepted reported',
  'SecretSet reported',
  'MfaRegistered reported',
  'ProfileUpdated reported',
  'Platform sync complete',
];

/** What went wrong, each as the accounts (or people) concerned; empty lists are the goal. */
export interface Findings {
  people: number;
  accounts: number;
  completed: number;
  lost: {
    'directory entries without a lifecycle': string[];
    'lifecycles without a directory entry': string[];
    'lifecycles no longer running': string[];
    'lifecycles not answering (GET or history)': string[];
    'reservations still awaiting their lifecycle': string[];
    'platform accounts without a directory entry': string[];
    'accounts named by a create but missing': string[];
  };
  duplicated: {
    'people with more than one account': string[];
    'accounts created twice on the platform': string[];
    'accounts added twice to a group': string[];
    'accounts given a policy twice': string[];
    'accounts with an audit entry twice': string[];
  };
  reconciliation: { runs: number; started: string[]; wereRunning: number; failed: string[] };
}

interface EngineTables {
  entries: DirectoryEntry[];
  pendingStarts: string[];
  platformAccounts: string[];
  operations: { account_id: string; operation: string; detail: string | null }[];
}

/** Waits until no reservation awaits its lifecycle (the reconciliation's job), or `ms` passes. */
export async function settle(stack: Stack, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = (await readTables(stack).catch(() => undefined))?.pendingStarts.length ?? -1;
    if (left === 0 || Date.now() > deadline) return left;
    await sleep(1000);
  }
}

export async function inspect(
  stack: Stack,
  api: ApiClient,
  persons: Person[],
  namedIds: string[],
): Promise<Findings> {
  const tables = await readTables(stack);
  const ids = new Set(tables.entries.map((e) => e.id));
  const client = await temporalClient(stack);
  try {
    const lifecycles = await listLifecycles(client);
    const views = await mapLimited(tables.entries, 8, (e) => accountAnswers(api, e.id));

    const byPerson = new Map<string, string[]>();
    for (const entry of tables.entries) {
      const name = fullName(entry);
      byPerson.set(name, [...(byPerson.get(name) ?? []), entry.id]);
    }
    const completedIds = new Set(tables.entries.filter((_, i) => views[i]!.canSendEmail).map((e) => e.id));

    return {
      people: persons.length,
      accounts: tables.entries.length,
      completed: persons.filter((p) => (byPerson.get(fullName(p)) ?? []).some((id) => completedIds.has(id)))
        .length,
      lost: {
        'directory entries without a lifecycle': [...ids].filter(
          (id) => !lifecycles.has(accountWorkflowId(id)),
        ),
        'lifecycles without a directory entry': [...lifecycles.keys()].filter(
          (wf) => !ids.has(wf.replace(/^account:/, '')),
        ),
        'lifecycles no longer running': [...lifecycles]
          .filter(([, s]) => !s.includes('RUNNING'))
          .map(([w]) => w),
        'lifecycles not answering (GET or history)': tables.entries.flatMap((e, i) =>
          views[i]!.problem ? [`${e.id}: ${views[i]!.problem}`] : [],
        ),
        'reservations still awaiting their lifecycle': tables.pendingStarts,
        'platform accounts without a directory entry': tables.platformAccounts.filter((id) => !ids.has(id)),
        'accounts named by a create but missing': [...new Set(namedIds)].filter((id) => !ids.has(id)),
      },
      duplicated: {
        'people with more than one account': [...byPerson]
          .filter(([, accounts]) => accounts.length > 1)
          .map(([name, accounts]) => `${name}: ${accounts.join(', ')}`),
        ...platformDuplicates(tables.operations),
        'accounts with an audit entry twice': tables.entries.flatMap((e, i) => {
          const twice = auditTwice(views[i]!.history);
          return twice.length ? [`${e.id}: ${twice.join('; ')}`] : [];
        }),
      },
      reconciliation: await reconciliationReports(client),
    };
  } finally {
    await client.connection.close();
  }
}

const TABLE_QUERIES = {
  entries: 'SELECT data FROM directory_entries ORDER BY email',
  pendingStarts: 'SELECT account_id AS id FROM directory_pending_starts',
  platformAccounts: 'SELECT id FROM platform_accounts WHERE deleted_at IS NULL',
  operations: 'SELECT account_id, operation, detail FROM platform_operations ORDER BY seq',
};

/** The engine's tables, from its SQLite file or (on a cluster) its PostgreSQL database. */
async function readTables(stack: Stack): Promise<EngineTables> {
  if (!stack.databaseUrl) return readSqliteTables(stack.databaseFile!);
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
    return {
      entries: (await rows<{ data: DirectoryEntry }>(TABLE_QUERIES.entries)).map((r) => r.data),
      pendingStarts: (await rows<{ id: string }>(TABLE_QUERIES.pendingStarts)).map((r) => r.id),
      platformAccounts: (await rows<{ id: string }>(TABLE_QUERIES.platformAccounts)).map((r) => r.id),
      operations: await rows<EngineTables['operations'][number]>(TABLE_QUERIES.operations),
    };
  } finally {
    await client.end();
  }
}

function readSqliteTables(file: string): EngineTables {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const entries = (db.prepare(TABLE_QUERIES.entries).all() as { data: string }[]).map(
      (r) => JSON.parse(r.data) as DirectoryEntry,
    );
    const column = (sql: string) => (db.prepare(sql).all() as { id: string }[]).map((r) => r.id);
    return {
      entries,
      pendingStarts: column(TABLE_QUERIES.pendingStarts),
      platformAccounts: column(TABLE_QUERIES.platformAccounts),
      operations: db.prepare(TABLE_QUERIES.operations).all() as EngineTables['operations'],
    };
  } finally {
    db.close();
  }
}

/**
 * Per account, from the simulated platform's log of calls: a second createAccount, an addToGroup to a group
 * it is already in (no removal between), a second assignPolicy.
 */
function platformDuplicates(operations: EngineTables['operations']) {
  const created = new Map<string, number>();
  const policies = new Map<string, number>();
  const groups = new Map<string, Set<string>>();
  const addedTwice = new Set<string>();
  for (const { account_id: id, operation, detail } of operations) {
    const inGroups = groups.get(id) ?? new Set<string>();
    groups.set(id, inGroups);
    if (operation === 'createAccount') created.set(id, (created.get(id) ?? 0) + 1);
    if (operation === 'assignPolicy') policies.set(id, (policies.get(id) ?? 0) + 1);
    if (operation === 'addToGroup') {
      if (inGroups.has(detail!)) addedTwice.add(`${id}: ${detail}`);
      inGroups.add(detail!);
    }
    if (operation === 'removeFromGroup') inGroups.delete(detail!);
    if (operation === 'deleteAccount') inGroups.clear();
  }
  const moreThanOnce = (counts: Map<string, number>) =>
    [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id}: ${n} times`);
  return {
    'accounts created twice on the platform': moreThanOnce(created),
    'accounts added twice to a group': [...addedTwice],
    'accounts given a policy twice': moreThanOnce(policies),
  };
}

function auditTwice(history: { action: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { action } of history) counts.set(action, (counts.get(action) ?? 0) + 1);
  return SINGLE_AUDIT_ACTIONS.filter((a) => (counts.get(a) ?? 0) > 1).map(
    (a) => `"${a}" ${counts.get(a)} times`,
  );
}

/** The account's view and audit trail through the API, retried until answered. */
async function accountAnswers(api: ApiClient, id: string) {
  const path = `/v1/accounts/${encodeURIComponent(id)}`;
  const view = await answered(() => api.request('get', 'GET', path, { token: ADMIN_TOKEN }));
  const history = await answered(() =>
    api.request('history', 'GET', `${path}/history`, { token: ADMIN_TOKEN }),
  );
  const problem = [view, history]
    .filter((a) => a.status !== 200)
    .map((a) => `${a.status} ${a.body?.detail ?? ''}`.trim())
    .join('; ');
  return {
    canSendEmail: view.status === 200 && view.body.canSendEmail === true,
    history: (history.status === 200 ? history.body.items : []) as { action: string }[],
    problem,
  };
}

async function answered(call: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await call();
      if (answer.status < 500 || attempt >= 10) return answer;
    } catch (err) {
      if (!(err instanceof NoAnswer) || attempt >= 10) throw err;
    }
    await sleep(1000);
  }
}

async function temporalClient(stack: Stack): Promise<Client> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const codec = new AesGcmPayloadCodec(loadKeyRing(stack.env, stack.dataDir));
  return new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
}

/** Every account lifecycle Temporal knows of, by workflow ID, with the status of each of its runs. */
async function listLifecycles(client: Client): Promise<Map<string, string[]>> {
  const lifecycles = new Map<string, string[]>();
  const types = [accountLifecycle.name, accountLifecycleV2.name].map((t) => `'${t}'`).join(', ');
  for await (const wf of client.workflow.list({ query: `WorkflowType IN (${types})` })) {
    lifecycles.set(wf.workflowId, [...(lifecycles.get(wf.workflowId) ?? []), wf.status.name]);
  }
  return lifecycles;
}

/** What the scheduled reconciliation runs reported: the lifecycles they had to start are the repairs. */
async function reconciliationReports(client: Client): Promise<Findings['reconciliation']> {
  const runs: { workflowId: string; runId: string }[] = [];
  const query = "WorkflowType = 'reconcileReservations' AND ExecutionStatus = 'Completed'";
  for await (const wf of client.workflow.list({ query })) runs.push(wf);
  const reports = await mapLimited(
    runs,
    8,
    ({ workflowId, runId }) =>
      client.workflow.getHandle(workflowId, runId).result() as Promise<ReconciliationReport>,
  );
  return {
    runs: runs.length,
    started: reports.flatMap((r) => r.started),
    wereRunning: reports.reduce((n, r) => n + r.wereRunning.length, 0),
    failed: reports.flatMap((r) => r.failed.map((f) => `${f.id}: ${f.error}`)),
  };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}
