import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { matchOperation } from './graph-openapi';

/** A call the double answered (or dropped), as the tests read them: the operation of Graph's description. */
export interface GraphCall {
  at: number;
  method: string;
  /** The path template of Graph's description, e.g. `/users/{user-id}/assignLicense`. */
  template: string;
  operationId: string;
  /** The user, group or object the path names (`user-id`...). */
  params: Record<string, string>;
  /** The query string, decoded (`$select=id,signInActivity`...). */
  query: string;
  status: number | 'lost';
}

/** One misbehaviour, as Graph does: for the next `times` calls that `match` (every call when omitted). */
export interface Fault {
  match?: (call: { method: string; template: string }) => boolean;
  /** 429 or 503 with Retry-After, or the answer lost after the change was made. */
  kind: 429 | 503 | 'lost';
  retryAfterSeconds?: number;
  times?: number;
}

export interface DoubleSettings {
  /** How long after its licence a user's Exchange Online plan is provisioned. */
  mailboxDelayMs: number;
  /** How long after the mailbox the rest of the licence (Teams, SharePoint) is provisioned. */
  servicesDelayMs: number;
  /** How long a user just made answers 404 to reads and changes (replication). */
  replicationLagMs: number;
  /** Random misbehaviour on every call: the chance of a 429, a 503 and a lost answer. */
  chaos?: { p429: number; p503: number; pLost: number; seed: number };
}

interface User {
  id: string;
  createdAt: number;
  body: Record<string, unknown>;
  licensedAt: number | null;
  skus: Set<string>;
  deletedAt: number | null;
  lastSignInAt: number | null;
  password: string;
}

const ERROR = (status: number, code: string, message: string, details?: object[]) => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}) } },
});

/**
 * A Microsoft Graph v1.0 and Entra ID token endpoint double on HTTPS (a self-signed certificate made at
 * start): users, licences, group membership, deleted items, sign-in activity and mail, answering as Graph
 * does; every request checked against Graph's published description of the path (violations are kept for
 * the tests to assert none). Misbehaves as Graph does when told: 429 and 503 with Retry-After, replication
 * lag, a mailbox that takes minutes, an answer lost after the change was made.
 */
export class GraphDouble {
  readonly tenantId = '11111111-2222-3333-4444-555555555555';
  readonly clientId = '66666666-7777-8888-9999-000000000000';
  readonly clientSecret = 'double-client-secret-value';
  readonly skuId = 'c7df2760-2c81-4ef7-b578-5b5392b571df';
  readonly sender = 'notices@nhs.net';
  /** Every group the engine may name, by name: a GUID each. */
  readonly groups: Record<string, string> = {};
  readonly calls: GraphCall[] = [];
  readonly violations: string[] = [];
  readonly sentMail: { from: string; to: string; key: string; content: string }[] = [];
  settings: DoubleSettings;
  /** The double's clock: a test on the time-skipping server sets it to the server's time. */
  now: () => number = () => Date.now();

  private readonly users = new Map<string, User>();
  private readonly members = new Map<string, Set<string>>();
  private readonly tokens = new Set<string>();
  private faults: Fault[] = [];
  private server?: https.Server;
  private random = Math.random;
  ca = '';
  origin = '';

  constructor(groupNames: string[], settings: Partial<DoubleSettings> = {}) {
    for (const name of groupNames) this.groups[name] = crypto.randomUUID();
    for (const id of Object.values(this.groups)) this.members.set(id, new Set());
    this.settings = { mailboxDelayMs: 0, servicesDelayMs: 0, replicationLagMs: 0, ...settings };
  }

