import { FEEDS } from '../access/rights';
import { deleteAccountUpdate, updateFromFeedUpdate } from '../workflows/definitions';

/**
 * The changes only a SCIM client makes (R33), through /scim/v2 and not /v1: a replace or patch in one step,
 * and a delete. The other changes of a feed are the table's (account-changes.ts), made the same way.
 */
export const FEED_CHANGES = {
  updateFromFeed: {
    update: updateFromFeedUpdate,
    who: FEEDS,
    summary: "A feed's replace or patch: attributes (held while Pending), its key, its leaving",
    rules: ['R33', 'R25', 'R17', 'R28'],
  },
  deleteAccount: {
    update: deleteAccountUpdate,
    who: FEEDS,
    summary: "A feed's delete, restorable as every deletion",
    rules: ['R33', 'R32'],
  },
} as const;
