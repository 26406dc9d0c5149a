const DAY = 24 * 60 * 60 * 1000;
const UNITS: [number, string][] = [
  [DAY, 'day'],
  [60 * 60 * 1000, 'hour'],
  [60 * 1000, 'minute'],
  [1000, 'second'],
];

/**
 * A policy duration in words ("24 hours", "30 days", "90 seconds"), for texts that state it. Up to 72
 * hours it is said in hours, as the guide does ("up to 24 hours").
 */
export function inWords(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (size === DAY && ms <= 3 * DAY) continue;
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