  get baseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  /**
   * Writes the double's CA certificate and groups file into `dir`, and gives the settings with which the
   * engine provisions on it (MAIL_PLATFORM=graph).
   */
  engineSettings(dir: string): Record<string, string> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const caFile = path.join(dir, 'ca.pem');
    const groupsFile = path.join(dir, 'groups.json');
    fs.writeFileSync(caFile, this.ca, { mode: 0o600 });
    fs.writeFileSync(groupsFile, JSON.stringify(this.groups, null, 2), { mode: 0o600 });
    return {
      MAIL_PLATFORM: 'graph',
      GRAPH_TENANT_ID: this.tenantId,
      GRAPH_CLIENT_ID: this.clientId,
      GRAPH_CLIENT_SECRET: this.clientSecret,
      GRAPH_AUTHORITY_HOST: this.origin,
      GRAPH_BASE_URL: this.baseUrl,
      GRAPH_GROUPS_FILE: groupsFile,
      GRAPH_LICENCE_SKU_ID: this.skuId,
      GRAPH_NOTICE_SENDER: this.sender,
      GRAPH_CA_FILE: caFile,
    };
  }

  async start(port = 0): Promise<this> {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    } as never);
    this.ca = pems.cert;
    this.server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Misbehaves as told, first come first served. */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Random misbehaviour from now on (or none), repeatable by its seed. */
  chaos(chaos: DoubleSettings['chaos']): void {
    this.settings.chaos = chaos;
    this.random = chaos ? seeded(chaos.seed) : Math.random;
  }

  /** The user signs in (Entra ID records it in signInActivity). */
  signIn(upn: string, at = this.now()): void {
    const user = this.live(upn);
    if (!user) throw new Error(`no user ${upn}`);
    user.lastSignInAt = at;
  }

  /** A user made by someone else (an administrator in the Entra admin centre, say), without the marker. */
  createForeignUser(upn: string): void {
    this.addUser({ userPrincipalName: upn, displayName: upn, accountEnabled: true }, 'Foreign-1!');
  }

  /** What the tenant holds for an address: the live user, its licences, groups (by name) and state. */
  inspect(upn: string) {
    const user = this.live(upn);
    const groups = Object.entries(this.groups)
      .filter(([, id]) => user && this.members.get(id)!.has(user.id))
      .map(([name]) => name)
      .sort();
    return {
      exists: !!user,
      id: user?.id,
      body: user?.body,
      password: user?.password,
      licences: user ? [...user.skus] : [],
      groups,
      deleted: [...this.users.values()].filter((u) => u.deletedAt !== null && upnOf(u).endsWith(upn)).length,
    };
  }

  /** Every user ever made (live or deleted), for counting. */
  allUsers(): { upn: string; deleted: boolean; licences: number }[] {
    return [...this.users.values()].map((u) => ({
      upn: upnOf(u),
      deleted: u.deletedAt !== null,
      licences: u.skus.size,
    }));
  }

  /** The calls on one user (by address or object id), optionally of one operation, in order. */
  callsFor(upn: string): GraphCall[] {
    const id = this.live(upn)?.id ?? [...this.users.values()].find((u) => upnOf(u).endsWith(upn))?.id;
    return this.calls.filter((c) => {
      const p = Object.values(c.params);
      return p.includes(upn) || (id !== undefined && p.includes(id)) || c.params.upn === upn;
    });
  }

  private handle(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    text: string,
  ) {
    const url = new URL(req.url ?? '/', this.origin);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    // Entra ID: the authority's metadata and the token endpoint.
    const tenantPath = `/${this.tenantId}`;
    if (req.method === 'GET' && url.pathname === `${tenantPath}/v2.0/.well-known/openid-configuration`) {
      const base = `${this.origin}${tenantPath}`;
      return send(200, {
        issuer: `${base}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
        tenant_region_scope: 'EU',
      });
    }
    if (req.method === 'POST' && url.pathname === `${tenantPath}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(text);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== this.clientId ||
        (form.get('client_secret') !== this.clientSecret && !form.get('client_assertion'))
      ) {
        return send(401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret.',
        });
      }
      const token = crypto.randomBytes(24).toString('base64url');
      this.tokens.add(token);
      return send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    if (!url.pathname.startsWith('/v1.0/')) return send(404, ERROR(404, 'NotFound', 'no such path').body);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) {
      return send(401, ERROR(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.').body);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(400, ERROR(400, 'BadRequest', 'Unable to read JSON request payload.').body);
    }
    const path = url.pathname.slice('/v1.0'.length);
    const op = matchOperation(req.method ?? 'GET', path, url.searchParams, body);
    const call: GraphCall = {
      at: this.now(),
      method: req.method ?? 'GET',
      template: op?.template ?? path,
      operationId: op?.operationId ?? '',
      params: op?.params ?? {},
      query: decodeURIComponent(url.search.slice(1)),
      status: 0,
    };
    // Whom a call is about when its path does not say: the member a $ref adds, the recipient of a mail.
    const ref = (body as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
    if (typeof ref === 'string') call.params.member = ref.split('/').pop()!;
    const to = (
      body as { Message?: { toRecipients?: { emailAddress?: { address?: string } }[] } } | undefined
    )?.Message?.toRecipients?.[0]?.emailAddress?.address;
    if (to) call.params.to = to;
    const upn = (body as { userPrincipalName?: unknown } | undefined)?.userPrincipalName;
    if (typeof upn === 'string') call.params.upn = upn;
    this.calls.push(call);
    if (!op || op.violations.length > 0) {
      const why = op ? op.violations.join('; ') : `${req.method} ${path} is not in Graph's description`;
      this.violations.push(`${req.method} ${path}: ${why}`);
      call.status = 400;
      return send(400, ERROR(400, 'Request_BadRequest', why).body);
    }
    const { kind: fault, retryAfterSeconds = 2 } = this.faultFor(call) ?? {};
    if (fault === 429 || fault === 503) {
      call.status = fault;
      const retryAfter = String(retryAfterSeconds);
      return send(
        fault,
        ERROR(
          fault,
          fault === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
          'Please retry after the time given.',
        ).body,
        { 'retry-after': retryAfter },
      );
    }
    const answer = this.answer(call, url.searchParams, body as Record<string, unknown>);
    if (fault === 'lost') {
      call.status = 'lost';
      res.socket?.destroy();
      return;
    }
    call.status = answer.status;
    return send(answer.status, answer.body);
  }

  private faultFor(call: GraphCall): Pick<Fault, 'kind' | 'retryAfterSeconds'> | undefined {
    const i = this.faults.findIndex((f) => !f.match || f.match(call));
    if (i >= 0) {
      const fault = this.faults[i]!;
      if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(i, 1);
      return fault;
    }
    const chaos = this.settings.chaos;
    if (!chaos) return undefined;
    const r = this.random();
    if (r < chaos.p429) return { kind: 429, retryAfterSeconds: 1 };
    if (r < chaos.p429 + chaos.p503) return { kind: 503, retryAfterSeconds: 1 };
    if (call.method !== 'GET' && r < chaos.p429 + chaos.p503 + chaos.pLost) return { kind: 'lost' };
    return undefined;
  }

  private answer(
    call: GraphCall,
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): { status: number; body?: unknown } {
    const { params } = call;
    const key = `${call.method} ${call.template}`;
    const userRef = params['user-id'];
    const visible = userRef ? this.visible(userRef) : undefined;
    const notFound = () =>
      ERROR(
        404,
        'Request_ResourceNotFound',
        `Resource '${userRef}' does not exist or one of its queried reference-property objects are not present.`,
      );
    switch (key) {
      case 'POST /users': {
        const upn = String(body.userPrincipalName ?? '');
        const missing = [
          'accountEnabled',
          'displayName',
          'mailNickname',
          'passwordProfile',
          'userPrincipalName',
        ].filter((p) => body[p] === undefined);
        if (missing.length) return ERROR(400, 'Request_BadRequest', `Property ${missing[0]} is required.`);
        if (this.live(upn)) {
          return ERROR(
            400,
            'Request_BadRequest',
            'Another object with the same value for property userPrincipalName already exists.',
            [{ code: 'ObjectConflict', target: 'userPrincipalName' }],
          );
        }
        const { passwordProfile, ...rest } = body;
        const user = this.addUser(rest, String((passwordProfile as { password: string }).password));
        return { status: 201, body: this.view(user) };
      }
      case 'GET /users/{user-id}': {
        if (!visible) return notFound();
        const select = query.get('$select')?.split(',');
        const view = this.view(visible);
        return { status: 200, body: select ? pick(view, select) : view };
      }
      case 'PATCH /users/{user-id}': {
        if (!visible) return notFound();
        const { passwordProfile, ...rest } = body;
        if (passwordProfile) visible.password = String((passwordProfile as { password: string }).password);
        for (const [k, v] of Object.entries(rest)) {
          if (v === null) delete visible.body[k];
          else visible.body[k] = v;
        }
        return { status: 204 };
      }
      case 'DELETE /users/{user-id}': {
        if (!visible) return notFound();
        visible.deletedAt = this.now();
        for (const m of this.members.values()) m.delete(visible.id);
        return { status: 204 };
      }
      case 'POST /users/{user-id}/assignLicense': {
        if (!visible) return notFound();
        if (!visible.body.usageLocation)
          return ERROR(
            400,
            'Request_BadRequest',
            'License assignment cannot be done for user with invalid usage location.',
          );
        for (const l of (body.addLicenses as { skuId: string }[]) ?? []) {
          if (l.skuId !== this.skuId)
            return ERROR(
              400,
              'Request_BadRequest',
              `License ${l.skuId} does not correspond to a valid company License.`,
            );
          if (!visible.skus.has(l.skuId)) {
            visible.skus.add(l.skuId);
            visible.licensedAt ??= this.now();
          }
        }
        return { status: 200, body: this.view(visible) };
      }
      case 'POST /users/{user-id}/revokeSignInSessions':
        return visible ? { status: 200, body: { value: true } } : notFound();
      case 'GET /users/{user-id}/memberOf': {
        if (!visible) return notFound();
        const value = [...this.members.entries()]
          .filter(([, m]) => m.has(visible.id))
          .map(([id]) => ({ '@odata.type': '#microsoft.graph.group', id }));
        return { status: 200, body: { value } };
      }
      case 'POST /groups/{group-id}/members/$ref': {
        const members = this.members.get(params['group-id']!);
        const ref = String(body['@odata.id'] ?? '');
        const member = [...this.users.values()].find(
          (u) => u.deletedAt === null && ref === `${this.baseUrl}/directoryObjects/${u.id}`,
        );
        if (!members || !member) return ERROR(404, 'Request_ResourceNotFound', 'Resource does not exist.');
        if (members.has(member.id))
          return ERROR(
            400,
            'Request_BadRequest',
            "One or more added object references already exist for the following modified properties: 'members'.",
          );
        members.add(member.id);
        return { status: 204 };
      }
      case 'DELETE /groups/{group-id}/members/{directoryObject-id}/$ref': {
        const members = this.members.get(params['group-id']!);
        if (!members || !members.delete(params['directoryObject-id']!))
          return ERROR(
            404,
            'Request_ResourceNotFound',
            `Resource '${params['directoryObject-id']}' does not exist.`,
          );
        return { status: 204 };
      }
      case 'GET /directory/deletedItems/microsoft.graph.user': {
        const suffix = /^endswith\(userPrincipalName,'(.+)'\)$/
          .exec(query.get('$filter') ?? '')?.[1]
          ?.replace(/''/g, "'");
        const select = query.get('$select')?.split(',');
        const value = [...this.users.values()]
          .filter((u) => u.deletedAt !== null && (!suffix || upnOf(u).endsWith(suffix)))
          .map((u) => ({ ...this.view(u), userPrincipalName: u.id.replace(/-/g, '') + upnOf(u) }))
          .map((v) => (select ? pick(v, select) : v));
        return { status: 200, body: { value } };
      }
      case 'POST /directory/deletedItems/{directoryObject-id}/restore': {
        const user = this.users.get(params['directoryObject-id']!);
        if (!user || user.deletedAt === null)
          return ERROR(404, 'Request_ResourceNotFound', 'Resource does not exist.');
        if (this.live(upnOf(user)))
          return ERROR(
            400,
            'Request_BadRequest',
            'Another object with the same value for property userPrincipalName already exists.',
            [{ code: 'ObjectConflict', target: 'userPrincipalName' }],
          );
        user.deletedAt = null;
        return { status: 200, body: this.view(user) };
      }
      case 'GET /users/{user-id}/mailFolders/{mailFolder-id}/messages': {
        const key = /ep\/value eq '(.+)'\)$/.exec(query.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
        const value = this.sentMail
          .filter((m) => m.from === userRef && m.key === key)
          .map((m, i) => ({ id: `m${i}` }));
        return { status: 200, body: { value } };
      }
      case 'POST /users/{user-id}/sendMail': {
        const message = body.Message as {
          toRecipients: { emailAddress: { address: string } }[];
          body: { content: string };
          singleValueExtendedProperties?: { value: string }[];
        };
        for (const to of message.toRecipients)
          this.sentMail.push({
            from: userRef!,
            to: to.emailAddress.address,
            key: message.singleValueExtendedProperties?.[0]?.value ?? '',
            content: message.body.content,
          });
        return { status: 202 };
      }
    }
    return ERROR(501, 'NotImplemented', `${key} is described but the double does not answer it`);
  }

  private addUser(body: Record<string, unknown>, password: string): User {
    const user: User = {
      id: crypto.randomUUID(),
      createdAt: this.now(),
      body,
      licensedAt: null,
      skus: new Set(),
      deletedAt: null,
      lastSignInAt: null,
      password,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The live user holding the address (or the object id). */
  private live(ref: string): User | undefined {
    const lower = ref.toLowerCase();
    return [...this.users.values()].find(
      (u) => u.deletedAt === null && (u.id === ref || upnOf(u).toLowerCase() === lower),
    );
  }

  /** The live user, unless it is too new to be seen yet (replication). */
  private visible(ref: string): User | undefined {
    const user = this.live(ref);
    return user && this.now() >= user.createdAt + this.settings.replicationLagMs ? user : undefined;
  }

  private view(user: User): Record<string, unknown> {
    const now = this.now();
    const { licensedAt } = user;
    const status = (delay: number) =>
      licensedAt !== null && now >= licensedAt + delay ? 'Success' : 'PendingInput';
    const provisionedPlans =
      licensedAt === null
        ? []
        : [
            {
              capabilityStatus: 'Enabled',
              provisioningStatus: status(this.settings.mailboxDelayMs),
              service: 'exchange',
            },
            {
              capabilityStatus: 'Enabled',
              provisioningStatus: status(this.settings.mailboxDelayMs + this.settings.servicesDelayMs),
              service: 'MicrosoftCommunicationsOnline',
            },
          ];
    return {
      id: user.id,
      ...user.body,
      assignedLicenses: [...user.skus].map((skuId) => ({ skuId, disabledPlans: [] })),
      provisionedPlans,
      signInActivity: {
        lastSuccessfulSignInDateTime:
          user.lastSignInAt === null ? null : new Date(user.lastSignInAt).toISOString(),
      },
    };
  }
}

const upnOf = (u: User) => String(u.body.userPrincipalName);

function pick(view: Record<string, unknown>, select: string[]): Record<string, unknown> {
  return Object.fromEntries(select.filter((k) => k in view).map((k) => [k, view[k]]));
}

/** A small seeded generator (mulberry32), so a misbehaving run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
