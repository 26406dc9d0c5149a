/**
 * PostgreSQL's classes of error (the first two characters of SQLSTATE) that come and go with the server
 * rather than with the data: a lost connection (08), a transaction to try again (40), resources (53),
 * a lock or object busy (55), the server shutting down or a statement cancelled (57), the system (58).
 */
const PASSING_POSTGRES_CLASSES = new Set(['08', '40', '53', '55', '57', '58', 'XX']);
/** SQLite's primary codes of the same kind: the file busy or locked, I/O, full, out of memory, interrupted. */
const PASSING_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|NOMEM|CANTOPEN|INTERRUPT|PROTOCOL|READONLY)/;

/** The store and code of a database error, found on the error or along its causes. */
export interface StoreFault {
  store: 'PostgreSQL' | 'SQLite';
  code: string;
}

/**
 * Security 7: a database error that this line's data causes, and so would cause again however often it is
 * tried (a NUL in text, a key too large for its index, a value too long): a database's own error whose code
 * is not one that passes. Anything else (Temporal unreachable, a lost connection) is not the line's fault.
 */
export function lineFaultOf(err: unknown): StoreFault | null {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (/^SQLITE_/.test(code)) return PASSING_SQLITE_CODES.test(code) ? null : { store: 'SQLite', code };
    if (/^[0-9A-Z]{5}$/.test(code) && 'severity' in e) {
      return PASSING_POSTGRES_CLASSES.has(code.slice(0, 2)) ? null : { store: 'PostgreSQL', code };
    }
  }
  return null;
}
