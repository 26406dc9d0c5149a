import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { cacheStatements, openSqlite } from '../../src/adapters/sql/sqlite';
import { loadKeyRing } from '../../src/crypto/key-ring';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('The embedded database on disk', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-db-'));
    umask = process.umask(0o022); // the usual default, which leaves new files world-readable
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('security: the data folder is 0700 and the database, its WAL and shared memory 0600', async () => {
    const dataDir = path.join(root, 'data');
    const file = path.join(dataDir, 'engine.sqlite');
    const db = await openSqlite(file);
    try {
      await sql`CREATE TABLE people (name TEXT, mobile TEXT)`.execute(db.db);
      await sql`INSERT INTO people VALUES ('A', '+447400123456')`.execute(db.db);
      assert.equal(modeOf(dataDir), 0o700, 'the folder');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        assert.ok(fs.existsSync(f), `${path.basename(f)} exists`);
        assert.equal(modeOf(f), 0o600, path.basename(f));
      }
      loadKeyRing({}, dataDir);
      assert.equal(modeOf(dataDir), 0o700, 'the development key leaves the folder private');
    } finally {
      await db.close();
    }
  });

  it('security: a data folder and database left readable by an earlier run are tightened', async () => {
    const dataDir = path.join(root, 'data');
    const file = path.join(dataDir, 'engine.sqlite');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    const before = await openSqlite(file);
    await sql`CREATE TABLE t (x)`.execute(before.db);
    await before.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(file, 0o644);
    const db = await openSqlite(file);
    try {
      await sql`INSERT INTO t VALUES (1)`.execute(db.db);
      assert.equal(modeOf(dataDir), 0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(modeOf(f), 0o600, path.basename(f));
    } finally {
      await db.close();
    }
  });
});

describe('The embedded database: statements', () => {
  it('compiles each statement once, keeps at most 500, and answers from a kept one as from a new one', () => {
    const db = new Database(':memory:');
    cacheStatements(db);
    try {
      db.exec("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('A'), ('B')");
      const count = 'SELECT count(*) AS n FROM people';
      const first = db.prepare(count);
      assert.equal(db.prepare(count), first, 'the same statement, compiled once');
      db.prepare("INSERT INTO people VALUES ('C')").run();
      assert.deepEqual(db.prepare(count).get(), { n: 3 }, 'a kept statement reads the table as it is now');
      for (let i = 0; i < 500; i++) db.prepare(`SELECT ${i} AS n`);
      assert.notEqual(db.prepare(count), first, 'the oldest is dropped past 500, and compiled again');
    } finally {
      db.close();
    }
  });
});

describe('The embedded database: one connection, shared', () => {
  it('Issue 23, one SQL layer: a statement from outside a transaction waits for it, so that a rollback never takes it along', async () => {
    const db = await openSqlite(':memory:');
    try {
      await sql`CREATE TABLE t (x TEXT)`.execute(db.db);
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      const failing = db.transaction(async (trx) => {
        await sql`INSERT INTO t VALUES ('inside')`.execute(trx);
        inside();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('the transaction fails');
      });
      await begun;
      const outside = sql`INSERT INTO t VALUES ('outside')`.execute(db.db);
      await assert.rejects(failing, /fails/);
      await outside;
      const { rows } = await sql<{ x: string }>`SELECT x FROM t`.execute(db.db);
      assert.deepEqual(rows, [{ x: 'outside' }], 'the transaction rolled back alone');
    } finally {
      await db.close();
    }
  });
});
