import assert from 'node:assert/strict';
import { ukDayEnd, ukDayStart } from '../../src/domain/uk-day';

describe('UK days', () => {
  it("R2: a day of the audit trail's search is the UK's calendar day, in GMT and in BST, and across the clock changes", () => {
    assert.equal(ukDayStart('2026-01-15').toISOString(), '2026-01-15T00:00:00.000Z');
    assert.equal(ukDayEnd('2026-01-15').toISOString(), '2026-01-16T00:00:00.000Z');
    assert.equal(ukDayStart('2026-07-01').toISOString(), '2026-06-30T23:00:00.000Z');
    assert.equal(ukDayEnd('2026-07-01').toISOString(), '2026-07-01T23:00:00.000Z');
    // The clocks go forward on 29 March 2026 and back on 25 October 2026: those days are 23 and 25 hours.
    assert.equal(ukDayEnd('2026-03-29').getTime() - ukDayStart('2026-03-29').getTime(), 23 * 3600_000);
    assert.equal(ukDayEnd('2026-10-25').getTime() - ukDayStart('2026-10-25').getTime(), 25 * 3600_000);
    assert.equal(ukDayEnd('2026-12-31').toISOString(), '2027-01-01T00:00:00.000Z');
  });
});
