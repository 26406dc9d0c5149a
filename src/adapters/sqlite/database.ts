import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ownerOnlyFolder } from '../../owner-only-folder';
import { migrateSqlite } from './migrations';
import { cacheStatements } from './statement-cache';

export type Db = Database.Database;

/** How long opening keeps trying while another process is opening the same new file. */
const OPEN_WAIT_MS = 10_000;

/**
 * Opens (creating if needed) the embedded database, its schema brought up to date; ':memory:' for a
 * private one. It holds names and mobile numbers, hidden ones included, so its folder is the owner's
 * only (0700) and the database, its WAL and shared-memory files are 0600, whatever the umask.
 */
export function openDatabase(file: string): Db {
  if (file === ':memory:') return configure(new Database(file, { timeout: 5000 }));
  ownerOnlyFolder(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const db = configure(new Database(file, { timeout: 5000 }));
  // The WAL and shared-memory files appear with the first read in WAL mode; SQLite gives them the
  // database file's mode, and files left by an older run are tightened here.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(companion)) fs.chmodSync(companion, 0o600);
  }
  return db;
}

function configure(db: Db): Db {
  // The API and the worker processes share this file. Switching it to WAL needs a write lock, and when another
  // connection holds one (the other process creating the same new file at that moment), SQLite answers
  // SQLITE_BUSY at once: the pragma already reads, and a reader waiting for a writer could deadlock, so the
  // busy timeout does not apply. The API died at start (npm run chaos). Try again until the other is done.
  whileBusy(() => db.pragma('journal_mode = WAL'));
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  cacheStatements(db);
  return db;
}

/** Runs `step`, again after a short pause each time SQLite answers SQLITE_BUSY, for up to OPEN_WAIT_MS. */
export function whileBusy<T>(step: () => T, waitMs = OPEN_WAIT_MS): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return step();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}
