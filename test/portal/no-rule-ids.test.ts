import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { withoutRuleIds } from '../../src/domain/rule-citations';
import { pageWithoutRuleIds } from '../../src/http/portal/without-rule-ids';
import { accountWorkflowId } from '../../src/workflows/workflow-id';
import { TOKENS, apiHarness, bearer, newPerson } from '../helpers/api-harness';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { csrfOf, signedInAgent } from '../helpers/portal-agent';
import { csv, finished, line } from '../bulk/bulk-helpers';

/** A rule id standing alone (R1..R32, R14a), not a code such as R8001 or R0A. */
const RULE_ID = /\bR([1-9]|[12]\d|3[0-2])[a-z]?\b/;

/**
 * What an administrator reads on a page: its text, without the tags, what was typed into its forms, and the
 * temporary passwords (random: one may hold "R7" by chance).
 */
const readable = (html: string) =>
  html
    .replace(/<textarea\b[^>]*>[^<]*<\/textarea>/gi, '')
    .replace(/<p class="portal-password"[^>]*><code>[^<]*<\/code><\/p>/gi, '')
    .replace(/<script\b[^>]*>[^<]*<\/script>/gi, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');

/** A results file without its TemporaryPassword column. */
function withoutPasswords(csvText: string): string {
  const rows = parse(csvText) as string[][];
  const column = rows[0]!.indexOf('TemporaryPassword');
  assert.ok(column >= 0 && rows.length > 1, 'the file holds the passwords');
  return rows.map((row) => row.filter((_, i) => i !== column).join(',')).join('\n');
}

describe('Portal: rule ids are for the docs, not for administrators', () => {
  it('Issue 27 item 6: the words lose their citations, but what was typed keeps its text', () => {
    assert.equal(
      withoutRuleIds('Notes can be changed now (R17). Accept them (R12, R28); steps (R18-R20) and (R14a).'),
      'Notes can be changed now. Accept them; steps and.',
    );
    assert.equal(
      pageWithoutRuleIds(
        '<p>Saved (R14).</p><textarea id="notes">see (R14)</textarea><input value="x (R2)">',
      ),
      '<p>Saved.</p><textarea id="notes">see (R14)</textarea><input value="x (R2)">',
    );
  });

  it('Issue 27 item 6, R4, R12, R15, R17, R18, R22, R28, R31: no page, refusal, field error or message of the portal cites a rule; the API problem and the audit trail still do', async () => {
    const h = await apiHarness({ portal: true });
    await h.run(async () => {
      const agent = await signedInAgent(h.app);
      const seen: string[] = [];
      const scan = (what: string, res: { text: string }) => {
        seen.push(what);
        const found = RULE_ID.exec(readable(res.text));
        assert.equal(
          found?.[0],
          undefined,
          `${what} cites a rule: …${readable(res.text).slice(Math.max(0, (found?.index ?? 0) - 80), (found?.index ?? 0) + 20)}…`,
        );
      };
      scan('User Management', await agent.get('/'));
      const form = await agent.get('/users/new');
      scan('Add user', form);
      const formKey = () => /name="formKey" value="([^"]+)"/.exec(form.text)![1]!;
      scan(
        'Add user with nothing filled',
        await agent
          .post('/users/new')
          .type('form')
          .send({ _csrf: csrfOf(form.text), formKey: formKey() }),
      );
      const person = newPerson();
      const created = await agent
        .post('/users/new')
        .type('form')
        .send({ ...person, _csrf: csrfOf(form.text), formKey: formKey() });
      assert.equal(created.status, 201, created.text);
      scan('the confirmation', created);
      const id = /class="portal-break">([^<]+)</.exec(created.text)![1]!;
      h.track(h.client.workflow.getHandle(accountWorkflowId(id)));
      const again = await agent.get('/users/new');
      const duplicate = await agent
        .post('/users/new')
        .type('form')
        .send({
          ...newPerson({ mobile: person.mobile }),
          _csrf: csrfOf(again.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(again.text)![1]!,
        });
      assert.match(duplicate.text, /already exists/);
      scan('a duplicate', duplicate);

      const account = `/accounts/${encodeURIComponent(id)}`;
      const pending = await agent.get(account);
      assert.match(pending.text, /Waiting for the mailbox/);
      scan('the Account page, Pending', pending);
      scan('its live part', await agent.get(`${account}/content`));
      const edit = await agent.get(`${account}/edit`);
      scan('Edit details', edit);
      const editRefused = await agent
        .post(`${account}/edit`)
        .type('form')
        .send({
          _csrf: csrfOf(edit.text),
          title: 'Dr',
          firstName: 'Testa',
          lastName: person.lastName,
          jobTitle: 'Ward Manager',
        });
      assert.match(editRefused.text, /cannot be edited until it is Active/);
      scan('an edit refused while Pending', editRefused);
      const noReference = await agent
        .post(`${account}/mfa-exceptions`)
        .type('form')
        .send({ _csrf: csrfOf(pending.text), term: 'short', riskAssessmentRef: '' });
      assert.match(noReference.text, /A risk assessment reference is required/);
      scan('an MFA exception without its reference', noReference);

      const api = await h.api
        .patch(`/v1/accounts/${id}`)
        .set(bearer(TOKENS.gstt))
        .send({ jobTitle: 'Ward Manager' });
      assert.match(api.body.detail as string, /\(R17\)/, "the API's problem still cites its rule");

      await h.sleep(3 * HOUR + 30 * MINUTE);
      for (
        let i = 0;
        i < 100 && (await h.api.get(`/v1/accounts/${id}`).set(bearer(TOKENS.gstt))).body.status !== 'Active';
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const active = await agent.get(account);
      assert.match(active.text, /Waiting for the user&#39;s first login/);
      scan('the Account page, Active', active);
      const leaver = await agent
        .post(`${account}/leaver`)
        .type('form')
        .send({ _csrf: csrfOf(active.text) });
      assert.equal(leaver.status, 303, leaver.text);
      const marked = await agent.get(account);
      assert.match(marked.text, /Marked as a leaver/);
      scan('the Account page of a leaver, with its message', marked);
      const history = await h.api.get(`/v1/accounts/${id}/history`).set(bearer(TOKENS.gstt));
      assert.match(JSON.stringify(history.body), /\(R\d+[a-z]?\)/, 'the audit trail still cites its rules');

      scan('Joiners', await agent.get('/joiners'));
      const upload = await agent.get('/bulk-upload');
      scan('Bulk upload', upload);
      const validated = await agent
        .post('/bulk-upload')
        .field('_csrf', csrfOf(upload.text))
        .field('organisation', 'RJ1')
        .field('mode', 'validate')
        .attach('file', Buffer.from(csv([line({ Mobile: '+33 6 12 34 56 78' }), line({ FirstName: '' })])), {
          filename: 'intake.csv',
          contentType: 'text/csv',
        });
      assert.match(validated.text, /Errors by line/);
      scan('a Validate with errors', validated);
      const started = await h.api
        .post('/v1/bulk-uploads?organisation=RJ1&mode=create')
        .set(bearer(TOKENS.gstt))
        .set('Content-Type', 'text/csv')
        .send(csv([line(), line({ Mobile: '+33 6 12 34 56 78' })]));
      const uploadId = encodeURIComponent(started.body.uploadId as string);
      scan('an upload’s progress', await agent.get(`/bulk-upload/${uploadId}`));
      await finished(h, started.body.uploadId as string);
      const results = await agent.get(`/bulk-upload/${uploadId}/results.csv`).buffer(true);
      assert.match(results.text, /Not created: Mobile: Mobile must be a UK mobile number/);
      scan('the results file', { text: withoutPasswords(results.text) });
      scan('an error page', await agent.get('/accounts/nobody.here%40nhs.net'));
      assert.equal(seen.length, 18);
    });
  });
});
