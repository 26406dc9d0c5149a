import fs from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ), 100 on Linux. */
const TICKS_PER_SECOND = 100;

function stat(pid: number): { ppid: number; cpuSeconds: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: the fields are counted after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/**
 * The CPU seconds (user and system) used so far by a process and, apart, by its descendants (the engine's
 * Temporal dev server); Linux only, undefined elsewhere.
 */
export function processCpu(pid: number): { own: number; children: number } | undefined {
  const own = stat(pid);
  if (!own) return undefined;
  const byParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), Number(entry)]);
  }
  let children = 0;
  const visit = (parent: number) => {
    for (const child of byParent.get(parent) ?? []) {
      children += stat(child)?.cpuSeconds ?? 0;
      visit(child);
    }
  };
  visit(pid);
  return { own: own.cpuSeconds, children };
}
