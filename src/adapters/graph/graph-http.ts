import https from 'node:https';
import tls from 'node:tls';
import type { TokenCredential } from '@azure/identity';

export interface GraphResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

/** The error Graph answers with (`{ error: { code, message, details } }`), as far as it is there. */
export interface GraphErrorBody {
  code?: string;
  message?: string;
  details?: { code?: string; target?: string; message?: string }[];
}

/**
 * An agent trusting the system's certificates and `extraCa` (a test double, a TLS-inspecting proxy). The
 * certificates are read once, into one context for every connection: given as `ca`, each connection parsed
 * the whole list again, and each request named its connection pool by it.
 */
export function httpsAgent(extraCa?: string): https.Agent {
  const secureContext = extraCa
    ? tls.createSecureContext({ ca: [...tls.rootCertificates, extraCa] })
    : undefined;
  return new https.Agent({ keepAlive: true, ...(secureContext ? { secureContext } : {}) });
}

const TIMEOUT_MS = 30_000;

/**
 * Microsoft Graph over HTTPS with an app-only token: one request, one answer. Nothing is retried here:
 * throttling and lost answers are retried by Temporal, as the activity's failure says (graph-failures.ts).
 */
export class GraphHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly credential: TokenCredential,
    private readonly agent: https.Agent,
  ) {}

  /** The scope of an app-only token for this Graph endpoint: its origin's `.default`. */
  get scope(): string {
    return `${new URL(this.baseUrl).origin}/.default`;
  }

  /** The URL Graph knows a directory object by, for `members/$ref`. */
  directoryObjectUrl(id: string): string {
    return `${this.baseUrl}/directoryObjects/${encodeURIComponent(id)}`;
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<GraphResponse> {
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error('Microsoft Graph: no access token was issued');
    const url = new URL(path.startsWith('https://') ? path : this.baseUrl + path);
    // A next link is followed only to Graph itself: the token goes nowhere else.
    if (url.origin !== new URL(this.baseUrl).origin)
      throw new Error(`Microsoft Graph: refused to call ${url.origin}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise<GraphResponse>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: TIMEOUT_MS,
          headers: {
            authorization: `Bearer ${token.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) =>
        // The change may have been made: the caller's retry finds out (never the URL's query or the body).
        reject(new Error(`Microsoft Graph ${method} ${url.pathname}: the answer was lost (${err.message})`)),
      );
      req.end(payload);
    });
  }
}

export function graphError(res: GraphResponse): GraphErrorBody {
  const error = (res.body as { error?: GraphErrorBody } | undefined)?.error;
  return error && typeof error === 'object' ? error : {};
}
