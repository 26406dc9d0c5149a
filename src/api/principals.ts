import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import type { Actor } from '../domain/account';

/** Who is calling (R1): an administrator of some organisations, a national administrator, or the identity platform. */
export type Principal =
  | { kind: 'local-admin'; id: string; name: string; orgs: string[] }
  | { kind: 'national-admin'; id: string; name: string }
  | { kind: 'identity-platform'; id: string; name: string };

const entrySchema = z
  .object({
    token: z.string().min(16).optional(),
    tokenSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    kind: z.enum(['local-admin', 'national-admin', 'identity-platform']),
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    orgs: z.array(z.string().min(1)).optional(),
  })
  .refine((e) => !!e.token !== !!e.tokenSha256, { message: 'give exactly one of token and tokenSha256' })
  .refine((e) => e.kind !== 'local-admin' || (e.orgs?.length ?? 0) > 0, {
    message: 'a local-admin needs orgs',
  });

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Bearer tokens to principals, holding only the tokens' SHA-256 hashes. */
export class Principals {
  private readonly byHash = new Map<string, Principal>();

  constructor(entries: z.input<typeof entrySchema>[]) {
    for (const raw of entries) {
      const e = entrySchema.parse(raw);
      const id = e.id ?? e.name;
      const principal: Principal =
        e.kind === 'local-admin'
          ? { kind: e.kind, id, name: e.name, orgs: e.orgs! }
          : { kind: e.kind, id, name: e.name };
      this.byHash.set(e.tokenSha256 ?? hashToken(e.token!), principal);
    }
  }

  static fromFile(file: string): Principals {
    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return new Principals(z.array(z.unknown()).parse(entries) as z.input<typeof entrySchema>[]);
  }

  find(token: string): Principal | undefined {
    return this.byHash.get(hashToken(token));
  }
}

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.id, name: principal.name };
}

/** R1: whether the principal administers accounts of this organisation. */
export function administers(principal: Principal, organisationCode: string): boolean {
  if (principal.kind === 'national-admin') return true;
  if (principal.kind === 'local-admin') return principal.orgs.includes(organisationCode);
  return false;
}
