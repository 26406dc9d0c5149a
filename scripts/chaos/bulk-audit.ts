import Database from 'better-sqlite3';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { parse } from 'csv-parse/sync';
import { verifyPassword } from '../../src/adapters/simulation';
import { loadKeyRing } from '../../src/crypto/key-ring';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { takeTemporaryPasswordUpdate } from '../../src/workflows/definitions';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import type { BulkPerson } from './bulk-file';

/** What the bulk crash run is checked against: the engine's SQLite file, its Temporal, its keys, its API. */
export interface BulkTarget {
  apiUrl: string;
  temporalAddress: string;
  databaseFile: string;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

/** R31's promises after the crashes, each as the lines or accounts that break it; empty lists are the goal. */
export interface BulkFindings {
  lines: number;
  accounts: number;
  platformAccounts: number;
  passwordsHandedOver: number;
  broken: {
    'lines not created': string[];
    'people without exactly one account': string[];
    'accounts without a running lifecycle': string[];
    'accounts without a platform account': string[];
    'accounts created twice on the platform': string[];
    'lines without a password in the results file': string[];
    'passwords that are not the account’s': string[];
    'passwords handed over other than once by the lifecycle': string[];
    'passwords still given after the uploader confirmed': string[];
  };
}

interface Tables {
  rows: { line: number; state: string; result: string | null; account_id: string | null }[];
  entries: { id: string; name: string }[];
  platform: Map<string, string>;
  creates: Map<string, number>;
}

function readTables(file: string, uploadId: string): Tables {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const rows = db
      .prepare('SELECT line, state, result, account_id FROM bulk_rows WHERE upload_id = ? ORDER BY line')
      .all(uploadId) as Tables['rows'];
    const entries = (db.prepare('SELECT data FROM directory_entries').all() as { data: string }[]).map(
      (r) => {
        const e = JSON.parse(r.data) as { id: string; firstName: string; lastName: string };
        return { id: e.id, name: `${e.firstName} ${e.lastName}` };
      },
    );
    const platform = new Map(
      (
        db.prepare('SELECT id, password_hash FROM platform_accounts WHERE deleted_at IS NULL').all() as {
          id: string;
          password_hash: string;
        }[]
      ).map((r) => [r.id, r.password_hash]),
    );
    const creates = new Map(
      (
        db
          .prepare(
            "SELECT account_id, COUNT(*) AS n FROM platform_operations WHERE operation = 'createAccount' GROUP BY account_id",
          )
          .all() as { account_id: string; n: number }[]
      ).map((r) => [r.account_id, r.n]),
    );
    return { rows, entries, platform, creates };
  } finally {
    db.close();
  }
}

async function download(target: BulkTarget, token: string, uploadId: string) {
  const res = await fetch(`${target.apiUrl}/v1/bulk-uploads/${uploadId}/results.csv`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`results.csv answered ${res.status}`);
  return parse(await res.text(), { columns: true }) as { Result: string; TemporaryPassword?: string }[];
}

/**
 * R31, R13 after the crashes: every line created, one account per person, its lifecycle running and its
 * platform account made once; every password in the uploader's results file, the account's own, taken from
 * its lifecycle by exactly one Update; and, once the uploader confirms, given no more.
 */
export async function auditBulkUpload(
  target: BulkTarget,
  token: string,
  uploadId: string,
  people: BulkPerson[],
): Promise<BulkFindings> {
  const tables = readTables(target.databaseFile, uploadId);
  const results = await download(target, token, uploadId);
  const names = new Set(people.map((p) => `${p.firstName} ${p.lastName}`));
  const ours = tables.entries.filter((e) => names.has(e.name));
  const byName = new Map<string, string[]>();
  for (const e of ours) byName.set(e.name, [...(byName.get(e.name) ?? []), e.id]);

  const connection = await Connection.connect({ address: target.temporalAddress });
  const codec = new AesGcmPayloadCodec(loadKeyRing(target.env, target.dataDir));
  const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
  let handOvers: { id: string; takes: number; running: boolean }[];
  try {
    handOvers = await mapLimited(ours, 8, async ({ id }) => {
      const handle = client.workflow.getHandle(accountWorkflowId(id));
      const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
      return { id, takes: passwordTakes(history), running: description.status.name === 'RUNNING' };
    });
  } finally {
    await connection.close();
  }

  const confirmed = await fetch(`${target.apiUrl}/v1/bulk-uploads/${uploadId}/passwords/confirm`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  const afterConfirm = await download(target, token, uploadId);

  const passwordOf = new Map(results.map((r) => [r.Result.toLowerCase(), r.TemporaryPassword ?? '']));
  return {
    lines: tables.rows.length,
    accounts: ours.length,
    platformAccounts: ours.filter((e) => tables.platform.has(e.id)).length,
    passwordsHandedOver: handOvers.filter((h) => h.takes === 1).length,
    broken: {
      'lines not created': tables.rows
        .filter((r) => r.state !== 'created')
        .map((r) => `line ${r.line}: ${r.state} ${r.result ?? ''}`),
      'people without exactly one account': [...names]
        .filter((n) => (byName.get(n) ?? []).length !== 1)
        .map((n) => `${n}: ${(byName.get(n) ?? []).join(', ') || 'none'}`),
      'accounts without a running lifecycle': handOvers.filter((h) => !h.running).map((h) => h.id),
      'accounts without a platform account': ours.filter((e) => !tables.platform.has(e.id)).map((e) => e.id),
      'accounts created twice on the platform': [...tables.creates]
        .filter(([id, n]) => n > 1 && ours.some((e) => e.id === id))
        .map(([id, n]) => `${id}: ${n} times`),
      'lines without a password in the results file': results
        .map((r, i) => ({ r, line: i + 2 }))
        .filter(({ r }) => !r.TemporaryPassword)
        .map(({ r, line }) => `line ${line}: ${r.Result}`),
      'passwords that are not the account’s': ours
        .filter((e) => {
          const password = passwordOf.get(e.id);
          const hash = tables.platform.get(e.id);
          return password && hash && !verifyPassword(password, hash);
        })
        .map((e) => e.id),
      'passwords handed over other than once by the lifecycle': handOvers
        .filter((h) => h.takes !== 1)
        .map((h) => `${h.id}: ${h.takes} times`),
      'passwords still given after the uploader confirmed': afterConfirm
        .filter((r) => r.TemporaryPassword)
        .map((r) => r.Result),
    },
  };
}

/** The temporary password Updates a lifecycle completed with a password: each a hand-over (R13). */
function passwordTakes(history: temporal.api.history.v1.IHistory): number {
  const takes = new Set<string>();
  let handedOver = 0;
  for (const event of history.events ?? []) {
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    if (accepted?.input?.name === takeTemporaryPasswordUpdate.name) takes.add(accepted.meta!.updateId!);
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    if (completed && takes.has(completed.meta!.updateId!) && completed.outcome?.success) handedOver++;
  }
  return handedOver;
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
