import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_RATE_LIMITS } from '../../src/http/rate-limit';
import { TOKENS, apiHarness, bearer, newPerson, type ApiHarness } from '../helpers/api-harness';

const MANDATORY = ['title', 'firstName', 'lastName', 'emailAlias', 'organisation'];
const KNOWN = [
  ...Object.keys(newPerson()),
  'pager',
  'fax',
  'telephone',
  'notes',
  'confirmNotDuplicate',
  'organisationalUnit',
];
const notText = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.object(),
);
const FORBIDDEN = '!@#$%^&*()<>/\\"{}[];:=+_~`|?,';
const badName = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 10 }))
  .map(([a, c, b]) => `${a}${c}${b}`);
const badPhone = fc.oneof(
  fc.constant('+33612345678'),
  fc.constant('+1 202 555 0123'),
  fc.string({ maxLength: 6 }),
  fc.integer(),
);
const unknownCode = fc.string({ maxLength: 8 }).map((s) => `ZZ${s}`);
const unknownKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => !KNOWN.includes(k) && k !== '__proto__');

type Body = Record<string, unknown>;
/** One change that certainly makes a create or edit body invalid. */
const mutation: fc.Arbitrary<(b: Body) => void> = fc.oneof(
  fc.constantFrom(...MANDATORY).map((k) => (b: Body) => void delete b[k]),
  fc.tuple(fc.constantFrom(...MANDATORY, 'jobTitle', 'notes'), notText).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  fc.tuple(fc.constantFrom('firstName', 'lastName'), badName).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  fc.tuple(fc.constantFrom('firstName', 'lastName', 'title'), fc.constantFrom('', '   ', 'x'.repeat(65))).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  fc.tuple(fc.constantFrom('mobile', 'telephone', 'fax', 'pager'), badPhone).map(([k, v]) => (b: Body) => {
    b[k] = k === 'mobile' ? v : typeof v === 'number' ? v : `${v}`.slice(0, 3);
  }),
  fc.tuple(fc.constantFrom('clinicalSpecialities', 'clinicalRoles', 'workAreas'), unknownCode).map(
    ([k, code]) =>
      (b: Body) =>
        void (b[k] = [...(Array.isArray(b[k]) ? (b[k] as unknown[]) : []), code]),
  ),
  fc.tuple(fc.constantFrom('clinicalSpecialities', 'clinicalRoles', 'workAreas'), notText).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = Array.isArray(v) ? [v] : v),
  ),
  fc.tuple(unknownKey, fc.jsonValue()).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  fc.constantFrom('organisationalUnit', 'site').map((k) => (b: Body) => void (b[k] = 'RRV-UCH')),
  fc.constant((b: Body) => void (b.emailAlias = 'gmail.com')),
  unknownCode.map((code) => (b: Body) => void (b.organisation = code)),
  fc.constant((b: Body) => void (b.displayName = 'Dr Who')),
  notText.filter((v) => typeof v !== 'boolean').map((v) => (b: Body) => void (b.confirmNotDuplicate = v)),
);

const malformedCreate = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => {
      const body: Body = newPerson();
      ms.forEach((m) => m(body));
      return body as unknown;
    }),
  },
  {
    weight: 1,
    arbitrary: fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  },
);

const EDITABLE_MUTATIONS: fc.Arbitrary<(b: Body) => void> = mutation.filter((m) => {
  const probe: Body = { jobTitle: 'x' };
  m(probe);
  return !(
    'organisation' in probe &&
    typeof probe.organisation === 'string' &&
    probe.organisation.startsWith('ZZ')
  );
});
const malformedEdit = fc.oneof(
  fc.array(EDITABLE_MUTATIONS, { minLength: 1, maxLength: 3 }).map((ms) => {
    const body: Body = { jobTitle: 'Ward Sister' };
    ms.forEach((m) => m(body));
    if (MANDATORY.every((k) => !(k in body)) && Object.keys(body).every((k) => k === 'jobTitle'))
      body.jobTitle = 42;
    return body as unknown;
  }),
  fc.constant({}),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
);

