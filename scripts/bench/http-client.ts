import http from 'node:http';

/**
 * HTTP requests on kept-alive connections, the answer's body as text: node:http, lighter than fetch, as the
 * callers share the machine's cores with the engine (a load generator should take little of them).
 */
export function httpClient(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return (
    url: string,
    { method, headers, body }: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** `total` calls of `run`, `callers` at a time. */
export async function concurrently(total: number, callers: number, run: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) await run(next++);
    }),
  );
}
