import pino from 'pino';
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

/**
 * JSON lines with ISO times, and nothing of the process (its pid, the host name) on every line. A database
 * error anywhere in a line loses the parts of it that quote a row (Security 8).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { log: (object) => withoutRowData(object) as Record<string, unknown> },
    },
    destination,
  );
}

export type Logger = pino.Logger;
