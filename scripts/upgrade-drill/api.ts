export const TOKENS = {
  gstt: 'dev-local-admin-gstt-0001',
  uclh: 'dev-local-admin-uclh-manchester-0002',
  national: 'dev-national-admin-0004',
  identity: 'dev-identity-platform-0005',
};

export interface View {
  id: string;
  status: string;
  canSendEmail: boolean;
  organisation: { code: string };
  mfa: { inGroup: boolean; exception: unknown };
  [key: string]: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The API as a careful client calls it: each request retried on no answer and on 5xx (an API process being
 * replaced), with one Idempotency-Key across the retries of a create.
 */
export class DrillApi {
  constructor(private readonly baseUrls: () => string[]) {}
  private turn = 0;

  async call(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    expect: number[] = [200, 201, 202],
  ): Promise<{ status: number; body: View & Record<string, unknown> }> {
    const key = method === 'POST' ? crypto.randomUUID() : undefined;
    for (let attempt = 1; ; attempt++) {
      const urls = this.baseUrls();
      const base = urls[this.turn++ % urls.length]!;
      try {
        const res = await fetch(base + path, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(key ? { 'Idempotency-Key': key } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
        const answer = {
          status: res.status,
          body: (await res.json().catch(() => ({}))) as View & Record<string, unknown>,
        };
        if (res.status < 500 || attempt >= 20) {
          if (!expect.includes(res.status))
            throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
          return answer;
        }
      } catch (err) {
        if (attempt >= 20 || !(err instanceof TypeError || (err as Error).name === 'TimeoutError')) throw err;
      }
      await sleep(1000);
    }
  }

  view(id: string): Promise<View> {
    return this.call('GET', `/v1/accounts/${encodeURIComponent(id)}`, TOKENS.national).then((a) => a.body);
  }

  /** Polls the account until `test` holds; rejects after `ms` with the last view. */
  async until(id: string, what: string, test: (view: View) => boolean, ms = 180_000): Promise<View> {
    const deadline = Date.now() + ms;
    let view: View | undefined;
    for (;;) {
      view = await this.view(id);
      if (test(view)) return view;
      if (Date.now() > deadline)
        throw new Error(`${id}: not ${what} within ${ms / 1000} s (status ${view.status})`);
      await sleep(1000);
    }
  }
}
