import Database from 'better-sqlite3';
import { auditBulkUpload, type BulkFindings, type BulkTarget } from './bulk-audit';
import { bulkFile, bulkPeople } from './bulk-file';
import { Random, sleep } from './random';

/** The uploader: a local administrator of RJ1, who alone receives the passwords (R13). */
export const UPLOADER_TOKEN = 'dev-local-admin-gstt-0001';

/** A process the run SIGKILLs and starts again, as a supervisor would (src/servers/supervised-process.ts). */
export interface Killable {
  readonly name: string;
  kill(): Promise<void>;
  start(): void;
  whenRunning(): Promise<void>;
}

export interface BulkCrashPlan {
  lines: number;
  workerKills: number;
  apiKills: number;
  /** Seed of the moments (by lines done) and the pauses before each restart. */
  seed: number;
  deadlineSeconds: number;
}

export interface BulkCrashReport {
  uploadId: string;
  findings: BulkFindings;
  /** Each kill: the process and how many lines were done then. */
  kills: string[];
  /** From the file's POST to the upload's end, crashes included. */
  uploadSeconds: number;
}

/** Lines of the upload done (created or failed), as its store has them. */
function linesDone(databaseFile: string, uploadId: string): number {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const { n } = db
      .prepare("SELECT COUNT(*) AS n FROM bulk_rows WHERE upload_id = ? AND state IN ('created', 'failed')")
      .get(uploadId) as { n: number };
    return n;
  } finally {
    db.close();
  }
}

function pendingStarts(databaseFile: string): number {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM directory_pending_starts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean | Promise<boolean>, everyMs = 250): Promise<void> {
  while (!(await condition())) await sleep(everyMs);
}

/** The API's answer, asked again while it does not answer (it is being killed and restarted). */
async function answered(url: string, init: RequestInit, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      if (res.status < 500) return res;
    } catch {
      // the API is down: ask again
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await sleep(500);
  }
}

/**
 * R31 under crashes: uploads a file of `plan.lines` people, SIGKILLs the worker `workerKills` times and the
 * API `apiKills` times while the lines are created (each at a random share of the lines done, 10% to 80%,
 * started again 0.5-5 s later), waits for the upload to end and every reservation to have its lifecycle, then
 * audits what R31 promises (auditBulkUpload).
 */
export async function runBulkCrash(
  target: BulkTarget,
  processes: { worker: Killable; api: Killable },
  plan: BulkCrashPlan,
  log: (message: string) => void,
): Promise<BulkCrashReport> {
  const random = new Random(plan.seed);
  const deadline = Date.now() + plan.deadlineSeconds * 1000;
  const people = bulkPeople(plan.lines);
  const auth = { Authorization: `Bearer ${UPLOADER_TOKEN}` };
  const started = Date.now();
  const posted = await fetch(`${target.apiUrl}/v1/bulk-uploads?organisation=RJ1&mode=create`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'text/csv' },
    body: bulkFile(people),
  });
  const body = (await posted.json()) as { id: string };
  if (posted.status !== 202) throw new Error(`the upload answered ${posted.status}: ${JSON.stringify(body)}`);
  const uploadId = body.id;
  log(`upload ${uploadId} of ${plan.lines} lines started`);

  let finished = false;
  const done = () => linesDone(target.databaseFile, uploadId);
  const kills: string[] = [];
  const killAt = async (process: Killable, count: number) => {
    const moments = Array.from({ length: count }, () =>
      Math.round((random.between(10, 80) / 100) * plan.lines),
    ).sort((a, b) => a - b);
    for (const moment of moments) {
      await until(() => finished || done() >= moment);
      if (finished) return;
      await process.whenRunning();
      await process.kill();
      const at = done();
      const pause = random.between(500, 5000);
      kills.push(`${process.name} at ${at} of ${plan.lines} lines`);
      log(
        `SIGKILL ${process.name} at ${at}/${plan.lines} lines done; restart in ${(pause / 1000).toFixed(1)} s`,
      );
      await sleep(pause);
      process.start();
    }
  };
  const faults = Promise.all([
    killAt(processes.worker, plan.workerKills),
    killAt(processes.api, plan.apiKills),
  ]);

  let status = 'Running';
  try {
    while (status === 'Running') {
      await sleep(1000);
      const res = await answered(`${target.apiUrl}/v1/bulk-uploads/${uploadId}`, { headers: auth }, deadline);
      status = ((await res.json()) as { status: string }).status;
      if (Date.now() > deadline)
        throw new Error(`upload ${uploadId} did not finish in ${plan.deadlineSeconds} s`);
    }
  } finally {
    finished = true;
    await faults;
  }
  const uploadSeconds = (Date.now() - started) / 1000;
  log(`upload ${status} in ${uploadSeconds.toFixed(0)} s; waiting for every reservation's lifecycle`);
  await Promise.all([processes.worker.whenRunning(), processes.api.whenRunning()]);
  await answered(`${target.apiUrl}/healthz`, {}, deadline);
  await until(() => pendingStarts(target.databaseFile) === 0 || Date.now() > deadline, 1000);
  log('checking');
  const findings = await auditBulkUpload(target, UPLOADER_TOKEN, uploadId, people);
  return { uploadId, findings, kills, uploadSeconds };
}

/** The run's figures and findings; whether it passed. */
export function printBulkReport(report: BulkCrashReport, plan: BulkCrashPlan): boolean {
  const { findings } = report;
  const broken = Object.values(findings.broken).reduce((n, list) => n + list.length, 0);
  const kills = { worker: 0, api: 0 };
  for (const k of report.kills) kills[k.startsWith('api') ? 'api' : 'worker']++;
  const enoughKills = kills.worker === plan.workerKills && kills.api === plan.apiKills;
  const out = (line = '') => console.log(line);
  out();
  out('== Result (R31: a bulk upload under crashes)');
  out(`${'lines in the file'.padEnd(52)} ${plan.lines}`);
  out(`${'accounts (directory entries of its people)'.padEnd(52)} ${findings.accounts}`);
  out(`${'platform accounts'.padEnd(52)} ${findings.platformAccounts}`);
  out(`${'passwords handed over once, to the uploader'.padEnd(52)} ${findings.passwordsHandedOver}`);
  out(`${'SIGKILLs (worker, API)'.padEnd(52)} ${kills.worker}, ${kills.api}: ${report.kills.join('; ')}`);
  out(`${'upload took'.padEnd(52)} ${report.uploadSeconds.toFixed(0)} s`);
  for (const [what, items] of Object.entries(findings.broken)) {
    out(`  ${what.padEnd(50)} ${items.length}`);
    for (const item of items.slice(0, 10)) out(`      ${item}`);
    if (items.length > 10) out(`      ... and ${items.length - 10} more`);
  }
  const passed =
    broken === 0 &&
    enoughKills &&
    findings.accounts === plan.lines &&
    findings.platformAccounts === plan.lines &&
    findings.passwordsHandedOver === plan.lines;
  out();
  out(
    passed
      ? `PASS: ${plan.lines} lines, ${plan.lines} accounts, ${plan.lines} platform accounts, each password handed over once, through ${kills.worker} worker and ${kills.api} API SIGKILLs`
      : `FAIL: ${broken} findings${enoughKills ? '' : `; the kills planned (${plan.workerKills} worker, ${plan.apiKills} API) did not all fall within the upload`}`,
  );
  return passed;
}
