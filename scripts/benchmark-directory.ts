import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres, type Pool } from '../src/adapters/postgres/database';
import { PostgresDirectory } from '../src/adapters/postgres/postgres-directory';
import { openDatabase, type Db } from '../src/adapters/sqlite/database';
import { SqliteDirectory } from '../src/adapters/sqlite/sqlite-directory';
import { searchTextOf } from '../src/adapters/directory-rows';
import type { AccountStatus } from '../src/domain/account';
import type { DirectoryEntry } from '../src/domain/directory-entry';
import { addressLocalPart } from '../src/domain/email-address';
import type { Directory, ReservationRequest } from '../src/ports/directory';
import { referenceData } from '../src/reference/reference-data';
import { startThrowawayPostgres } from '../test/helpers/throwaway-postgres';

/**
 * `npm run bench:directory`: the directory at NHS scale. Loads synthetic entries into each store (a SQLite
 * file; a throwaway PostgreSQL server) and prints, at each size, the latency of a create's reservation, of
 * name searches and of the duplicate checks, through the stores' own methods. Figures are printed, not
 * asserted. BENCH_SIZES (default 0,100000,1500000), BENCH_STORES (default sqlite,postgres) and BENCH_SAMPLES
 * (default 200) change what is measured.
 */
const SIZES = (process.env.BENCH_SIZES ?? '0,100000,1500000').split(',').map(Number);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const BATCH = 5000;

const FIRST = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Aoife',
  'Siobhan',
  'Priya',
  'Mohammed',
  'Fatima',
  'Olusegun',
  'Chen',
  'Anna',
  'Oliver',
  'Amelia',
  'Harry',
  'Isla',
  'Jack',
  'Ava',
  'George',
  'Mia',
  'Noah',
  'Ella',
  'Leo',
  'Grace',
  'Arjun',
  'Zoë',
  'Łukasz',
  'Niamh',
  'Kwame',
];
const SYLLABLES = [
  'ash',
  'bar',
  'ber',
  'brook',
  'by',
  'car',
  'den',
  'dale',
  'ford',
  'gate',
  'ham',
  'har',
  'ing',
  'kin',
  'land',
  'ley',
  'low',
  'man',
  'mar',
  'mer',
  'mont',
  'ridge',
  'row',
  'shaw',
  'son',
  'ston',
  'thorp',
  'ton',
  'well',
  'wick',
  'wood',
  'worth',
  'al',
  'el',
  'ol',
  'ap',
  'ek',
  'ov',
  'ski',
  'ra',
];
const JOBS = [
  'Staff Nurse',
  'Consultant Cardiologist',
  'Foundation Doctor',
  'Healthcare Assistant',
  'Radiographer',
  'Physiotherapist',
  'Pharmacist',
  'Ward Clerk',
  'Midwife',
  'Paramedic',
  'Registrar',
  'Practice Manager',
];
/** In no synthetic entry: the search for it matches nothing. */
const NO_SUCH_WORD = 'qwxzvbn';
/** In three synthetic entries only. */
const RARE_SURNAME = 'Featherstonehaugh';
const COMMON_WORD = 'smith';

const roles = referenceData.roles.map((r) => r.code);
const specialities = referenceData.specialities.map((s) => s.code);
const organisations = Array.from({ length: 400 }, (_, i) => ({
  code: `R${(i + 100).toString(36).toUpperCase()}`,
  name: `${['North', 'South', 'East', 'West', 'Central'][i % 5]} ${SYLLABLES[i % SYLLABLES.length]}shire NHS Trust ${i}`,
}));