/** One change that certainly makes a joiner body (R28) invalid. */
const joinerMutation: fc.Arbitrary<(b: Body) => void> = fc.oneof(
  fc.constant((b: Body) => void delete b.organisation),
  fc.tuple(fc.constantFrom('organisation', 'organisationalUnit', 'site', 'jobTitle'), notText).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  unknownCode.map((code) => (b: Body) => void (b.organisation = code)),
  fc.constantFrom('organisationalUnit', 'site').map((k) => (b: Body) => void (b[k] = 'RJ1-CARD-CCU')),
  fc.tuple(fc.constantFrom('clinicalSpecialities', 'clinicalRoles', 'workAreas'), unknownCode).map(
    ([k, code]) =>
      (b: Body) =>
        void (b[k] = [code]),
  ),
  fc.tuple(fc.constantFrom('firstName', 'mobile', 'emailAlias', 'notes'), fc.jsonValue()).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
  fc.tuple(unknownKey, fc.jsonValue()).map(
    ([k, v]) =>
      (b: Body) =>
        void (b[k] = v),
  ),
);
const malformedJoiner = fc.oneof(
  fc.array(joinerMutation, { minLength: 1, maxLength: 3 }).map((ms) => {
    const body: Body = { organisation: 'RRV', jobTitle: 'Registrar', site: 'RRV-UCH' };
    ms.forEach((m) => m(body));
    return body as unknown;
  }),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
);

async function expectFieldErrors(
  res: { status: number; body: { errors?: { path: string; message: string }[] } },
  body: unknown,
) {
  assert.equal(
    res.status,
    400,
    `expected 400 for ${JSON.stringify(body)}, got ${res.status} ${JSON.stringify(res.body)}`,
  );
  assert.ok(Array.isArray(res.body.errors) && res.body.errors.length > 0, 'field errors');
  for (const e of res.body.errors!)
    assert.ok(typeof e.path === 'string' && typeof e.message === 'string' && e.message);
}

async function directorySize(h: ApiHarness): Promise<number> {
  return (await h.directory.search({ limit: 100000 })).entries.length;
}

/** Thousands of requests of one principal in seconds: a fuzz load, beyond the per-principal rate limit. */
const FUZZ = { rateLimits: { ...DEFAULT_RATE_LIMITS, perPrincipalPerMinute: 100_000 } };

describe('API: malformed bodies (property-based)', () => {
  it('R4: thousands of malformed create bodies get 400 with field errors, and start nothing', async () => {
    const h = await apiHarness(FUZZ);
    await h.run(async () => {
      const before = await directorySize(h);
      await fc.assert(
        fc.asyncProperty(malformedCreate, async (body) => {
          const res = await h.api
            .post('/v1/accounts')
            .set(bearer(TOKENS.gstt))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          await expectFieldErrors(res, body);
        }),
        { numRuns: 2000 },
      );
      assert.equal(h.starts(), 0, 'no workflow started');
      assert.equal(await directorySize(h), before, 'no address reserved');
    });
  });

  it('R4: thousands of malformed edit bodies get 400 with field errors, and change nothing', async () => {
    const h = await apiHarness(FUZZ);
    await h.run(async () => {
      const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
      const id = created.body.id as string;
      const before = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      await fc.assert(
        fc.asyncProperty(malformedEdit, async (body) => {
          const res = await h.api
            .patch(`/v1/accounts/${id}`)
            .set(bearer(TOKENS.gstt))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          await expectFieldErrors(res, body);
        }),
        { numRuns: 2000 },
      );
      const after = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.deepEqual(after.body.profile, before.body.profile);
      assert.equal(h.starts(), 1, 'only the account made for the test');
    });
  });

  it('R4, R28: malformed joiner bodies get 400 with field errors, and move nothing', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const { id } = await activeLeaver(h);
      await fc.assert(
        fc.asyncProperty(malformedJoiner, async (body) => {
          const res = await h.api
            .post(`/v1/accounts/${id}/joiner`)
            .set(bearer(TOKENS.uclhManchester))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          if (res.status === 403) {
            // The organisation was changed to one the caller does not administer: refused before any change.
            assert.ok(
              typeof (body as Body).organisation === 'string' && (body as Body).organisation !== 'RRV',
            );
            return;
          }
          await expectFieldErrors(res, body);
        }),
        { numRuns: 500 },
      );
      const after = await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt));
      assert.equal(after.body.status, 'Leaver');
      assert.equal(after.body.organisation.code, 'RJ1');
    });
  });
});

/** An account of RJ1 brought to Active and marked as a leaver, for the joiner bodies. */
async function activeLeaver(h: ApiHarness) {
  const created = await h.api.post('/v1/accounts').set(bearer(TOKENS.gstt)).send(newPerson());
  const id = created.body.id as string;
  await h.sleep(4 * 60 * 60 * 1000);
  for (let i = 0; i < 100; i++) {
    if ((await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).body.status === 'Active') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const marked = await h.api.post(`/v1/accounts/${id}/leaver`).set(bearer(TOKENS.gstt));
  assert.equal(marked.status, 200);
  return { id };
}
