import { z } from 'zod';
import { existingAccount } from './responses';
import { PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../../problem-types';

/**
 * The problems the API answers (RFC 9457), one schema per problem type: its `type` URI and `status` are
 * constants, so a generated client narrows a problem by its `type`; the members a type adds are its own.
 */

const fieldErrors = z
  .array(
    z
      .strictObject({
        path: z.string().describe('The field, such as `profile.mobile`, or `line 3` of a file'),
        message: z.string(),
      })
      .meta({ id: 'FieldError' }),
  )
  .min(1);

/** What each problem type adds to the members every problem has. */
const MEMBERS: { [T in ProblemType]?: z.ZodRawShape } = {
  'invalid-request': { errors: fieldErrors.describe('One per field at fault (R4)') },
  'invalid-file': { errors: fieldErrors.describe('The line that cannot be read, or the file') },
  refused: {
    rule: z
      .string()
      .regex(/^(R[1-9][0-9]?|unspecified)$/)
      .describe('The rule the refusal cites (docs/rules.md)'),
    missing: z.array(z.string()).optional().describe('What the lifecycle waits for before the change'),
  },
  duplicate: {
    // The account, when the caller administers it or it is a leaver (R12, R28).
    existing: existingAccount.optional(),
    existingInAnotherOrganisation: z
      .literal(true)
      .optional()
      .describe('The account is in an organisation the caller does not administer, so it is not shown'),
  },
  'possible-duplicate': {
    candidates: z.array(existingAccount).describe('The accounts of the same name the caller may see'),
    otherCandidates: z
      .number()
      .int()
      .min(0)
      .describe('Accounts of the same name in organisations the caller does not administer'),
  },
  'duplicate-external-id': {
    existing: z.strictObject({ id: z.string() }).describe('The account that has this externalId'),
  },
  'upload-running': { running: z.string().describe('The id of the upload running') },
};

/** A problem type's name as a component's: `possible-duplicate` is `PossibleDuplicateProblem`. */
const componentName = (type: ProblemType) =>
  `${type.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase())}Problem`;

/** The schema of each problem type. */
export const problemSchemas = Object.fromEntries(
  (Object.keys(PROBLEM_TYPES) as ProblemType[]).map((type) => {
    const { status, title, about } = PROBLEM_TYPES[type];
    const schema = z
      .strictObject({
        type: z.literal(problemTypeUri(type)),
        title: z.string().meta({ example: title }),
        status: z.literal(status),
        detail: z.string().optional().describe('What happened this time, and what to do'),
        ...MEMBERS[type],
      })
      .meta({ id: componentName(type), description: `${title} (${status}): ${about}.` });
    return [type, schema];
  }),
) as unknown as Record<ProblemType, z.ZodType>;

/**
 * Any problem, for a status an operation does not list (the `default` answer): one of the problem types,
 * told apart by `type`, so that a client narrows every problem an operation answers by its `type` alone.
 */
export const anyProblem = z
  .discriminatedUnion('type', Object.values(problemSchemas) as unknown as [z.ZodObject, z.ZodObject])
  .meta({
    id: 'Problem',
    description: 'Any problem (RFC 9457): `type` says which, and which members it has (docs/api.md).',
  });
