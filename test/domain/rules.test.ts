import assert from 'node:assert/strict';
import { generateTemporaryPassword } from '../../src/activities/temporary-password';
import { addCalendarMonths } from '../../src/domain/calendar';
import { displayName } from '../../src/domain/display-name';

describe('Domain rules', () => {
  it('R5: the display name is the first name, a space and the last name', () => {
    assert.equal(displayName('John', 'Smith'), 'John Smith');
    assert.equal(displayName(' Aoife ', "O'Neil"), "Aoife O'Neil");
  });

  it('R13: temporary passwords are long, mixed and never repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const p = generateTemporaryPassword();
      assert.ok(p.length >= 12);
      for (const cls of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) assert.match(p, cls);
      seen.add(p);
    }
    assert.equal(seen.size, 2000);
  });

  it('R22: six calendar months, ending on the last day of a shorter month', () => {
    assert.equal(
      addCalendarMonths(new Date('2026-01-15T09:30:00Z'), 6).toISOString(),
      '2026-07-15T09:30:00.000Z',
    );
    assert.equal(
      addCalendarMonths(new Date('2026-08-31T12:00:00Z'), 6).toISOString(),
      '2027-02-28T12:00:00.000Z',
    );
    assert.equal(
      addCalendarMonths(new Date('2027-08-31T12:00:00Z'), 6).toISOString(),
      '2028-02-29T12:00:00.000Z',
    );
    assert.equal(
      addCalendarMonths(new Date('2026-12-31T23:59:59Z'), 6).toISOString(),
      '2027-06-30T23:59:59.000Z',
    );
  });
});