/** A deterministic pseudo-random sequence, so each run loads the same directory. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const surname = (r: () => number) => {
  const n = 2 + Math.floor(r() * 2);
  const s = Array.from({ length: n }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join('');
  return s[0]!.toUpperCase() + s.slice(1);
};

/** Synthetic entries `from`..`to`-1: mostly Active, some Pending, Leaver or Deleted; 1 in 50 a Smith. */
function* entries(from: number, to: number, taken: Map<string, number>): Generator<DirectoryEntry> {
  const r = random(from + 7);
  for (let i = from; i < to; i++) {
    const firstName = FIRST[Math.floor(r() * FIRST.length)]!;
    const lastName = i % 500_000 === 250_000 ? RARE_SURNAME : r() < 0.02 ? 'Smith' : surname(r);
    const local = addressLocalPart(firstName, lastName);
    const n = taken.get(local) ?? 0;
    taken.set(local, n + 1);
    const email = `${local}${n || ''}@nhs.net`;
    const org = organisations[Math.floor(r() * organisations.length)]!;
    const x = r();
    const status: AccountStatus =
      x < 0.02 ? 'Deleted' : x < 0.03 ? 'Leaver' : x < 0.06 ? 'Pending' : 'Active';
    yield {
      id: email,
      email,
      displayName: `${firstName} ${lastName}`,
      title: 'Dr',
      firstName,
      lastName,
      organisationCode: org.code,
      organisationName: org.name,
      jobTitle: JOBS[Math.floor(r() * JOBS.length)],
      clinicalSpecialities: [specialities[Math.floor(r() * specialities.length)]!],
      clinicalRoles: [roles[Math.floor(r() * roles.length)]!],
      workAreas: [],
      mobile: `+4474${String(10_000_000 + i).slice(-8)}`,
      phonesHidden: r() < 0.1,
      status,
    };
  }
}

interface Store {
  name: string;
  directory: Directory;
  /** Adds entries as reservations and lifecycles would, in bulk (straight into the store's tables). */
  load(entries: DirectoryEntry[]): Promise<void>;
  /** Lets the database update its statistics, as its background maintenance would. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function sqliteStore(file: string): Store {
  const db: Db = openDatabase(file);
  const address = db.prepare(
    'INSERT INTO directory_addresses (address, account_id, allocated_at) VALUES (?, ?, ?)',
  );
  const entry = db.prepare(
    `INSERT INTO directory_entries (id, email, name_key, mobile, organisation_code, status, search_text, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const load = db.transaction((batch: DirectoryEntry[]) => {
    const now = new Date().toISOString();
    for (const e of batch) {
      address.run(e.email, e.id, now);
      entry.run(
        e.id,
        e.email,
        addressLocalPart(e.firstName, e.lastName),
        e.mobile ?? null,
        e.organisationCode,
        e.status,
        searchTextOf(e),
        JSON.stringify(e),
      );
    }
  });
  return {
    name: 'SQLite',
    directory: new SqliteDirectory(db),
    load: async (batch) => load(batch),
    settle: async () => void db.exec('ANALYZE'),
    close: async () => void db.close(),
  };
}

function postgresStore(pool: Pool): Store {
  return {
    name: 'PostgreSQL',
    directory: new PostgresDirectory(pool),
    async load(batch) {
      const now = new Date();
      await pool.query(
        `INSERT INTO directory_addresses (address, account_id, allocated_at)
         SELECT a, a, $2 FROM unnest($1::text[]) AS a`,
        [batch.map((e) => e.email), now],
      );
      await pool.query(
        `INSERT INTO directory_entries (id, email, name_key, mobile, organisation_code, status, roles, search_text, data)
         SELECT e.id, e.id, e.name_key, e.mobile, e.org, e.status, ARRAY[e.role], e.search_text, e.data::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS e (id, name_key, mobile, org, status, role, search_text, data)`,
        [
          batch.map((e) => e.id),
          batch.map((e) => addressLocalPart(e.firstName, e.lastName)),
          batch.map((e) => e.mobile ?? null),
          batch.map((e) => e.organisationCode),
          batch.map((e) => e.status),
          batch.map((e) => e.clinicalRoles[0]!),
          batch.map(searchTextOf),
          batch.map((e) => JSON.stringify(e)),
        ],
      );
    },
    settle: async () => void (await pool.query('VACUUM ANALYZE')),
    close: () => pool.end(),
  };
}

interface Row {
  store: string;
  entries: number;
  figures: Record<string, number[]>;
}

const COLUMNS: [string, string, number[]][] = [
  ['create (reserve)', 'create', [0.5, 0.95]],
  ['search, no match', 'none', [0.5, 0.95]],
  ['search, rare surname', 'rare', [0.5, 0.95]],
  [`search "${COMMON_WORD}"`, 'common', [0.5]],
  ['duplicate (mobile)', 'duplicate', [0.5]],
  ['possible dup (name)', 'possible', [0.5]],
];

async function measure(store: Store, size: number, run: number): Promise<Row> {
  const { directory } = store;
  const figures: Record<string, number[]> = {};
  const time = async (what: string, call: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await call(-1 - i); // warm up
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = process.hrtime.bigint();
      await call(i);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    figures[what] = times.sort((a, b) => a - b);
  };
  const reservation = (first: string, last: string, mobile: string, confirm = true): ReservationRequest => ({
    entry: {
      displayName: `${first} ${last}`,
      title: 'Dr',
      firstName: first,
      lastName: last,
      organisationCode: 'RJ1',
      organisationName: "Guy's and St Thomas' NHS Foundation Trust",
      jobTitle: 'Staff Nurse',
      clinicalSpecialities: ['300'],
      clinicalRoles: ['R8000'],
      workAreas: [],
      mobile,
      phonesHidden: false,
      status: 'Pending',
    },
    domain: 'nhs.net',
    confirmNotDuplicate: confirm,
    pendingStart: { benchmark: true },
  });
  await time('create', (i) =>
    directory.reserve(
      reservation('Bench', `Run${run}x${i + 10}`, `+4475${run}${String(i + 10).padStart(7, '0')}`),
    ),
  );
  await time('none', () => directory.search({ q: NO_SUCH_WORD, limit: 25 }));
  await time('rare', () => directory.search({ q: RARE_SURNAME, limit: 25 }));
  await time('common', () => directory.search({ q: COMMON_WORD, limit: 25 }));
  // The first bench entry's mobile: a certain duplicate, refused before any address is allocated.
  await time('duplicate', () => directory.reserve(reservation('Other', 'Person', `+4475${run}0000010`)));
  await time('possible', () =>
    directory.reserve(reservation('Bench', `Run${run}x10`, '+447999999999', false)),
  );
  return { store: store.name, entries: size, figures };
}

function report(rows: Row[]): void {
  const at = (times: number[], q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const cell = (row: Row, key: string, qs: number[]) =>
    qs.map((q) => at(row.figures[key]!, q).toFixed(2)).join(' / ');
  const header = [
    'store',
    'entries',
    ...COLUMNS.map(([title, , qs]) => `${title} ${qs.length > 1 ? 'p50 / p95' : 'p50'}`),
  ];
  const lines = rows.map((row) => [
    row.store,
    row.entries.toLocaleString('en-GB'),
    ...COLUMNS.map(([, key, qs]) => cell(row, key, qs)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) =>
    console.log(`| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  console.log(
    `\nDirectory latency in ms, ${SAMPLES} calls each, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? ''})`,
  );
  print(header);
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  lines.forEach(print);
  for (const store of new Set(rows.map((r) => r.store))) {
    const mine = rows.filter((r) => r.store === store);
    const [empty, largest] = [mine[0]!, mine[mine.length - 1]!];
    if (empty === largest) continue;
    const ratios = COLUMNS.map(
      ([title, key]) =>
        `${title} ${(at(largest.figures[key]!, 0.5) / at(empty.figures[key]!, 0.5)).toFixed(1)}x`,
    );
    console.log(
      `${store}: p50 at ${largest.entries.toLocaleString('en-GB')} against empty: ${ratios.join(', ')}`,
    );
  }
}

async function benchmark(open: () => Promise<Store>): Promise<Row[]> {
  const store = await open();
  const rows: Row[] = [];
  const taken = new Map<string, number>();
  let loaded = 0;
  try {
    for (const [run, size] of SIZES.entries()) {
      const started = Date.now();
      while (loaded < size) {
        const to = Math.min(size, loaded + BATCH);
        await store.load([...entries(loaded, to, taken)]);
        loaded = to;
        if (loaded % 100_000 === 0)
          process.stdout.write(`\r${store.name}: ${loaded.toLocaleString('en-GB')} entries loaded`);
      }
      if (size > 0) {
        await store.settle();
        console.log(` in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
      rows.push(await measure(store, size, run + 1));
      console.log(`${store.name}: measured at ${size.toLocaleString('en-GB')}`);
    }
  } finally {
    await store.close();
  }
  return rows;
}

async function main() {
  const rows: Row[] = [];
  if (STORES.includes('sqlite')) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-directory-'));
    try {
      rows.push(...(await benchmark(async () => sqliteStore(path.join(folder, 'engine.sqlite')))));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  if (STORES.includes('postgres')) {
    const server = await startThrowawayPostgres();
    try {
      const url = await server.createDatabase();
      rows.push(...(await benchmark(async () => postgresStore(await openPostgres({ url })))));
    } finally {
      await server.stop();
    }
  }
  report(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
