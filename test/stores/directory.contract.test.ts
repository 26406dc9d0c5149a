import assert from 'node:assert/strict';
import type { DirectoryEntry, ReservationRequest, ReservationResult } from '../../src/ports/directory';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

type Draft = Omit<DirectoryEntry, 'id' | 'email'>;

function draft(firstName: string, lastName: string, more: Partial<Draft> = {}): Draft {
  return {
    displayName: `${firstName} ${lastName}`,
    title: 'Dr',
    firstName,
    lastName,
    organisationCode: 'RJ1',
    organisationName: "Guy's and St Thomas' NHS Foundation Trust",
    clinicalSpecialities: [],
    clinicalRoles: [],
    workAreas: [],
    phonesHidden: false,
    status: 'Pending',
    ...more,
  };
}

const request = (entry: Draft, more: Partial<ReservationRequest> = {}): ReservationRequest => ({
  entry,
  domain: 'nhs.net',
  confirmNotDuplicate: true,
  pendingStart: { how: 'to start' },
  ...more,
});

function emailOf(result: ReservationResult): string {
  if (result.kind !== 'reserved') assert.fail(`expected a reservation, got ${result.kind}`);
  return result.email;
}

for (const backend of STORE_BACKENDS) {
  describe(`Directory contract: ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async function () {
      stores = await backend.open(this);
    });
    afterEach(() => stores?.close());

    /** Reserves and publishes an account as its lifecycle would. */
    async function account(entry: Draft): Promise<DirectoryEntry> {
      const email = emailOf(await stores.directory.reserve(request(entry)));
      const published = { ...entry, id: email, email };
      await stores.directory.upsert(published);
      return published;
    }

    describe('reservations (R11, R12)', () => {
      it('R11: a taken address gets the next number, first.last1, first.last2, ...; accents fold onto it', async () => {
        const emails: string[] = [];
        for (let i = 0; i < 3; i++)
          emails.push(emailOf(await stores.directory.reserve(request(draft('John', 'Smith')))));
        assert.deepEqual(emails, ['john.smith@nhs.net', 'john.smith1@nhs.net', 'john.smith2@nhs.net']);
        const folded = await stores.directory.reserve(request(draft('Jóhn', 'Smíth'), { domain: 'NHS.net' }));
        assert.equal(emailOf(folded), 'john.smith3@nhs.net');
      });

      it('R11: an address stays taken once allocated, whatever happens to its account', async () => {
        const first = await account(draft('Ada', 'Lovelace'));
        await stores.directory.upsert({ ...first, status: 'Deleted' });
        assert.equal(
          emailOf(await stores.directory.reserve(request(draft('Ada', 'Lovelace')))),
          'ada.lovelace1@nhs.net',
        );
      });

      it("R11: a name whose address is another name's numbered one skips it", async () => {
        await account(draft('John', 'Smith'));
        assert.equal(
          emailOf(await stores.directory.reserve(request(draft('John', 'Smith1')))),
          'john.smith1@nhs.net',
        );
        assert.equal(
          emailOf(await stores.directory.reserve(request(draft('John', 'Smith')))),
          'john.smith2@nhs.net',
        );
      });

      it('R12: the same mobile is a certain duplicate; the same name a possible one unless confirmed', async () => {
        await stores.directory.reserve(request(draft('Grace', 'Hopper', { mobile: '+447700900001' })));
        const sameMobile = await stores.directory.reserve(
          request(draft('G', 'Hopper', { mobile: '+447700900001' })),
        );
        assert.equal(sameMobile.kind, 'duplicate');
        assert.equal(sameMobile.kind === 'duplicate' && sameMobile.existing.email, 'grace.hopper@nhs.net');
        const sameName = await stores.directory.reserve(
          request(draft('Grace', 'Hopper'), { confirmNotDuplicate: false }),
        );
        assert.equal(sameName.kind, 'possible-duplicates');
        assert.deepEqual(
          sameName.kind === 'possible-duplicates' &&
            sameName.candidates.map((c) => [c.email, c.organisationCode, c.status]),
          [['grace.hopper@nhs.net', 'RJ1', 'Pending']],
        );
        assert.equal(
          emailOf(await stores.directory.reserve(request(draft('Grace', 'Hopper')))),
          'grace.hopper1@nhs.net',
        );
      });

      it('R12, R32: a deleted account is no duplicate', async () => {
        const gone = await account(draft('Alan', 'Turing', { mobile: '+447700900002' }));
        await stores.directory.upsert({ ...gone, status: 'Deleted' });
        const again = await stores.directory.reserve(
          request(draft('Alan', 'Turing', { mobile: '+447700900002' }), { confirmNotDuplicate: false }),
        );
        assert.equal(emailOf(again), 'alan.turing1@nhs.net');
      });

      it('R11, R12: concurrent reservations get distinct consecutive addresses, and one mobile one account', async () => {
        const smiths = await Promise.all(
          Array.from({ length: 20 }, () => stores.directory.reserve(request(draft('Jane', 'Doe')))),
        );
        assert.deepEqual(
          smiths.map(emailOf).sort(),
          Array.from({ length: 20 }, (_, n) => `jane.doe${n || ''}@nhs.net`).sort(),
        );
        const twins = await Promise.all(
          ['Mary', 'Maria', 'Mary', 'Marie'].map((first) =>
            stores.directory.reserve(request(draft(first, 'Shelley', { mobile: '+447700900003' }))),
          ),
        );
        assert.deepEqual(twins.map((t) => t.kind).sort(), [
          'duplicate',
          'duplicate',
          'duplicate',
          'reserved',
        ]);
      });

      it('R11: a reservation keeps how to start its lifecycle until told it started', async () => {
        const now = new Date();
        const email = emailOf(await stores.directory.reserve(request(draft('Rosalind', 'Franklin'))));
        const located = await stores.directory.locate(email);
        assert.deepEqual(located && { ...located, lastModified: undefined }, {
          organisation: 'RJ1',
          status: 'Pending',
          lifecyclePending: true,
          lastModified: undefined,
        });
        assert.ok(
          Math.abs(Date.parse(located!.lastModified!) - now.getTime()) < 60_000,
          'R33: when it changed',
        );
        const pending = await stores.directory.pendingStart(email);
        assert.deepEqual(pending && { ...pending, reservedAt: undefined }, {
          id: email,
          email,
          pendingStart: { how: 'to start' },
          reservedAt: undefined,
        });
        assert.ok(Math.abs(Date.parse(pending!.reservedAt) - now.getTime()) < 60_000);
        assert.deepEqual(await stores.directory.pendingStarts(new Date(now.getTime() - 60_000), 10), []);
        assert.deepEqual(
          (await stores.directory.pendingStarts(new Date(now.getTime() + 60_000), 10)).map((p) => p.id),
          [email],
        );
        await stores.directory.lifecycleStarted(email);
        await stores.directory.lifecycleStarted(email);
        assert.equal(await stores.directory.pendingStart(email), undefined);
        assert.equal((await stores.directory.locate(email))?.lifecyclePending, false);
        assert.equal(await stores.directory.locate('nobody@nhs.net'), undefined);
      });
    });

    describe('entries (R26)', () => {
      it('R26: shows an entry without its phone numbers when they are hidden, and no entry once deleted', async () => {
        const shown = await account(
          draft('Edith', 'Cavell', { mobile: '+447700900004', telephone: '02071234567' }),
        );
        assert.deepEqual(await stores.directory.get(shown.id), shown);
        await stores.directory.upsert({ ...shown, phonesHidden: true });
        const hidden = await stores.directory.get(shown.id);
        assert.equal(hidden?.mobile, undefined);
        assert.equal(hidden?.telephone, undefined);
        assert.equal(hidden?.displayName, 'Edith Cavell');
        await stores.directory.upsert({ ...shown, status: 'Deleted' });
        assert.equal(await stores.directory.get(shown.id), undefined);
        assert.equal((await stores.directory.locate(shown.id))?.status, 'Deleted');
      });
    });

    describe('search (R26)', () => {
      beforeEach(async () => {
        await account(
          draft('Aoife', "O'Neil", {
            jobTitle: 'Consultant Cardiologist',
            clinicalRoles: ['R8000'],
            clinicalSpecialities: ['320'],
            mobile: '+447700900010',
          }),
        );
        await account(draft('Aoife', 'Smith', { jobTitle: 'Staff Nurse', clinicalRoles: ['R8001'] }));
        await account(
          draft('Ben', 'Smithson', {
            organisationCode: 'RRV',
            organisationName: 'University College London Hospitals',
            jobTitle: 'Radiographer',
          }),
        );
        await account(
          draft('Cara', 'Smith', {
            organisationCode: 'R0A',
            organisationName: 'Manchester University',
            status: 'Leaver',
          }),
        );
        await account(draft('Dan', 'Smith', { status: 'Deleted' }));
      });
      const emails = async (search: Parameters<TestStores['directory']['search']>[0]) =>
        (await stores.directory.search(search)).entries.map((e) => e.email);

      it('R26: matches each word to the start of a word of the name, address, job title, organisation and role and speciality codes', async () => {
        const smiths = ['aoife.smith@nhs.net', 'ben.smithson@nhs.net', 'cara.smith@nhs.net'];
        assert.deepEqual(await emails({ q: 'smith', limit: 10 }), smiths);
        assert.deepEqual(await emails({ q: 'SMI', limit: 10 }), smiths, 'the start of a word, any case');
        assert.deepEqual(await emails({ q: 'mithson', limit: 10 }), [], 'not the middle of one');
        assert.deepEqual(
          await emails({ q: 'aoife smith', limit: 10 }),
          ['aoife.smith@nhs.net'],
          'every word',
        );
        assert.deepEqual(await emails({ q: 'cardiologist', limit: 10 }), ['aoife.oneil@nhs.net']);
        assert.deepEqual(await emails({ q: 'r8000', limit: 10 }), ['aoife.oneil@nhs.net'], 'role code');
        assert.deepEqual(await emails({ q: '320', limit: 10 }), ['aoife.oneil@nhs.net'], 'speciality code');
        assert.deepEqual(
          await emails({ q: 'london', limit: 10 }),
          ['ben.smithson@nhs.net'],
          'organisation name',
        );
        assert.deepEqual(
          await emails({ q: 'rrv', limit: 10 }),
          ['ben.smithson@nhs.net'],
          'organisation code',
        );
        assert.deepEqual(
          await emails({ q: 'aoife.oneil@nhs.net', limit: 10 }),
          ['aoife.oneil@nhs.net'],
          'address',
        );
        assert.deepEqual(
          await emails({ q: "o'neil", limit: 10 }),
          ['aoife.oneil@nhs.net'],
          'name as written',
        );
        assert.deepEqual(await emails({ q: 'be', limit: 10 }), ['ben.smithson@nhs.net'], 'two letters');
        assert.deepEqual(await emails({ q: 'zzqx', limit: 10 }), [], 'nothing');
        assert.deepEqual(
          await emails({ q: "%_'", limit: 10 }),
          [],
          'no word at all: nothing, not everything',
        );
        assert.deepEqual(await emails({ q: 'smith%', limit: 10 }), smiths, 'punctuation is no wildcard');
      });

      it('R26: folds letters to ASCII as addresses do, in the entry and the query', async () => {
        await account(draft('Zoë', 'Ñúñez'));
        await account(draft('Иван', 'Петров'));
        assert.deepEqual(await emails({ q: 'zoe nunez', limit: 10 }), ['zoe.nunez@nhs.net']);
        assert.deepEqual(await emails({ q: 'ZOË', limit: 10 }), ['zoe.nunez@nhs.net']);
        assert.deepEqual(await emails({ q: 'Петров', limit: 10 }), ['ivan.petrov@nhs.net']);
        assert.deepEqual(await emails({ q: 'petrov', limit: 10 }), ['ivan.petrov@nhs.net']);
      });

      it('R26: filters by organisations, status (Deleted only when asked for), role and mobile', async () => {
        assert.deepEqual(await emails({ q: 'smith', organisations: ['RJ1', 'RRV'], limit: 10 }), [
          'aoife.smith@nhs.net',
          'ben.smithson@nhs.net',
        ]);
        assert.deepEqual(await emails({ organisations: [], limit: 10 }), []);
        assert.deepEqual(await emails({ organisation: 'R0A', limit: 10 }), ['cara.smith@nhs.net']);
        assert.deepEqual(await emails({ q: 'smith', status: 'Leaver', limit: 10 }), ['cara.smith@nhs.net']);
        assert.deepEqual(await emails({ status: 'Deleted', limit: 10 }), ['dan.smith@nhs.net']);
        assert.deepEqual(await emails({ role: 'R8001', limit: 10 }), ['aoife.smith@nhs.net']);
        assert.deepEqual(await emails({ role: 'R800', limit: 10 }), [], 'a role is matched whole');
        assert.deepEqual(await emails({ mobile: '+447700900010', limit: 10 }), ['aoife.oneil@nhs.net']);
      });

      it('R26: pages in address order with a cursor', async () => {
        const first = await stores.directory.search({ q: 'nhs.net', limit: 2 });
        assert.deepEqual(
          first.entries.map((e) => e.email),
          ['aoife.oneil@nhs.net', 'aoife.smith@nhs.net'],
        );
        const second = await stores.directory.search({ q: 'nhs.net', limit: 2, cursor: first.nextCursor! });
        assert.deepEqual(
          second.entries.map((e) => e.email),
          ['ben.smithson@nhs.net', 'cara.smith@nhs.net'],
        );
        assert.equal(second.nextCursor, null);
      });

      it('R26: finds an entry by its new words once changed, and no longer by its old ones', async () => {
        const [entry] = (await stores.directory.search({ q: 'radiographer', limit: 1 })).entries;
        await stores.directory.upsert({ ...entry!, jobTitle: 'Sonographer' });
        assert.deepEqual(await emails({ q: 'radiographer', limit: 10 }), []);
        assert.deepEqual(await emails({ q: 'sonographer', limit: 10 }), ['ben.smithson@nhs.net']);
      });

      it('R26: a word thousands of entries share still pages in address order', async function () {
        this.timeout(60_000);
        const many = Array.from({ length: 5200 }, (_, i) => `Many${String(i).padStart(4, '0')}`);
        for (let i = 0; i < many.length; i += 100) {
          await Promise.all(
            many.slice(i, i + 100).map((last) => {
              const email = `common.${last.toLowerCase()}@nhs.net`;
              return stores.directory.upsert({ ...draft('Common', last), id: email, email });
            }),
          );
        }
        const page = await stores.directory.search({
          q: 'common',
          limit: 3,
          cursor: Buffer.from('common.many5000').toString('base64url'),
        });
        assert.deepEqual(
          page.entries.map((e) => e.email),
          ['common.many5000@nhs.net', 'common.many5001@nhs.net', 'common.many5002@nhs.net'],
        );
        assert.deepEqual(await emails({ q: 'common many5199', limit: 3 }), ['common.many5199@nhs.net']);
      });
    });
  });
}
