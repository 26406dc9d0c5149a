import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createLogger } from '../../src/logger';
import { postgresDatabase } from '../helpers/postgres-fixture';

const MOBILE = '+447400123456';

/** PostgreSQL's own errors that quote a row: in `detail`, and in `where` (the context). */
async function errorsQuotingAMobile(url: string): Promise<Error[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const failure = (sql: string, values: unknown[] = []) =>
    client.query(sql, values).then(
      () => assert.fail(`no error from ${sql}`),
      (err: Error) => err,
    );
  try {
    await client.query('CREATE TABLE people (mobile text UNIQUE)');
    await client.query('INSERT INTO people VALUES ($1)', [MOBILE]);
    return [
      // detail: Key (mobile)=(+447400123456) already exists.
      await failure('INSERT INTO people VALUES ($1)', [MOBILE]),
      // where: SQL statement "INSERT INTO people VALUES ('+447400123456')" ...
      await failure(`DO $$ BEGIN EXECUTE 'INSERT INTO people VALUES (''${MOBILE}'')'; END $$`),
      // 22P05, where: JSON data, line 1: {"mobile": "+447400123456", "notes": "\u0000...
      await failure(`SELECT $1::jsonb ->> 'notes'`, [`{"mobile": "${MOBILE}", "notes": "\\u0000"}`]),
    ];
  } finally {
    await client.end();
  }
}

describe('Logs: database errors', () => {
  it('Security 8: a PostgreSQL error logged, however it is carried, holds no row data: no phone number, no detail or where, still its code', async function () {
    const errors = await errorsQuotingAMobile(await postgresDatabase(this));
    assert.ok(
      errors.some((e) => JSON.stringify(e).includes(MOBILE)),
      'the errors quote the mobile, as PostgreSQL writes them',
    );
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    for (const err of errors) {
      logger.error({ err }, 'request failed'); // the API's error handler
      logger.error(err); // an error logged alone
      logger.warn({ temporal: { error: err, activityType: 'createRows' } }, 'Activity failed'); // the SDK's logger
      logger.error({ err: new Error('worker failed', { cause: err }) }, 'worker failed'); // a cause
      logger.error({ err: { items: [err] } }, 'many'); // a list
    }
    assert.equal(lines.length, errors.length * 5);
    const digits = MOBILE.slice(3);
    for (const line of lines) {
      assert.ok(!line.includes(digits), `a phone number in the log: ${line.slice(0, 600)}`);
      assert.doesNotMatch(line, /"(detail|where|hint|internalQuery)":/, line.slice(0, 600));
    }
    for (const code of ['23505', '23505', '22P05']) {
      assert.ok(
        lines.some((l) => l.includes(`"code":"${code}"`)),
        `the code ${code} is kept for the operator`,
      );
    }
  });
});
