import assert from 'node:assert/strict';
import { HOUR, MINUTE } from '../helpers/lifecycle-harness';
import { bearer, type ApiHarness } from '../helpers/api-harness';

/** The demo SCIM client of RJ1 (config/dev-principals.json). */
export const SCIM_TOKEN = 'dev-scim-client-gstt-0006';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ENGINE = 'urn:nhs:params:scim:schemas:extension:nhsmail:2.0:User';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let people = 0;
/** An Entra ID-shaped create: userName its UPN, the names, a job title, a work phone and a mobile (074004..., a range no other test file uses: a lane shares its stores). */
export function entraUser(overrides: Record<string, unknown> = {}) {
  const n = ++people;
  const letters = String.fromCharCode(97 + (n % 26)) + String.fromCharCode(97 + (Math.floor(n / 26) % 26));
  return {
    schemas: [USER, ENTERPRISE],
    externalId: `ESR-${process.pid}-${n}`,
    userName: `feed.person${letters}@gstt.nhs.uk`,
    active: true,
    name: { givenName: 'Feeda', familyName: `Person${letters}${n}`, honorificPrefix: 'Dr' },
    title: 'Staff Nurse',
    phoneNumbers: [{ type: 'mobile', value: `074004${String(n % 100000).padStart(5, '0')}` }],
    [ENTERPRISE]: { employeeNumber: `1234567${n}`, department: 'RJ1-CARD-CCU' },
    ...overrides,
  };
}

export const scim = (h: ApiHarness) => ({
  post: (path: string, body: unknown) =>
    h.api
      .post(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(body)),
  get: (path: string) => h.api.get(`/scim/v2${path}`).set(bearer(SCIM_TOKEN)),
  put: (path: string, body: unknown) =>
    h.api
      .put(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(body)),
  patch: (path: string, operations: unknown[]) =>
    h.api
      .patch(`/scim/v2${path}`)
      .set(bearer(SCIM_TOKEN))
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ schemas: [PATCH], Operations: operations })),
  delete: (path: string) => h.api.delete(`/scim/v2${path}`).set(bearer(SCIM_TOKEN)),
});

/** The engine's extension with its read-only state (status, gates, windows), which a SCIM GET names to get. */
export async function engineState(h: ApiHarness, id: string) {
  const res = await h.api
    .get(`/scim/v2/Users/${encodeURIComponent(id)}?attributes=${ENGINE}`)
    .set(bearer(SCIM_TOKEN));
  assert.equal(res.status, 200, res.text);
  return res.body[ENGINE];
}

export async function untilActive(h: ApiHarness, id: string): Promise<void> {
  await h.sleep(3 * HOUR + 30 * MINUTE);
  for (let i = 0; i < 100; i++) {
    if ((await engineState(h, id)).status === 'Active') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('not Active');
}
