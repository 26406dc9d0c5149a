import assert from 'node:assert/strict';
import supertest from 'supertest';
import { TOKENS } from './api-harness';

/** The form token of a page, as a browser would send it back. */
export const csrfOf = (html: string) =>
  /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no _csrf field');

/** A portal session signed in with a principal's token, as the sign-in page takes it. */
export async function signedInAgent(app: Parameters<typeof supertest.agent>[0], token = TOKENS.gstt) {
  const agent = supertest.agent(app);
  const page = await agent.get('/sign-in');
  const res = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(page.text), token });
  assert.equal(res.status, 303, res.text);
  return agent;
}
