const DAY = 24 * 60 * 60 * 1000;
const UNITS: [number, string][] = [
  [DAY, 'day'],
  [60 * 60 * 1000, 'hour'],
  [60 * 1000, 'minute'],
  [1000, 'second'],
];

/** A duration as a count of the largest unit that divides it; up to 72 hours it is said in hours. */
function counted(ms: number): { n: number; unit: string } | undefined {
  for (const [size, unit] of UNITS) {
    if (size === DAY && ms <= 3 * DAY) continue;
    if (ms >= size && ms % size === 0) return { n: ms / size, unit };
  }
  return undefined;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A policy duration in words ("24 hours", "30 days", "90 seconds"), for texts that state it. Up to 72
 * hours it is said in hours, as the guide does ("up to 24 hours").
 */
export function inWords(ms: number): string {
  const c = counted(ms);
  return c ? plural(c.n, c.unit) : `${ms} ms`;
}

/** A range of durations in words: "1 to 24 hours" in one unit, "10 seconds to 24 hours" in two. */
export function rangeInWords(fromMs: number, toMs: number): string {
  if (fromMs === toMs) return inWords(toMs);
  const from = counted(fromMs);
  const to = counted(toMs);
  if (from && to && from.unit === to.unit) return `${from.n} to ${plural(to.n, to.unit)}`;
  return `${inWords(fromMs)} to ${inWords(toMs)}`;
}

/** Calendar months in words: "6 months". */
export const monthsInWords = (months: number) => plural(months, 'month');
