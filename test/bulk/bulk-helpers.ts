import assert from 'node:assert/strict';
import { BULK_COLUMNS, type BulkColumn } from '../../src/bulk/bulk-file';
import type { ApiHarness } from '../helpers/api-harness';
import { TOKENS, bearer } from '../helpers/api-harness';

let people = 0;
/** A line for a fresh person of RJ1 (unique name and mobile); `overrides` by column. */
export function line(overrides: Partial<Record<BulkColumn, string>> = {}): Record<BulkColumn, string> {
  const n = ++people;
  return {
    Title: 'Dr',
    FirstName: 'Bulka',
    LastName: `Row${String.fromCharCode(97 + (n % 26))}${n}`,
    Mobile: `07400 3${String(n % 100000).padStart(5, '0')}`,
    Telephone: '',
    Pager: '',
    Fax: '',
    JobTitle: 'Staff Nurse',
    EmailAlias: 'nhs.net',
    Organisation: 'RJ1',
    OrganisationalUnit: 'RJ1-CARD-CCU',
    ClinicalSpecialities: '300;301',
    ClinicalRoles: 'R8001',
    WorkAreas: 'WA-WARD',
    Site: 'RJ121',
    Notes: '',
    ExternalSyncID: `EXT-${n}`,
    ...overrides,
  };
}

/** A CSV file of these lines, with the header. */
export function csv(lines: Record<BulkColumn, string>[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [BULK_COLUMNS.join(','), ...lines.map((l) => BULK_COLUMNS.map((c) => quote(l[c])).join(','))].join(
    '\r\n',
  );
}

export function upload(
  h: ApiHarness,
  file: string,
  mode: 'validate' | 'create',
  token = TOKENS.gstt,
  org = 'RJ1',
) {
  return h.api
    .post(`/v1/bulk-uploads?organisation=${org}&mode=${mode}`)
    .set(bearer(token))
    .set('Content-Type', 'text/csv')
    .send(file);
}

/** Follows an upload until it has finished. */
export async function finished(h: ApiHarness, id: string, token = TOKENS.gstt) {
  for (let i = 0; i < 400; i++) {
    const res = await h.api.get(`/v1/bulk-uploads/${id}`).set(bearer(token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (res.body.status !== 'Running')
      return res.body as { status: string; created: number; failed: number; remaining: number; rows: number };
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`upload ${id} did not finish`);
}

/** A gate for an activity: each call waits for a permit, so a test can hold an upload part-way. */
export function gate() {
  let permits = 0;
  let waiting: (() => void)[] = [];
  let calls = 0;
  return {
    calls: () => calls,
    allow(n: number) {
      permits += n;
      const ready = waiting.splice(0, Math.min(waiting.length, permits));
      permits -= ready.length;
      ready.forEach((go) => go());
    },
    async pass(): Promise<void> {
      calls++;
      if (permits > 0) {
        permits--;
        return;
      }
      await new Promise<void>((go) => waiting.push(go));
    },
    reset() {
      waiting = [];
    },
  };
}
