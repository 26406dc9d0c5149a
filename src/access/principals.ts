import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import type { Actor } from '../domain/account';

/** Who is calling (R1): an administrator of some organisations, a national administrator, or the identity platform. */
export type Principal =
  | { kind: 'local-admin'; id: string; name: string; orgs: string[] }
  | { kind: 'national-admin'; id: string; name: string }
  | { kind: 'identity-platform'; id: string; name: string }
  /** R33: a SCIM client (an HR feed, an identity tool) feeding the accounts of its organisations, on /scim/v2 only. */
  | { kind: 'scim-client'; id: string; name: string; orgs: string[] };

const entrySchema = z
  .object({
    token: z.string().min(16).optional(),
    tokenSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    kind: z.enum(['local-admin', 'national-admin', 'identity-platform', 'scim-client']),
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    orgs: z.array(z.string().min(1)).optional(),
    /** The person's immutable id at the sign-in provider: its `sub`, or Entra ID's `oid` (PORTAL_OIDC_PRINCIPAL_CLAIM). */
    oidcSubject: z.string().min(1).max(200).optional(),
  })
  .refine((e) => !!e.token !== !!e.tokenSha256, { message: 'give exactly one of token and tokenSha256' })
  .refine((e) => e.kind !== 'local-admin' || (e.orgs?.length ?? 0) > 0, {
    message: 'a local-admin needs orgs',
  })
  .refine((e) => e.kind !== 'scim-client' || (e.orgs?.length ?? 0) > 0, {
    message: 'a scim-client needs orgs',
  });

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Bearer tokens to principals, holding only the tokens' SHA-256 hashes. */
export class Principals {
  private readonly byHash = new Map<string, Principal>();
  private readonly byIdMap = new Map<string, Principal>();
  private readonly bySubjectMap = new Map<string, Principal>();

  /** Refuses entries at fault, and ids or tokens given twice (they would share an identity), naming each. */
  constructor(entries: readonly unknown[]) {
    const faults: string[] = [];
    const ids = new Map<string, number[]>();
    const hashes = new Map<string, number[]>();
    const subjects = new Map<string, number[]>();
    entries.forEach((raw, i) => {
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          faults.push(`[${i}]${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`);
        }
        return;
      }
      const e = parsed.data;
      const id = e.id ?? e.name;
      const hash = e.tokenSha256 ?? hashToken(e.token!);
      const principal: Principal =
        e.kind === 'local-admin' || e.kind === 'scim-client'
          ? { kind: e.kind, id, name: e.name, orgs: e.orgs! }
          : { kind: e.kind, id, name: e.name };
      ids.set(id, [...(ids.get(id) ?? []), i]);
      hashes.set(hash, [...(hashes.get(hash) ?? []), i]);
      this.byHash.set(hash, principal);
      this.byIdMap.set(id, principal);
      if (e.oidcSubject) {
        subjects.set(e.oidcSubject, [...(subjects.get(e.oidcSubject) ?? []), i]);
        this.bySubjectMap.set(e.oidcSubject, principal);
      }
    });
    const entryList = (at: number[]) => at.map((i) => `[${i}]`).join(', ');
    for (const [id, at] of ids) {
      if (at.length > 1) faults.push(`principal id "${id}" is given to entries ${entryList(at)}`);
    }
    for (const at of hashes.values()) {
      if (at.length > 1) faults.push(`entries ${entryList(at)} share one token`);
    }
    for (const at of subjects.values()) {
      if (at.length > 1) faults.push(`entries ${entryList(at)} share one oidcSubject`);
    }
    if (faults.length > 0) throw new Error(`Invalid principals: ${faults.join('; ')}`);
  }

  static fromFile(file: string): Principals {
    const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(entries)) throw new Error(`${file}: the principals must be a JSON list`);
    try {
      return new Principals(entries);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  find(token: string): Principal | undefined {
    return this.byHash.get(hashToken(token));
  }

  /** The principal with this id: a portal session, or a sign-in provider's email claim, names its principal by id. */
  byId(id: string): Principal | undefined {
    return this.byIdMap.get(id);
  }

  /** The principal with this `oidcSubject`: the sign-in provider's immutable id of the person. */
  bySubject(subject: string): Principal | undefined {
    return this.bySubjectMap.get(subject);
  }
}

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, id: principal.id, name: principal.name };
}
