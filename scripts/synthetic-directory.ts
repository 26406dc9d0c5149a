import { sql } from 'kysely';
import { searchTextOf } from '../src/adapters/directory-rows';
import type { SqlDatabase } from '../src/adapters/sql/database';
import { SqlDirectory } from '../src/adapters/sql/directory';
import type { AccountStatus } from '../src/domain/account';
import type { DirectoryEntry } from '../src/domain/directory-entry';
import { addressLocalPart } from '../src/domain/email-address';
import type { Directory } from '../src/ports/directory';
import { referenceData } from '../src/reference/reference-data';

/**
 * A synthetic NHS Directory for the benchmarks: deterministic entries with realistic names (1 in 50 a
 * Smith, three Featherstonehaughs in 1.5 million), addresses as R11 allocates them, and loaders that put
 * them straight into each store's tables in bulk, as reservations and lifecycles would have.
 */
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
export const NO_SUCH_WORD = 'qwxzvbn';
/** In three synthetic entries only. */
export const RARE_SURNAME = 'Featherstonehaugh';
export const COMMON_WORD = 'smith';

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
export function* entries(from: number, to: number, taken: Map<string, number>): Generator<DirectoryEntry> {
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

export interface Store {
  name: string;
  directory: Directory;
  /** Adds entries as reservations and lifecycles would, in bulk (straight into the store's tables). */
  load(entries: DirectoryEntry[]): Promise<void>;
  /** Lets the database update its statistics, as its background maintenance would. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Entries inserted by one statement, within both databases' limits on parameters. */
const AT_ONCE = 1000;

/** The store of `database`, loaded straight into its tables, as reservations and lifecycles would have. */
export function sqlStore(database: SqlDatabase): Store {
  const postgres = database.dialect === 'postgres';
  return {
    name: postgres ? 'PostgreSQL' : 'SQLite',
    directory: new SqlDirectory(database),
    load: (batch) =>
      database.transaction(async (db) => {
        const now = new Date().toISOString();
        for (let from = 0; from < batch.length; from += AT_ONCE) {
          const part = batch.slice(from, from + AT_ONCE);
          await db
            .insertInto('directory_addresses')
            .values(part.map((e) => ({ address: e.email, account_id: e.id, allocated_at: now })))
            .execute();
          await db
            .insertInto('directory_entries')
            .values(
              part.map((e) => ({
                id: e.id,
                email: e.email,
                name_key: addressLocalPart(e.firstName, e.lastName),
                mobile: e.mobile ?? null,
                organisation_code: e.organisationCode,
                status: e.status,
                ...(postgres ? { roles: e.clinicalRoles } : {}),
                search_text: searchTextOf(e),
                data: JSON.stringify(e),
              })),
            )
            .execute();
        }
      }),
    settle: async () => void (await sql.raw(postgres ? 'VACUUM ANALYZE' : 'ANALYZE').execute(database.db)),
    close: () => database.close(),
  };
}
