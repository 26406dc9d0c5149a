import fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Preloaded into the worker process of the bulk crash test (`node --require tsx/cjs --require <this>`): the
 * process SIGKILLs itself right after a chosen write to the engine's SQLite file, as a crash there would leave
 * it, once per point over the test's processes (CRASH_STATE_FILE records the points already dealt):
 *
 * - CRASH_AFTER_KEY_COMPLETED=n: after the n-th bulk line's idempotency key completed (its account created and
 *   its password taken, the line not yet recorded);
 * - CRASH_AFTER_LINE_RECORDED=n: after the n-th line this process recorded (its chunk not yet reported).
 *
 * It hooks the SQL, not the store classes, so that it holds whatever code writes those tables.
 */
const POINTS = [
  {
    name: 'CRASH_AFTER_KEY_COMPLETED',
    sql: /update\s+"?api_idempotency_keys"?\s+set\s+"?status"?/i,
    bulkOnly: true,
  },
  { name: 'CRASH_AFTER_LINE_RECORDED', sql: /update\s+"?bulk_rows"?\s+set\s+"?state"?/i, bulkOnly: false },
] as const;

const stateFile = process.env.CRASH_STATE_FILE!;
const dealt = () => (fs.existsSync(stateFile) ? fs.readFileSync(stateFile, 'utf8').split('\n') : []);
const counts = new Map<string, number>();

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, sql: string) {
  const statement = prepare.call(this, sql);
  const point = POINTS.find((p) => p.sql.test(sql) && process.env[p.name]);
  if (!point) return statement;
  const run = statement.run.bind(statement) as (...args: unknown[]) => Database.RunResult;
  statement.run = ((...args: unknown[]) => {
    const result = run(...args);
    // The values come one by one or, as the engine's SQLite driver passes them, in one array.
    const bulk = args.flat().some((a) => typeof a === 'string' && a.startsWith('bulk-upload:'));
    if (result.changes > 0 && (bulk || !point.bulkOnly) && !dealt().includes(point.name)) {
      const n = (counts.get(point.name) ?? 0) + 1;
      counts.set(point.name, n);
      if (n === Number(process.env[point.name])) {
        fs.appendFileSync(stateFile, `${point.name}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    }
    return result;
  }) as typeof statement.run;
  return statement;
} as typeof prepare;
