import pino from 'pino';
import pretty from 'pino-pretty';
import { withoutRowData } from './log-without-row-data';

/** Log paths that may hold a secret or a phone number; pino replaces their values before writing. */
export const REDACTED_PATHS = [
  'temporaryPassword',
  '*.temporaryPassword',
  'password',
  '*.password',
  'mobile',
  '*.mobile',
  'telephone',
  '*.telephone',
  'pager',
  '*.pager',
  'fax',
  '*.fax',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.body',
  'res.body',
];

/** LOG_FORMAT: `json`, `pretty`, or (unset) readable lines on a terminal and JSON lines otherwise. */
export type LogFormat = 'json' | 'pretty';

export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  terminal = !!process.stdout.isTTY,
): LogFormat {
  const chosen = env.LOG_FORMAT;
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  if (chosen)
    throw new Error(`LOG_FORMAT=${chosen} is not one of json, pretty (or unset: pretty on a terminal)`);
  return terminal ? 'pretty' : 'json';
}

/** One readable line per entry, its time of day, level and message first, the rest as key=value pairs. */
export function readableLines(destination: NodeJS.WritableStream = process.stdout, colours = false) {
  return pretty({
    destination,
    sync: true,
    colorize: colours,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
  });
}

/**
 * JSON lines with ISO times, and nothing of the process (its pid, the host name) on every line; or, for a
 * person at a terminal, readable lines of the same entries. A database error anywhere in a line loses the
 * parts of it that quote a row (Security 8); redaction happens before either form is written.
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
  format: LogFormat = destination ? 'json' : logFormat(),
) {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => withoutRowData(object) as Record<string, unknown> },
    },
    format === 'pretty'
      ? readableLines(
          destination as NodeJS.WritableStream | undefined,
          !destination && !!process.stdout.isTTY,
        )
      : destination,
  );
}

export type Logger = pino.Logger;
