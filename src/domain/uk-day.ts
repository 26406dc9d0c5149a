const LONDON_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  timeZoneName: 'longOffset',
});

/** The start of a calendar day (`YYYY-MM-DD`) in UK time, GMT or BST, as the instant it is. */
export function ukDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // The clocks change at 01:00 UTC, so the offset at UTC midnight is the one in force at the UK's midnight.
  const name = LONDON_OFFSET.formatToParts(utcMidnight).find((p) => p.type === 'timeZoneName')!.value;
  const [, sign, hours, minutes] = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name) ?? [];
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000 : 0;
  return new Date(utcMidnight - offsetMs);
}

/** The start of the day after `day` in UK time: the end of `day`. */
export function ukDayEnd(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return ukDayStart(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10));
}
