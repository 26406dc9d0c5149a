import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { openSqlite, whileBusy } from '../../src/adapters/sql/sqlite';

/**
 * Found by `npm run chaos`: the API process died at start with SQLITE_BUSY "database is locked" when the
 * worker process created the shared file at the same moment. Switching a new file to WAL while another
 * connection holds a write lock fails at once: SQLite skips the busy wait inside a transaction.
 */
describe('The SQLite file the API and worker processes share', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-database-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('opens a new file while another connection holds a write lock on it, once the lock is released', async () => {
    const file = path.join(folder, 'engine.sqlite');
    // Another process, as it were: a thread holding a write transaction on the new file for 300 ms.
    const other = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const db = new (require('better-sqlite3'))(workerData.file);
       db.exec('BEGIN IMMEDIATE');
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
      { eval: true, workerData: { file } },
    );
    assert.deepEqual(await once(other, 'message'), ['locked']);

    const db = await openSqlite(file); // waits (blocking this thread) until the other releases its lock
    const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db.db);
    assert.deepEqual(rows, [{ journal_mode: 'wal' }]);
    await db.close();
    await other.terminate();
  });

  it('tries again while SQLite answers SQLITE_BUSY, and gives up on other errors or after the wait', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    let calls = 0;
    const opened = whileBusy(() => {
      if (++calls < 3) throw busy;
      return 'opened';
    });
    assert.equal(opened, 'opened');
    assert.equal(calls, 3);
    const failing = (err: Error) => () => {
      throw err;
    };
    assert.throws(() => whileBusy(failing(new Error('disk I/O error'))), /disk I\/O/);
    assert.throws(() => whileBusy(failing(busy), 100), /locked/);
  });
});
