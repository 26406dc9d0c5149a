import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addressLocalPart, candidateAddress } from '../../src/domain/email-address';
import { accountId, createAccountBody } from '../../src/operations/schemas/requests';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';

/** Characters real and unreal names are made of: many scripts, letters with no ASCII form, joiners. */
const PIECES = [
  ...'abcXYZéøßŁĳ',
  ...'Иванπλ',
  ...'中国人李',
  ...'محمد',
  ...'देवी',
  ...'ʼˈʻ', // modifier letters (\p{Lm}): letters with no ASCII form
  ...'ーｰ々', // prolonged sound marks and iteration marks
  ...'ＡＢ１', // full-width
  ...'ﬁǅⅫ٣²', // ligatures, title case, Roman and Arabic-Indic numerals, superscript
  '\u0301', // a combining accent
  ' ',
  '-',
  "'",
  '’',
];
const nameLike = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 70 }).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const accepted = (firstName: string, lastName: string) =>
  createAccountBody.safeParse(newPerson({ firstName, lastName })).success;

describe('R11: every name the API accepts gives an address the API can route to', () => {
  it('R11: for any pair of accepted names, each candidate address passes the API’s own id check and fits 64 characters', () => {
    fc.assert(
      fc.property(nameLike, nameLike, (first, last) => {
        fc.pre(accepted(first, last));
        const local = addressLocalPart(first, last);
        for (const n of [0, 1, 9999]) {
          const address = candidateAddress(local, 'nhs.net', n);
          assert.ok(accountId.safeParse(address).success, `${JSON.stringify([first, last])} -> ${address}`);
          assert.ok(address.split('@')[0]!.length <= 64, `${address} has a local part over 64 characters`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('R3, R11: a name that leaves nothing for the address is refused, naming the field; nothing is created', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      for (const [firstName, lastName, fields] of [
        ['ʼ', 'Probe', ['firstName']],
        ['ʼ', 'ʼ', ['firstName', 'lastName']],
        ['ー', 'ー', ['firstName', 'lastName']],
      ] as const) {
        const res = await h.api
          .post('/v1/accounts')
          .set(bearer(TOKENS.national))
          .send(newPerson({ firstName, lastName }));
        assert.equal(res.status, 400, `${firstName} ${lastName}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(
          res.body.errors.map((e: { path: string }) => e.path),
          fields,
        );
        assert.match(res.body.errors[0].message, /can be written in an email address/);
      }
      assert.equal(h.starts(), 0);
    });
  });

  it('R11: accounts created with generated names are each found again at their address', async () => {
    const pairs = fc
      .sample(fc.tuple(nameLike, nameLike), { numRuns: 2000, seed: 20261127 })
      .filter(([f, l]) => accepted(f, l))
      .slice(0, 12);
    assert.equal(pairs.length, 12, 'enough accepted names to try');
    const h = await apiHarness();
    await h.run(async () => {
      for (const [firstName, lastName] of [['中国', '李'], ...pairs]) {
        const body = newPerson({ firstName, lastName, confirmNotDuplicate: true });
        const res = await h.api.post('/v1/accounts').set(bearer(TOKENS.national)).send(body);
        assert.equal(res.status, 201, `${firstName} ${lastName}: ${JSON.stringify(res.body)}`);
        const got = await h.api.get(res.headers.location!).set(bearer(TOKENS.national));
        assert.equal(got.status, 200, `${res.body.email} does not route to its account`);
        assert.equal(got.body.id, res.body.id);
      }
    });
  });
});
