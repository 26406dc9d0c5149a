import assert from 'node:assert/strict';
import { CHANGE_ROWS, ACCOUNT_CHANGES } from '../../src/operations/account-changes';
import { FEED_CHANGES } from '../../src/operations/feed-changes';
import { HANDLED_CHANGES } from '../../src/workflows/account-lifecycle';
import { openApiDocument } from '../../src/http/api/openapi';
import { ACTION_PATHS } from '../../src/http/portal/account-actions';

describe('The table of account changes (src/operations/account-changes.ts)', () => {
  it("Issue 23, R33: the lifecycle handles the Update of every change of the table (and of the feeds' own), and no change they lack", () => {
    const handled: string[] = [];
    for (const change of HANDLED_CHANGES) change.register(({ update }) => handled.push(update.name));
    const table = [...Object.values(ACCOUNT_CHANGES), ...Object.values(FEED_CHANGES)].map(
      (c) => c.update.name,
    );
    assert.deepEqual([...handled].sort(), [...table].sort());
    assert.equal(new Set(handled).size, handled.length, 'each Update handled once');
  });

  it('Issue 23: every change of the table has its OpenAPI entry, under its name, with its summary and rules', () => {
    const document = openApiDocument();
    for (const [name, change] of CHANGE_ROWS) {
      const path = `/v1/accounts/{id}${change.http.path}`;
      const operation = (
        document.paths as Record<string, Record<string, { operationId: string; summary: string }>>
      )[path]?.[change.http.method];
      assert.equal(operation?.operationId, name, `${change.http.method} ${path}`);
      assert.ok(operation.summary.startsWith(`${change.summary} (${change.rules[0]}`), operation.summary);
    }
  });

  it('Issue 23: the portal posts each of its changes to the API path of the change (a DELETE to its /delete)', () => {
    assert.deepEqual(ACTION_PATHS, {
      setNotes: 'notes',
      startMfaException: 'mfa-exceptions',
      endMfaException: 'mfa-exceptions/current/delete',
      setDirectoryVisibility: 'directory-visibility',
      retryProvisioning: 'provisioning-retries',
      resecureAccount: 'resecure',
      markLeaver: 'leaver',
      withdrawLeaverMark: 'leaver/delete',
      reactivateAccount: 'reactivation',
      restoreAccount: 'restoration',
    });
  });
});
