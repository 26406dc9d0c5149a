import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { openStores, type Stores, type StoresLocation } from '../../src/adapters/stores';
import { SqlDirectory } from '../../src/adapters/sql/directory';
import { migrate, MIGRATIONS, typesOf, type Migration } from '../../src/adapters/sql/migrations';
import { openPostgres } from '../../src/adapters/sql/postgres';
import { openSqlite } from '../../src/adapters/sql/sqlite';
import type { DirectoryEntry } from '../../src/domain/directory-entry';
import { postgresDatabase } from '../helpers/postgres-fixture';

const FIXTURES = path.join(__dirname, '../fixtures/databases');
const broken: Migration = {
  version: 99,
  name: 'broken',
  ddl: () => 'CREATE TABLE x (y text); SELECT nonsense',
};
const applicable = (dialect: 'sqlite' | 'postgres') =>
  MIGRATIONS.filter((m) => m.ddl(typesOf(dialect)) !== undefined).map(({ version, name }) => ({
    version,
    name,
  }));

/**
 * What the fixtures hold: databases made by the engine before its stores were one SQL layer (Kysely), by
 * test/fixtures/databases/README.md's recipe. Each store reads its rows, and goes on from them.
 */
async function assertCarriedOver(location: StoresLocation) {
  const clock = () => new Date('2026-11-29T09:00:00.000Z');
  const stores: Stores = await openStores(location, { mailboxDelayMs: 0, syncDelayMs: 0 }, clock);
  try {
    const mary = 'mary.seacole@nhs.net';
    const entry = await stores.directory.get(mary);
    assert.equal(entry?.status, 'Active');
    assert.equal(entry.mobile, undefined, 'phones hidden, as they were');
    const found = await stores.directory.search({ q: 'seacole nurse', limit: 5 });
    assert.deepEqual(
      found.entries.map((e) => e.email),
      ['mary.seacole1@nhs.net', mary],
      'in address order, byte by byte',
    );
    assert.deepEqual(await stores.directory.locate('mary.seacole1@nhs.net'), {
      organisation: 'RJ1',
      status: 'Pending',
      lifecyclePending: true,
    });
    assert.deepEqual((await stores.directory.pendingStart('mary.seacole1@nhs.net'))?.pendingStart, {
      lifecycle: 'b',
    });
    const [incident] = await stores.incidents.list(mary);
    assert.deepEqual(
      [incident?.status, incident?.raisedAt, incident?.notes],
      ['Resolved', '2026-11-27T17:00:00.000Z', ['Chased Microsoft', 'Mailbox created']],
    );
    const platform = await stores.platform.inspect(mary);
    assert.deepEqual(
      [platform.exists, platform.enabled, platform.disabledReason, platform.groups, platform.policy],
      [true, false, 'Leaver', ['NHSmail-MFA-Standard-CA'], 'Standard'],
    );
    assert.ok(platform.passwordMatches('Temp-Password-1!'), 'the stored hash still verifies');
    assert.equal(await stores.platform.lastSignIn(mary), '2026-11-28T09:00:00.000Z');
    const upload = await stores.bulkUploads.get('RJ1-0000abcd');
    assert.deepEqual(upload?.uploadedBy, {
      kind: 'local-admin',
      id: 'alex',
      name: 'Alex Admin',
      orgs: ['RJ1'],
    });
    assert.deepEqual(
      [upload.createdAt, upload.finishedAt],
      ['2026-11-27T17:00:00.000Z', '2026-11-27T17:05:00.000Z'],
    );
    assert.deepEqual(await stores.bulkUploads.counts('RJ1-0000abcd'), {
      created: 1,
      failed: 0,
      invalid: 1,
      pending: 0,
    });
    assert.deepEqual(
      [...(await stores.bulkUploads.passwords('RJ1-0000abcd'))],
      [[2, { accountId: 'ann.lee@nhs.net', sealed: 'sealed-v1' }]],
    );
    assert.deepEqual((await stores.bulkUploads.row('RJ1-0000abcd', 3))?.errors, [
      { line: 3, path: 'FirstName', message: 'Required' },
    ]);

    // And they go on from there: the next Mary Seacole is the third, a key's answer is replayed.
    const next = await stores.directory.reserve({
      entry: { ...entry, mobile: '+447400100003', status: 'Pending' },
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    assert.deepEqual(next, { kind: 'reserved', id: 'mary.seacole2@nhs.net', email: 'mary.seacole2@nhs.net' });
    const replay = await stores.idempotency.claim('alex', 'key-1', 'hash-1');
    assert.deepEqual(replay, { state: 'replay', status: 201, body: { id: mary, email: mary } });
    await stores.platform.enable(mary);
    assert.equal((await stores.platform.inspect(mary)).enabled, true);
    assert.deepEqual((await stores.platform.operations(mary)).map((o) => o.operation).slice(-3), [
      'disable',
      'lastSignIn',
      'enable',
    ]);
  } finally {
    await stores.close();
  }
}

describe('Schema migrations', () => {
  describe('SQLite', () => {
    let folder: string;
    beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'))));
    afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('applies each migration once, in order, and records it', async () => {
      const file = path.join(folder, 'engine.sqlite');
      const database = await openSqlite(file);
      const recorded = await database.db
        .selectFrom('schema_migrations')
        .select(['version', 'name'])
        .orderBy('version')
        .execute();
      assert.deepEqual(recorded, applicable('sqlite'));
      assert.deepEqual(await migrate(database), [], 'nothing left to apply');
      await database.close();
      const again = await openSqlite(file);
      assert.equal(
        (await again.db.selectFrom('schema_migrations').selectAll().execute()).length,
        MIGRATIONS.length,
      );
      await again.close();
    });

    it('applies nothing of a migration that fails', async () => {
      const file = path.join(folder, 'engine.sqlite');
      await assert.rejects(openSqlite(file, [...MIGRATIONS, broken]), /nonsense/);
      const db = new Database(file);
      assert.deepEqual(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all(),
        [],
        'rolled back whole',
      );
      db.close();
    });

    it('takes over a database made before migrations, its entries found by the text search', async () => {
      const file = path.join(folder, 'engine.sqlite');
      const old = new Database(file);
      old.exec(MIGRATIONS[0]!.ddl(typesOf('sqlite'))!);
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

      const database = await openSqlite(file);
      const versions = await database.db.selectFrom('schema_migrations').select('version').execute();
      assert.deepEqual(
        versions.map((v) => v.version),
        MIGRATIONS.map((m) => m.version),
      );
      const directory = new SqlDirectory(database);
      for (const q of ['seacole', 'SEA', 'nurse', 'r8001', 'thomas']) {
        const page = await directory.search({ q, limit: 5 });
        assert.deepEqual(
          page.entries.map((e) => e.email),
          ['mary.seacole@nhs.net'],
          q,
        );
      }
      await database.close();
    });

    it('R11, R26, R31: a file made before the stores were one SQL layer opens with every row, and its stores go on from them', async () => {
      const file = path.join(folder, 'engine.sqlite');
      fs.writeFileSync(
        file,
        zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'made-before-kysely.sqlite.gz'))),
      );
      await assertCarriedOver({ kind: 'sqlite', file });
      const db = new Database(file);
      assert.deepEqual(
        db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all(),
        applicable('sqlite'),
        'its migrations were all applied already',
      );
      db.close();
    });
  });

  describe('PostgreSQL', () => {
    it('applies each migration once when several processes start together', async function () {
      const url = await postgresDatabase(this);
      const databases = await Promise.all([1, 2, 3].map(() => openPostgres({ url, poolSize: 2 })));
      try {
        assert.deepEqual(await migrate(databases[0]!), []);
        const recorded = await databases[0]!.db
          .selectFrom('schema_migrations')
          .select(['version', 'name'])
          .orderBy('version')
          .execute();
        assert.deepEqual(recorded, applicable('postgres'), 'each applied once, by one of them');
      } finally {
        await Promise.all(databases.map((database) => database.close()));
      }
    });

    it('applies nothing of a migration that fails', async function () {
      const url = await postgresDatabase(this);
      await assert.rejects(openPostgres({ url, poolSize: 1 }, [...MIGRATIONS, broken]));
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const { rows } = await pool.query(
          "SELECT to_regclass('schema_migrations') AS t, to_regclass('x') AS x",
        );
        assert.deepEqual(rows, [{ t: null, x: null }], 'rolled back whole');
      } finally {
        await pool.end();
      }
    });

    it('R11, R26, R31: a database made before the stores were one SQL layer opens with every row, and its stores go on from them', async function () {
      const url = await postgresDatabase(this);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await pool.query(fs.readFileSync(path.join(FIXTURES, 'made-before-kysely.postgres.sql'), 'utf8'));
      } finally {
        await pool.end();
      }
      await assertCarriedOver({ kind: 'postgres', url, poolSize: 2 });
      const database = await openPostgres({ url, poolSize: 1 });
      try {
        const { rows } = await sql<{ version: number; name: string }>`
          SELECT version, name FROM schema_migrations ORDER BY version`.execute(database.db);
        assert.deepEqual(
          rows.map((r) => r.name),
          applicable('postgres').map((m) => m.name),
          'its migrations were all applied already, under their old numbers',
        );
      } finally {
        await database.close();
      }
    });
  });
});
