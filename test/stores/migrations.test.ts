import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../src/adapters/postgres/migrations';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { migrateSqlite, SQLITE_MIGRATIONS } from '../../src/adapters/sqlite/migrations';
import { SqliteDirectory } from '../../src/adapters/sqlite/sqlite-directory';
import type { DirectoryEntry } from '../../src/domain/directory-entry';
import { postgresDatabase } from '../helpers/postgres-fixture';

const versions = (migrations: readonly { version: number }[]) => migrations.map((m) => m.version);

describe('Schema migrations', () => {
  describe('SQLite', () => {
    let folder: string;
    beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'))));
    afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('applies each migration once, in order, and records it', () => {
      const file = path.join(folder, 'engine.sqlite');
      const db = openDatabase(file);
      const recorded = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(
        recorded,
        SQLITE_MIGRATIONS.map(({ version, name }) => ({ version, name })),
      );
      assert.deepEqual(migrateSqlite(db), [], 'nothing left to apply');
      db.close();
      const again = openDatabase(file);
      assert.equal(
        (again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n,
        SQLITE_MIGRATIONS.length,
      );
      again.close();
    });

    it('takes over a database made before migrations, its entries found by the text search', async () => {
      const file = path.join(folder, 'engine.sqlite');
      const old = new Database(file);
      old.exec(SQLITE_MIGRATIONS[0]!.sql);
      const entry: DirectoryEntry = {
        id: 'mary.seacole@nhs.net',
        email: 'mary.seacole@nhs.net',
        displayName: 'Mary Seacole',
        title: 'Mrs',
        firstName: 'Mary',
        lastName: 'Seacole',
        organisationCode: 'RJ1',
        organisationName: "Guy's and St Thomas' NHS Foundation Trust",
        jobTitle: 'Nurse',
        clinicalSpecialities: [],
        clinicalRoles: ['R8001'],
        workAreas: [],
        phonesHidden: false,
        status: 'Active',
      };
      old
        .prepare(
          `INSERT INTO directory_entries (id, email, name_key, mobile, organisation_code, status, search_text, data)
           VALUES (?, ?, 'mary.seacole', NULL, 'RJ1', 'Active', 'mary seacole mary.seacole@nhs.net rj1', ?)`,
        )
        .run(entry.id, entry.email, JSON.stringify(entry));
      old.close();

      const db = openDatabase(file);
      assert.deepEqual(
        versions(db.prepare('SELECT version FROM schema_migrations').all() as []),
        versions(SQLITE_MIGRATIONS),
      );
      const directory = new SqliteDirectory(db);
      for (const q of ['seacole', 'SEA', 'nurse', 'r8001', 'thomas']) {
        const page = await directory.search({ q, limit: 5 });
        assert.deepEqual(
          page.entries.map((e) => e.email),
          ['mary.seacole@nhs.net'],
          q,
        );
      }
      db.close();
    });
  });

  describe('PostgreSQL', () => {
    it('applies each migration once when several processes start together', async function () {
      const url = await postgresDatabase(this);
      const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: url, max: 2 }));
      try {
        const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
        assert.deepEqual(applied.flat().sort(), versions(POSTGRES_MIGRATIONS), 'each applied by one of them');
        assert.deepEqual(await migratePostgres(pools[0]!), []);
        const { rows } = await pools[0]!.query(
          'SELECT version, name FROM schema_migrations ORDER BY version',
        );
        assert.deepEqual(
          rows,
          POSTGRES_MIGRATIONS.map(({ version, name }) => ({ version, name })),
        );
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });

    it('applies nothing of a migration that fails', async function () {
      const url = await postgresDatabase(this);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const broken = [
          ...POSTGRES_MIGRATIONS,
          { version: 99, name: 'broken', sql: 'CREATE TABLE x (); SELECT nonsense' },
        ];
        await assert.rejects(migratePostgres(pool, broken));
        const { rows } = await pool.query(
          "SELECT to_regclass('schema_migrations') AS t, to_regclass('x') AS x",
        );
        assert.deepEqual(rows, [{ t: null, x: null }], 'rolled back whole');
      } finally {
        await pool.end();
      }
    });
  });
});
