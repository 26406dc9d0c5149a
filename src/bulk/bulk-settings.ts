/** The bulk upload's settings (R31): BULK_PASSWORDS_KEPT_FOR, BULK_REQUESTS_AT_ONCE and BULK_LINES_AT_ONCE. */
export interface BulkSettings {
  /** Security 13: how long after an upload finished its temporary passwords are kept, unconfirmed. */
  passwordsKeptForMs: number;
  /** Security 10: how many bulk files (Validate or Create) one principal may have being read and checked at once. */
  requestsAtOnce: number;
  /** R31: how many lines of an upload a worker has under way at once. */
  linesAtOnce: number;
}

export const DEFAULT_BULK_SETTINGS: BulkSettings = {
  passwordsKeptForMs: 7 * 24 * 60 * 60 * 1000,
  requestsAtOnce: 2,
  linesAtOnce: 8,
};

/** The most lines at once BULK_LINES_AT_ONCE allows. */
export const MAX_LINES_AT_ONCE = 64;
