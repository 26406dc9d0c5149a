import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import type { Build } from './builds';
import type { DrillPerson, ParkedCase } from './parked';

const EventType = temporal.api.enums.v1.EventType;

export interface Parked {
  case: ParkedCase;
  person: DrillPerson;
  id: string;
  parkedStatus: string;
  woken?: string;
  failure?: string;
}

export interface HistoryChecks {
  failedTasks: string[];
  /** Parked accounts whose last task ran on a build that ran before the deploy started (the old one). */
  oldCodeAfterUpgrade: string[];
  builds: { before: Set<string>; after: Set<string> };
  /** Patch markers recorded after the upgrade, by patch id, with how many accounts. */
  patchesAfter: Map<string, number>;
}

export function checkHistories(
  histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[],
  parked: Parked[],
  deployStartedAt: number,
): HistoryChecks {
  const checks: HistoryChecks = {
    failedTasks: [],
    oldCodeAfterUpgrade: [],
    builds: { before: new Set(), after: new Set() },
    patchesAfter: new Map(),
  };
  const parkedIds = new Set(parked.map((p) => `account:${p.id}`));
  for (const { workflowId, history } of histories) {
    for (const event of history.events ?? []) {
      const at = Number(event.eventTime?.seconds ?? 0) * 1000;
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        checks.failedTasks.push(
          `${workflowId}: ${event.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`,
        );
      const completed = event.workflowTaskCompletedEventAttributes;
      const build = completed?.workerVersion?.buildId;
      if (build) (at < deployStartedAt ? checks.builds.before : checks.builds.after).add(build);
      const marker = event.markerRecordedEventAttributes;
      if (marker?.markerName === 'core_patch' && at >= deployStartedAt) {
        const id = patchId(marker.details ?? {});
        checks.patchesAfter.set(id, (checks.patchesAfter.get(id) ?? 0) + 1);
      }
    }
    if (!parkedIds.has(workflowId)) continue;
    const lastBuild = [...(history.events ?? [])]
      .reverse()
      .find((e) => e.workflowTaskCompletedEventAttributes)?.workflowTaskCompletedEventAttributes
      ?.workerVersion?.buildId;
    if (!lastBuild || checks.builds.before.has(lastBuild)) checks.oldCodeAfterUpgrade.push(workflowId);
  }
  return checks;
}

/** Every history replayed on the new build's workflow code: a nondeterministic change fails here. */
export async function replayAll(
  build: Build,
  histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[],
  codec: AesGcmPayloadCodec,
): Promise<string[]> {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowsPath: build.workflowsPath, dataConverter: { payloadCodecs: [codec] } },
    histories,
  );
  for await (const result of results)
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  return failures;
}

/** The patch id a `core_patch` marker carries, whatever the key and shape of its details. */
function patchId(details: Record<string, temporal.api.common.v1.IPayloads>): string {
  for (const payloads of Object.values(details)) {
    for (const payload of payloads.payloads ?? []) {
      const text = Buffer.from(payload.data ?? []).toString();
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value === 'string') return value;
        if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
      } catch {
        // not JSON
      }
    }
  }
  return '(unknown)';
}
