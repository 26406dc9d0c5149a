import assert from 'node:assert/strict';
import { openDatabase } from '../../src/adapters/sqlite/database';
import { SqliteDirectory } from '../../src/adapters/sqlite/sqlite-directory';
import type { DirectoryEntry } from '../../src/ports/directory';
import { addressLocalPart } from '../../src/domain/email-address';

function entry(firstName: string, lastName: string, mobile?: string): Omit<DirectoryEntry, 'id' | 'email'> {
  return {
    displayName: `${firstName} ${lastName}`,
    title: 'Mr',
    firstName,
    lastName,
    organisationCode: 'RJ1',
    organisationName: "Guy's and St Thomas' NHS Foundation Trust",
    clinicalSpecialities: [],
    clinicalRoles: [],
    workAreas: [],
    ...(mobile ? { mobile } : {}),
    phonesHidden: false,
    status: 'Pending',
  };
}

describe('Primary address allocation', () => {
  it('R11: first.last@domain in lower case, letters folded to ASCII', () => {
    assert.equal(addressLocalPart('John', 'Smith'), 'john.smith');
    assert.equal(addressLocalPart('Zoë', 'Ñúñez'), 'zoe.nunez');
    assert.equal(addressLocalPart('Łukasz', 'Straße'), 'lukasz.strasse');
    assert.equal(addressLocalPart('Siobhán', "O'Neil"), 'siobhan.oneil');
    assert.equal(addressLocalPart('Mary Ann', 'Smith-Jones'), 'maryann.smith-jones');
    assert.equal(addressLocalPart('Иван', 'Петров'), 'ivan.petrov');
  });

  it('R11: a taken address gets the next number, first.last1, first.last2, ...', async () => {
    const directory = new SqliteDirectory(openDatabase(':memory:'));
    const emails: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await directory.reserve({
        entry: entry('John', 'Smith'),
        domain: 'nhs.net',
        confirmNotDuplicate: true,
        pendingStart: {},
      });
      assert.equal(r.kind, 'reserved');
      if (r.kind === 'reserved') emails.push(r.email);
    }
    assert.deepEqual(emails, ['john.smith@nhs.net', 'john.smith1@nhs.net', 'john.smith2@nhs.net']);
    const folded = await directory.reserve({
      entry: entry('Jóhn', 'Smíth'),
      domain: 'NHS.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    assert.equal(
      folded.kind === 'reserved' && folded.email,
      'john.smith3@nhs.net',
      'accents fold onto the same address',
    );
  });

  it('R11: an address stays taken once its account exists, whatever happens to the account', async () => {
    const directory = new SqliteDirectory(openDatabase(':memory:'));
    await directory.reserve({
      entry: entry('Ada', 'Lovelace'),
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    await directory.upsert({
      ...entry('Ada', 'Lovelace'),
      id: 'ada.lovelace@nhs.net',
      email: 'ada.lovelace@nhs.net',
      status: 'ProvisioningFailed',
    });
    const next = await directory.reserve({
      entry: entry('Ada', 'Lovelace'),
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    assert.equal(next.kind === 'reserved' && next.email, 'ada.lovelace1@nhs.net');
  });

  it('R12: the same mobile is a certain duplicate; the same name is a possible one unless confirmed', async () => {
    const directory = new SqliteDirectory(openDatabase(':memory:'));
    await directory.reserve({
      entry: entry('Grace', 'Hopper', '+447700900001'),
      domain: 'nhs.net',
      confirmNotDuplicate: false,
      pendingStart: {},
    });
    const sameMobile = await directory.reserve({
      entry: entry('G', 'Hopper', '+447700900001'),
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    assert.equal(sameMobile.kind, 'duplicate');
    assert.equal(sameMobile.kind === 'duplicate' && sameMobile.existing.email, 'grace.hopper@nhs.net');
    const sameName = await directory.reserve({
      entry: entry('Grace', 'Hopper'),
      domain: 'nhs.net',
      confirmNotDuplicate: false,
      pendingStart: {},
    });
    assert.equal(sameName.kind, 'possible-duplicates');
    const confirmed = await directory.reserve({
      entry: entry('Grace', 'Hopper'),
      domain: 'nhs.net',
      confirmNotDuplicate: true,
      pendingStart: {},
    });
    assert.equal(confirmed.kind === 'reserved' && confirmed.email, 'grace.hopper1@nhs.net');
  });
});
