import { NO_ANSWER, ROUTE_KINDS, type ApiClient } from './api-client';
import type { Findings } from './audit';
import type { OutageReport } from './faults';
import type { CallerNotes, JourneyResult } from './journey';
import type { Stack } from './stack';

const ROUTES: Record<string, string> = {
  create: 'POST /v1/accounts',
  get: 'GET /v1/accounts/{id}',
  event: 'POST /v1/accounts/{id}/events',
  history: 'GET /v1/accounts/{id}/history',
};

export interface Timings {
  startedAt: number;
  journeysDoneAt: number;
  settledAt: number;
  checkedAt: number;
}

const MAX_LISTED = 10;

export function count(findings: Record<string, string[]>): number {
  return Object.values(findings).reduce((n, list) => n + list.length, 0);
}

/** The figures of the run; returns whether it passed (nothing lost or duplicated, everyone completed). */
export function printReport(
  findings: Findings,
  results: JourneyResult[],
  notes: CallerNotes,
  api: ApiClient,
  stack: Stack,
  outage: OutageReport | undefined,
  timings: Timings,
  clusterFaults?: string[],
): boolean {
  const lost = count(findings.lost);
  const duplicated = count(findings.duplicated);
  const lines: string[] = [''];
  const out = (line = '') => lines.push(line);
  const section = (title: string, total: number, parts: Record<string, string[]>) => {
    out(`${title.padEnd(46)} ${total}`);
    for (const [what, items] of Object.entries(parts)) {
      out(`  ${what.padEnd(44)} ${items.length}`);
      for (const item of items.slice(0, MAX_LISTED)) out(`      ${item}`);
      if (items.length > MAX_LISTED) out(`      ... and ${items.length - MAX_LISTED} more`);
    }
  };

  out('== Result');
  out(`${'accounts completed (canSendEmail)'.padEnd(46)} ${findings.completed} of ${findings.people}`);
  out(`${'directory entries'.padEnd(46)} ${findings.accounts}`);
  section('lost', lost, findings.lost);
  section('duplicated', duplicated, findings.duplicated);
  const failures = results.filter((r) => !r.completed);
  out(`${'journeys not completed'.padEnd(46)} ${failures.length}`);
  for (const f of failures.slice(0, MAX_LISTED))
    out(`      ${f.person.lastName} ${f.id ?? ''}: ${f.failure}`);

  out();
  out('== What the callers saw');
  const took = results
    .filter((r) => r.completed)
    .map((r) => r.tookMs)
    .sort((a, b) => a - b);
  if (took.length) {
    const at = (q: number) => seconds(took[Math.min(took.length - 1, Math.floor(q * took.length))]!);
    out(`journey time (create to canSendEmail)          median ${at(0.5)}, p95 ${at(0.95)}, max ${at(1)}`);
  }
  out(`creates answered 409 Duplicate, taken over      ${notes.duplicateTakenOver.length}`);
  out(`creates answered 409 Possible dup., taken over  ${notes.possibleDuplicateTakenOver.length}`);
  out(`503 naming a reserved, not yet started account  ${notes.reservedNotStarted}`);
  out(`creates answered Idempotent-Replayed            ${notes.replayedCreates}`);
  out(`accounts whose temporary password never shown   ${notes.passwordNeverShown.length}`);
  out(`accounts answering 404 for a while              ${notes.notFoundForAWhile.size}`);
  out(`events refused "not Active" after GET showed it ${notes.refusedAfterActive.length} (retried)`);
  for (const refusal of notes.refusedAfterActive.slice(0, MAX_LISTED)) out(`      ${refusal}`);
  out();
  out('answers by status code');
  for (const kind of ROUTE_KINDS) {
    const tally = [...api.tally.get(kind)!].sort(([a], [b]) =>
      a === NO_ANSWER ? 1 : b === NO_ANSWER ? -1 : a < b ? -1 : 1,
    );
    out(`  ${ROUTES[kind]!.padEnd(32)} ${tally.map(([status, n]) => `${status}: ${n}`).join(', ') || '-'}`);
  }
  const reasons = [...api.noAnswerReasons].map(([reason, n]) => `${reason}: ${n}`).join(', ');
  if (reasons) out(`  (no answer: ${reasons})`);

  out();
  out('== Faults');
  const sum = (children: { kills: number; crashes: number }[], of: 'kills' | 'crashes') =>
    children.reduce((n, child) => n + child[of], 0);
  const temporalProcesses = stack.temporal ? [stack.temporal] : Object.values(stack.cluster!.services);
  out(`worker SIGKILLed                                ${sum(stack.workers, 'kills')}`);
  out(`API SIGKILLed                                   ${sum(stack.apis, 'kills')}`);
  for (const line of clusterFaults ?? []) out(line);
  out(
    `exits by themselves (restarted)                 worker ${sum(stack.workers, 'crashes')}, ` +
      `API ${sum(stack.apis, 'crashes')}, Temporal ${sum(temporalProcesses, 'crashes')}`,
  );
  if (outage) {
    out(
      `Temporal outage                                 ${outage.seconds} s, ${outage.createsInFlight} creates in ` +
        `flight, ${outage.createsSentDuring} sent during it`,
    );
  } else out('Temporal outage                                 none');
  const r = findings.reconciliation;
  out(
    `reconciliation                                  ${r.runs} runs, ${r.started.length} lifecycles started, ` +
      `${r.wereRunning} found running, ${r.failed.length} failures`,
  );
  for (const id of r.started.slice(0, MAX_LISTED)) out(`      started ${id}`);
  for (const f of r.failed.slice(0, MAX_LISTED)) out(`      failed ${f}`);

  out();
  out('== Time');
  out(
    `total ${seconds(timings.checkedAt - timings.startedAt)}: journeys ${seconds(timings.journeysDoneAt - timings.startedAt)}, ` +
      `settling ${seconds(timings.settledAt - timings.journeysDoneAt)}, checks ${seconds(timings.checkedAt - timings.settledAt)}`,
  );
  const passed = lost === 0 && duplicated === 0 && findings.completed === findings.people;
  out();
  out(
    passed
      ? 'PASS: every account completed, nothing lost, nothing duplicated'
      : `FAIL: ${findings.people - findings.completed} not completed, ${lost} lost, ${duplicated} duplicated`,
  );
  console.log(lines.join('\n'));
  return passed;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
