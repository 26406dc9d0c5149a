import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ownerOnlyFolder } from '../../owner-only-folder';
import { migrateSqlite } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the embedded database, its schema brought up to date; ':memory:' for a
 * private one. It holds names and mobile numbers, hidden ones included, so its folder is the owner's
 * only (0700) and the database, its WAL and shared-memory files are 0600, whatever the umask.
 */
export function openDatabase(file: string): Db {
  if (file === ':memory:') return configure(new Database(file));
  ownerOnlyFolder(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const db = configure(new Database(file));
  // The WAL and shared-memory files appear with the first read in WAL mode; SQLite gives them the
  // database file's mode, and files left by an older run are tightened here.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  for (const companion of [`${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(companion)) fs.chmodSync(companion, 0o600);
  }
  return db;
}

function configure(db: Db): Db {
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  return db;
}
