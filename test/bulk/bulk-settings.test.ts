import assert from 'node:assert/strict';
import { loadAppConfig } from '../../src/config/app-config';
import { loadTemporalConfig } from '../../temporal-config';

const embedded = { embedded: true, dataDir: '/tmp/data', uiPort: 8233 };

describe('R31: the settings that bound a bulk upload’s load and the engine’s memory', () => {
  it('R31: BULK_LINES_AT_ONCE, the lines an upload has under way, is 8 unless set, 1 to 64, a bad value named', () => {
    assert.equal(loadAppConfig({}, embedded).bulk.linesAtOnce, 8);
    assert.equal(loadAppConfig({ BULK_LINES_AT_ONCE: '16' }, embedded).bulk.linesAtOnce, 16);
    for (const bad of ['0', '65', '2.5', 'many']) {
      assert.throws(
        () => loadAppConfig({ BULK_LINES_AT_ONCE: bad }, embedded),
        /BULK_LINES_AT_ONCE: BULK_LINES_AT_ONCE must be (1 to 64|a whole number)/,
        bad,
      );
    }
  });

  it('R31: WORKER_CACHED_WORKFLOWS, the runs a worker keeps in memory, is 500 unless set, 0 (none) or 2 to 100000, a bad value named', () => {
    assert.equal(loadTemporalConfig({}).cachedWorkflows, 500);
    assert.equal(loadTemporalConfig({ WORKER_CACHED_WORKFLOWS: '0' }).cachedWorkflows, 0);
    assert.equal(loadTemporalConfig({ WORKER_CACHED_WORKFLOWS: '2000' }).cachedWorkflows, 2000);
    for (const bad of ['1', '-5', '100001', 'lots']) {
      assert.throws(
        () => loadTemporalConfig({ WORKER_CACHED_WORKFLOWS: bad }),
        /WORKER_CACHED_WORKFLOWS: WORKER_CACHED_WORKFLOWS must be/,
        bad,
      );
    }
  });
});
