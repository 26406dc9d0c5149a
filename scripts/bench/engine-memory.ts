/** The engine process's memory, from its own metrics (GET /metrics, which answers this machine). */
export interface Memory {
  rss: number;
  heapUsed: number;
}

export async function engineMemory(apiUrl: string): Promise<Memory> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: gauge('process_resident_memory_bytes'), heapUsed: gauge('nodejs_heap_size_used_bytes') };
}

/**
 * Samples the engine's memory every `everyMs` until stopped: the first sample, the peak of each kind, the
 * last; `mark` reads the latest sample at a moment of the caller's.
 */
export function sampleMemory(apiUrl: string, everyMs = 1000) {
  const samples: Memory[] = [];
  let stopped = false;
  const take = async () => {
    const m = await engineMemory(apiUrl).catch(() => undefined);
    if (m) samples.push(m);
  };
  const loop = (async () => {
    await take();
    while (!stopped) {
      await new Promise((r) => setTimeout(r, everyMs));
      await take();
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return {
        start: samples[0]!,
        peak: {
          rss: Math.max(...samples.map((s) => s.rss)),
          heapUsed: Math.max(...samples.map((s) => s.heapUsed)),
        },
        end: samples[samples.length - 1]!,
      };
    },
  };
}

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
