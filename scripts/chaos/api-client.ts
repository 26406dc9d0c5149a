/** The kinds of request the run makes, for the tally of answers. */
export const ROUTE_KINDS = ['create', 'get', 'event', 'history'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** What the tally shows for a request that got no HTTP answer (refused, reset, timed out). */
export const NO_ANSWER = 'no answer';

export interface Answer {
  status: number;
  // The API's JSON: a view, a problem, a list.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** The request got no HTTP answer: the API was down, or died while answering. */
export class NoAnswer extends Error {}

export interface RequestOptions {
  token: string;
  body?: unknown;
  idempotencyKey?: string;
}

/**
 * The API over HTTP, one attempt per call, every answer tallied by route kind and status code; with
 * several API processes, each request goes to the next, as a load balancer would send it.
 */
export class ApiClient {
  readonly tally = new Map<RouteKind, Map<string, number>>(ROUTE_KINDS.map((k) => [k, new Map()]));
  readonly inFlight: Record<RouteKind, number> = { create: 0, get: 0, event: 0, history: 0 };
  readonly sent: Record<RouteKind, number> = { create: 0, get: 0, event: 0, history: 0 };
  /** Why requests got no answer, with how often. */
  readonly noAnswerReasons = new Map<string, number>();

  private turn = 0;

  constructor(private readonly baseUrls: string[]) {}

  async request(kind: RouteKind, method: string, path: string, options: RequestOptions): Promise<Answer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    this.sent[kind]++;
    this.inFlight[kind]++;
    try {
      const baseUrl = this.baseUrls[this.turn++ % this.baseUrls.length]!;
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // Longer than any wait of the API's own (10 s to start a lifecycle, 30 s for it to answer).
        signal: AbortSignal.timeout(75_000),
      });
      const text = await res.text();
      this.count(kind, String(res.status));
      return { status: res.status, body: parse(text), headers: res.headers };
    } catch (err) {
      this.count(kind, NO_ANSWER);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (err as Error).name ?? (err as Error).message;
      this.noAnswerReasons.set(reason, (this.noAnswerReasons.get(reason) ?? 0) + 1);
      throw new NoAnswer(reason);
    } finally {
      this.inFlight[kind]--;
    }
  }

  private count(kind: RouteKind, status: string): void {
    const counts = this.tally.get(kind)!;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
