import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requiredGroupNames } from '../../src/adapters/graph/graph-settings';
import { GraphDouble } from '../graph-double/graph-double';
import { startEngineProcess } from '../helpers/engine-process';
import { freePort } from '../helpers/free-port';

const ADMIN = { Authorization: 'Bearer dev-local-admin-gstt-0001', 'Content-Type': 'application/json' };
const IDP = { Authorization: 'Bearer dev-identity-platform-0005', 'Content-Type': 'application/json' };

describe('npm start with MAIL_PLATFORM=graph, on the Graph double', () => {
  it("R15, R19, R20: the README's journey reaches canSendEmail: true, the account a user in the tenant with its licence and groups", async function () {
    this.timeout(300_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-journey-'));
    const double = await new GraphDouble(requiredGroupNames(), {
      mailboxDelayMs: 3000,
      servicesDelayMs: 2000,
    }).start();
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const engine = await startEngineProcess(
      'all',
      {
        DATA_DIR: path.join(dataDir, 'data'),
        PORT: String(port),
        TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        TEMPORAL_METRICS_ADDRESS: 'off',
        LOG_LEVEL: 'info',
        POLICY_MAILBOX_FIRST_POLL_AFTER: '2s',
        POLICY_POLL_INTERVAL: '1s',
        POLICY_POLL_MAX_INTERVAL: '2s',
        POLICY_SYNC_FIRST_POLL_AFTER: '1s',
        ...double.engineSettings(dataDir),
      },
      180_000,
    );
    try {
      assert.ok(
        engine
          .messages()
          .some(
            (m) =>
              m ===
              `mail platform: Microsoft Graph at ${double.baseUrl}, tenant ${double.tenantId}, app ${double.clientId}`,
          ),
        engine.messages().join('\n'),
      );
      const api = `http://127.0.0.1:${port}/v1`;
      const created = await fetch(`${api}/accounts`, {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify({
          title: 'Dr',
          firstName: 'Aoife',
          lastName: "O'Neil",
          mobile: '07400 123456',
          jobTitle: 'Consultant Cardiologist',
          emailAlias: 'nhs.net',
          organisation: 'RJ1',
          organisationalUnit: 'RJ1-CARD-CCU',
          site: 'RJ121',
          clinicalSpecialities: ['300'],
          clinicalRoles: ['R8000'],
          workAreas: ['WA-WARD'],
        }),
      });
      const account = (await created.json()) as { id: string; temporaryPassword: string };
      assert.equal(created.status, 201, JSON.stringify(account));
      const A = `${api}/accounts/${encodeURIComponent(account.id)}`;
      const view = async () => (await (await fetch(A, { headers: ADMIN })).json()) as Record<string, unknown>;
      const until = async (check: (v: Record<string, unknown>) => boolean, what: string) => {
        for (let i = 0; i < 120; i++) {
          const v = await view();
          if (check(v)) return v;
          await new Promise((r) => setTimeout(r, 500));
        }
        return assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await view())}`);
      };
      await until((v) => v.status === 'Active', 'Active');
      for (const event of [
        { type: 'PasswordChanged' },
        { type: 'AupAccepted' },
        { type: 'SecretSet' },
        { type: 'MfaRegistered', method: 'sms', phoneNumber: '+44 7400 123456' },
        { type: 'ProfileUpdated', mobile: '07400 123456' },
      ]) {
        const res = await fetch(`${A}/events`, { method: 'POST', headers: IDP, body: JSON.stringify(event) });
        assert.equal(res.status, 200, `${event.type}: ${await res.text()}`);
      }
      const done = await until((v) => v.canSendEmail === true, 'canSendEmail');
      assert.equal(done.canUseTeams, true);
      const held = double.inspect(account.id);
      assert.equal(
        held.password,
        account.temporaryPassword,
        'the password shown once is the one set in the tenant',
      );
      assert.deepEqual(held.licences, [double.skuId]);
      assert.deepEqual(held.groups, ['GSTT Standard User Policy', 'NHSmail-MFA-Standard-CA']);
      assert.equal(held.body?.department, 'Coronary Care Unit');
      assert.equal(held.body?.officeLocation, "St Thomas' Hospital");
      assert.equal(held.body?.companyName, "Guy's and St Thomas' NHS Foundation Trust");
      assert.deepEqual(double.violations, [], "every request as Graph's description allows");
    } finally {
      await engine.stop();
      await double.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
