import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/global-setup';
import { lifecycleHarness } from '../helpers/lifecycle-harness';
import { testDataConverter } from '../helpers/test-keys';
import { failedThenRetried, happyPath, mfaExceptions } from './representative-lifecycles';

const FIXTURES = path.resolve(__dirname, '../fixtures/histories');

describe('Replay', () => {
  if (process.env.RECORD_HISTORIES) {
    it('records the representative lifecycles as fixtures', async () => {
      for (const [name, drive] of [
        ['happy-path', happyPath],
        ['mfa-exceptions', mfaExceptions],
        ['failed-then-retried', failedThenRetried],
      ] as const) {
        const h = await lifecycleHarness();
        await h.run(async () => {
          const { handle } = await drive(h);
          const history = await handle.fetchHistory();
          fs.writeFileSync(path.join(FIXTURES, `${name}.json`), historyToJSON(history));
          console.log(`    recorded ${name}: ${history.events!.length} events`);
        });
      }
    });
  }

  it('replays the recorded lifecycles with the current workflow code without non-determinism', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3, 'the representative histories are present');
    const histories = files.map((f) => ({
      workflowId: f,
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'))),
    }));
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
