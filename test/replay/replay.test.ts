import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/global-setup';
import { lifecycleHarness } from '../helpers/lifecycle-harness';
import { testDataConverter } from '../helpers/test-keys';
import {
  askedSignIns,
  continuedAsNew,
  failedThenRetried,
  fedByScim,
  happyPath,
  inactiveToClosed,
  leaverToJoiner,
  mfaExceptions,
  resecured,
} from './representative-lifecycles';
import { bulkUploadCancelledMidChunkHistory, bulkUploadHistory } from './representative-upload';
import { boundWorkflowOf } from '../../src/crypto/payload-codec';

const FIXTURES = path.resolve(__dirname, '../fixtures/histories');

/**
 * RECORD_HISTORIES=1 records every fixture again; a comma-separated list of names records those only.
 * Lifecycles are recorded under the current generation's suffix: the fixtures of earlier generations are
 * kept and replayed too, as lifecycles started then are still running. Generations: none, the first;
 * `-v2`, lifecycles started from their reservation with their initial outputs (no first publish); `-v3`,
 * lifecycles whose timers decide what is due (untilDeadline); `-v4`, lifecycles started as
 * accountLifecycleV2, which records no patch (those before are accountLifecycle); `-v5`, lifecycles that ask the
 * platform for the last sign-in at the inactivity deadlines and send every profile field it holds (patches
 * asks-last-sign-in and platform-holds-profile), recorded for the path that takes them (asked-sign-ins); `-v6`,
 * lifecycles that write their audit trail to the audit store at the end of each step and carry none of it
 * across continue-as-new (patch writes-audit-store, R2), and an account fed by SCIM, which came with it
 * (fed-by-scim: held edits and marks, future-dated leavers, a feed's delete, R33).
 */
const GENERATION = '-v6';
/** Bulk uploads: none, chunk after chunk; `-lanes`, lines created in lanes (patch bulk-lanes). */
const BULK_GENERATION = '-lanes';
const recording = (name: string) =>
  process.env.RECORD_HISTORIES === '1' || (process.env.RECORD_HISTORIES ?? '').split(',').includes(name);

describe('Replay', () => {
  if (process.env.RECORD_HISTORIES) {
    it('records the representative lifecycles as fixtures', async () => {
      // Uploads are recorded under the current generation's name: `bulk-upload` and its cancel are of uploads
      // that created chunk after chunk, before `bulk-lanes`; their fixtures are kept and replayed.
      for (const [name, record] of [
        [`bulk-upload${BULK_GENERATION}`, bulkUploadHistory],
        [`bulk-upload${BULK_GENERATION}-cancelled-mid-chunk`, bulkUploadCancelledMidChunkHistory],
      ] as const) {
        if (!recording(name)) continue;
        const history = await record();
        fs.writeFileSync(path.join(FIXTURES, `${name}.json`), historyToJSON(history));
        console.log(`    recorded ${name}.json: ${history.events!.length} events`);
      }
      for (const [name, drive] of [
        ['happy-path', happyPath],
        ['mfa-exceptions', mfaExceptions],
        ['failed-then-retried', failedThenRetried],
        ['leaver-to-joiner', leaverToJoiner],
        ['resecured', resecured],
        ['inactive-to-closed', inactiveToClosed],
        ['continued-as-new', continuedAsNew],
        ['asked-sign-ins', askedSignIns],
        ['fed-by-scim', fedByScim],
      ] as const) {
        if (!recording(name)) continue;
        const h = await lifecycleHarness();
        await h.run(async () => {
          const { handle } = await drive(h);
          // Every run of the lifecycle, so that the fixtures cross each continue-as-new.
          const runs = await historiesOfEveryRun(handle);
          for (const [i, history] of runs.entries()) {
            const file = `${name}${GENERATION}${runs.length === 1 ? '' : `-run${i + 1}`}.json`;
            fs.writeFileSync(path.join(FIXTURES, file), historyToJSON(history));
            console.log(`    recorded ${file}: ${history.events!.length} events`);
          }
        });
      }
    });
  }

  it('replays the recorded lifecycles and bulk upload with the current workflow code without non-determinism', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 40, 'the representative histories of each generation are present');
    const histories = files.map((f) => {
      const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')));
      // Payloads written since the codec binds them to their workflow are read for that workflow only.
      return { workflowId: boundWorkflowId(history) ?? f, history };
    });
    const results = Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), dataConverter: testDataConverter },
      histories,
    );
    let replayed = 0;
    for await (const result of results) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${result.error}`);
      replayed++;
    }
    assert.equal(replayed, files.length);
  });
});

/** The workflow the payloads of a history are bound to, as their metadata says; none before binding. */
function boundWorkflowId(history: temporal.api.history.v1.IHistory): string | undefined {
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return input ? boundWorkflowOf(input) : undefined;
}

/** The histories of a workflow's runs, first to last, following each continue-as-new. */
async function historiesOfEveryRun(handle: WorkflowHandle) {
  const histories: temporal.api.history.v1.IHistory[] = [];
  let runId = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const history = await handle.client.getHandle(handle.workflowId, runId).fetchHistory();
    histories.push(history);
    const last = history.events![history.events!.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}
