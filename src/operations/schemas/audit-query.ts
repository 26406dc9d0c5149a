import { z } from 'zod';
import type { AuditPosition } from '../../ports/audit-store';
import { plainText } from './fields';
import { queryInteger } from './requests';

/** An instant in a query: an ISO 8601 date-time with its offset, taken as the instant it names. */
const instant = (name: string, description: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${name} must be a date and time with its offset, such as 2026-12-05T09:00:00Z`,
    })
    .transform((value) => new Date(value).toISOString())
    .optional()
    .describe(description);

/** Where a page of the trail's search ends: the position of its last entry, base64url of its JSON. */
const auditCursor = z
  .string({ error: 'cursor must be text' })
  .max(400, { message: 'cursor must be at most 400 characters', abort: true })
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of the page before', abort: true })
  .transform((value, ctx): AuditPosition => {
    const position = positionOf(value);
    if (!position) {
      ctx.addIssue({ code: 'custom', message: 'cursor must be the nextCursor of the page before' });
      return z.NEVER;
    }
    return position;
  })
  .optional()
  .describe('The nextCursor of the page before');

const position = z.strictObject({
  at: z.iso.datetime(),
  accountId: z.string().max(254),
  seq: z.number().int().min(0),
});

function positionOf(cursor: string): AuditPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = position.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The cursor of the page after the one ending at `last`. */
export const encodeAuditCursor = ({ at, accountId, seq }: AuditPosition) =>
  Buffer.from(JSON.stringify({ at, accountId, seq })).toString('base64url');

/** GET /v1/audit (R2, R1): the trail searched by actor, organisation, account and time. */
export const auditQuery = z
  .strictObject({
    actor: plainText(z.string({ error: 'actor must be text' }), 'actor', 200)
      .min(1)
      .optional()
      .describe(
        "Who acted: an administrator's principal id, `lifecycle` for the engine, or the identity platform's",
      ),
    org: plainText(z.string({ error: 'org must be text' }), 'org', 20)
      .min(1)
      .optional()
      .describe('An organisation code: entries recorded while the account was in it'),
    account: plainText(z.string({ error: 'account must be text' }), 'account', 254)
      .min(1)
      .optional()
      .describe("An account's id (its primary address)"),
    from: instant('from', 'Entries recorded at or after this time'),
    to: instant('to', 'Entries recorded before this time'),
    cursor: auditCursor,
    limit: queryInteger('limit', 1, 100, 25),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });
