import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres } from '../src/adapters/sql/postgres';
import { openSqlite } from '../src/adapters/sql/sqlite';
import type { ReservationRequest } from '../src/ports/directory';
import { startThrowawayPostgres } from '../test/helpers/throwaway-postgres';
import {
  COMMON_WORD,
  entries,
  NO_SUCH_WORD,
  RARE_SURNAME,
  sqlStore,
  type Store,
} from './synthetic-directory';

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
      rows.push(
        ...(await benchmark(async () => sqlStore(await openSqlite(path.join(folder, 'engine.sqlite'))))),
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  if (STORES.includes('postgres')) {
    const server = await startThrowawayPostgres();
    try {
      const url = await server.createDatabase();
      rows.push(...(await benchmark(async () => sqlStore(await openPostgres({ url })))));
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
