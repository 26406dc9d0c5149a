import assert from 'node:assert/strict';
import supertest from 'supertest';
import { TOKENS } from './api-harness';

/** The form token of a page, as a browser would send it back. */
export const csrfOf = (html: string) =>
  /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no _csrf field');

/** A browser-like agent (it keeps its cookies) signed in to the portal with a token, as the sign-in page does. */
export async function signedInAgent(app: Parameters<typeof supertest.agent>[0], token = TOKENS.gstt) {
  return (await signIn(app, token)).agent;
}

/** Signs in as the sign-in page does: the agent, and the session cookie it was given (to copy, say). */
export async function signIn(app: Parameters<typeof supertest.agent>[0], token = TOKENS.gstt) {
  const agent = supertest.agent(app);
  const page = await agent.get('/sign-in');
  const res = await agent
    .post('/sign-in')
    .type('form')
    .send({ _csrf: csrfOf(page.text), token });
  assert.equal(res.status, 303, res.text);
  return { agent, cookie: cookiesOf(res) };
}

/** The cookies an answer sets, as a `Cookie` request header would carry them back. */
export function cookiesOf(res: { headers: Record<string, unknown> }): string {
  const set = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return set.map((c) => c.split(';')[0]).join('; ');
}
