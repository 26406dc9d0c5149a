import assert from 'node:assert/strict';
import { encodeCursor } from '../../src/adapters/directory-rows';
import { fieldErrors } from '../../src/operations/validation';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';
import { TEXT_FIELDS, documentedTextFields } from '../helpers/request-text-fields';
import { STORE_BACKENDS, type TestStores } from '../helpers/store-backends';

/** Every kind of character no text field holds: C0 (line breaks and tab too), DEL, C1, lone surrogates. */
const CONTROLS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\u000b',
  '\r',
  '\u001b',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
];
const LINE_BREAKS_AND_TAB = new Set(['\t', '\n', '\r']);
const shown = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

describe('API: control characters in text fields', () => {
  it('Security 7: every text field of every request refuses each control character inside it, naming the field (Notes take tabs and line breaks)', () => {
    for (const field of TEXT_FIELDS) {
      for (const c of CONTROLS) {
        const where = `${field.operationId} ${field.name} with ${shown(c)}`;
        const parsed = field.schema.safeParse(field.request(field.around(c)));
        if (field.lines && LINE_BREAKS_AND_TAB.has(c)) {
          assert.ok(parsed.success, `${where}: ${JSON.stringify(parsed.error?.issues)}`);
          continue;
        }
        assert.ok(!parsed.success, `${where} was accepted`);
        const error = fieldErrors(parsed.error).find((e) => e.path === field.path);
        assert.ok(
          error,
          `${where}: no error for ${field.path}: ${JSON.stringify(fieldErrors(parsed.error))}`,
        );
        assert.ok(error.message.startsWith(field.label), `${where}: "${error.message}" names the field`);
        assert.match(error.message, /control characters|nextCursor/, where);
      }
    }
  });

  it('Security 7: the document states it: every text field of every request has a pattern that refuses control characters, portable to other languages', () => {
    const documented = documentedTextFields();
    assert.deepEqual(
      documented.map((f) => `${f.operationId} ${f.name}`).sort(),
      TEXT_FIELDS.map((f) => `${f.operationId} ${f.name}`).sort(),
      'the fields checked are every text field the document lists',
    );
    for (const { operationId, name, schema } of documented) {
      const field = TEXT_FIELDS.find((f) => f.operationId === operationId && f.name === name)!;
      assert.ok(schema.pattern, `${operationId} ${name} has a pattern`);
      // Rust's, Go's and Python's validators (schemathesis drops such a pattern) cannot name a surrogate:
      // a lone one is the API's check alone.
      assert.doesNotMatch(
        schema.pattern,
        /\\u[dD][89a-fA-F]/,
        `${operationId} ${name}: a surrogate in the pattern`,
      );
      const pattern = new RegExp(schema.pattern, 'u');
      for (const c of CONTROLS.filter((c) => !/[\ud800-\udfff]/u.test(c))) {
        const allowed = field.lines && LINE_BREAKS_AND_TAB.has(c);
        assert.equal(pattern.test(field.around(c)), !!allowed, `${operationId} ${name} with ${shown(c)}`);
      }
    }
  });

  it('Security 7: a NUL in jobTitle, a search or an identity event answers 400 naming the field, and starts or changes nothing', async () => {
    const h = await apiHarness();
    await h.run(async () => {
      const admin = bearer(TOKENS.gstt);
      const refused = await h.api
        .post('/v1/accounts')
        .set(admin)
        .send(newPerson({ jobTitle: 'Staff\u0000Nurse', notes: 'Starts\u0000Monday' }));
      assert.equal(refused.status, 400, refused.text);
      assert.deepEqual(
        refused.body.errors.map((e: { path: string }) => e.path),
        ['jobTitle', 'notes'],
      );
      assert.match(refused.body.errors[0].message, /^Job title must be plain text/);
      assert.equal(h.starts(), 0, 'nothing started');

      for (const query of ['org=RJ%001', 'q=smith%00', 'role=R80%0000', 'cursor=YUBu%00aHM']) {
        const search = await h.api.get(`/v1/accounts?${query}`).set(admin);
        assert.equal(search.status, 400, `${query}: ${search.text}`);
        assert.equal(search.body.errors[0].path, query.split('=')[0]);
      }
      const leavers = await h.api.get('/v1/leavers?q=smith%0Djones').set(admin);
      assert.equal(leavers.status, 400);
      assert.equal(leavers.body.errors[0].path, 'q');

      const created = await h.api.post('/v1/accounts').set(admin).send(newPerson());
      assert.equal(created.status, 201);
      const account = `/v1/accounts/${created.body.id}`;
      const event = await h.api
        .post(`${account}/events`)
        .set(bearer(TOKENS.identity))
        .send({ type: 'ProfileUpdated', mobile: '+44 7400\u0000123456' });
      assert.equal(event.status, 400, event.text);
      assert.equal(event.body.errors[0].path, 'mobile');

      const lines = 'Starts on Monday.\r\nAsk for\tthe ward sister.';
      const notes = await h.api.put(`${account}/notes`).set(admin).send({ notes: lines });
      assert.equal(notes.status, 200, notes.text);
      assert.equal(notes.body.notes, lines, 'Notes keep their line breaks and tabs');
      const nul = await h.api.put(`${account}/notes`).set(admin).send({ notes: 'Starts\u0000Monday' });
      assert.equal(nul.status, 400);
      assert.equal((await h.api.get(account).set(admin)).body.notes, lines, 'unchanged');
    });
  });

  it('Security 7: the portal’s Add user form refuses a NUL in Job Title under the field, keeping what was typed', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const form = await agent.get('/users/new');
      const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)?.[1];
      const person = newPerson({ jobTitle: 'Staff\u0000Nurse' });
      const res = await agent
        .post('/users/new')
        .type('form')
        .send({ ...person, _csrf: csrfOf(form.text), formKey });
      assert.equal(res.status, 400, res.text.slice(0, 500));
      assert.match(res.text, /<a href="#jobTitle">\s*Job title must be plain text/);
      assert.match(res.text, new RegExp(`value="${person.lastName}"`), 'what was typed is kept');
      assert.equal(h.starts(), 0, 'nothing started');
    });
  });
});

for (const backend of STORE_BACKENDS) {
  describe(`Directory: a cursor the API never gave: ${backend.name}`, () => {
    let stores: TestStores;
    beforeEach(async function () {
      stores = await backend.open(this);
    });
    afterEach(() => stores?.close());

    it(`Security 7: a cursor that decodes to control characters (a NUL) pages as any other, never reaching the database (${backend.name})`, async () => {
      for (const cursor of ['AA', encodeCursor('a\u0000@nhs.net'), encodeCursor('\u0001\u007f')]) {
        const page = await stores.directory.search({ cursor, limit: 10 });
        assert.deepEqual(page.entries, [], cursor);
      }
    });
  });
}
