import { z } from 'zod';
import { addressPart } from '../../domain/email-address';
import { referenceData } from '../../reference/reference-data';
import { describePhone } from '../../domain/identity-events';
import { parsePhone } from '../phone';

/** A required text field whose missing or wrong-typed value is named in the error (R4). */
const text = (label: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be text`),
  });

/**
 * Spaces, tabs, line breaks and no-break spaces around a value are dropped. The class is written out
 * (not `\\s`, nor String.prototype.trim, which drops more) so that the API and the document's patterns,
 * read by JSON Schema validators in other languages, agree on every character.
 */
const EDGE = '[ \\t\\r\\n\\u00a0]*';
const EDGES = /^[ \t\r\n\u00a0]+|[ \t\r\n\u00a0]+$/g;
const trimEdges = (value: string) => value.replace(EDGES, '');
/** Holds a character other than those the edges may have. */
const NOT_BLANK = /[^ \t\r\n\u00a0]/;

/**
 * R3: letters (any script, with accents) or numbers; one space, hyphen or apostrophe may join two parts,
 * as real names need (O'Neil, Smith-Jones, Mary Ann).
 */
const NAME_PARTS = "[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*(?:[ '’-][\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*)*";
const NAME = new RegExp(`^${EDGE}${NAME_PARTS}${EDGE}$`, 'u');

/**
 * Text whose surrounding spaces are dropped: the length is that of the text as given (the document's
 * maxLength), it must hold more than spaces, and `pattern` (if any) is matched against it as given.
 */
const trimmed = (label: string, max: number, blank: string, pattern?: { regex: RegExp; message: string }) => {
  const long = text(label).max(max, `${label} must be at most ${max} characters`);
  // A schema has one pattern in the document: the field's own, which rules out blank text as well.
  const checked = pattern
    ? long.refine((value) => NOT_BLANK.test(value), blank).regex(pattern.regex, pattern.message)
    : long.regex(NOT_BLANK, blank);
  return checked.transform(trimEdges);
};

export const personName = (label: string) =>
  trimmed(label, 64, `${label} is required`, {
    regex: NAME,
    message: `${label} must only contain letters or numbers (a single space, hyphen or apostrophe may join them)`,
  }).refine((name) => addressPart(name) !== '', {
    message: `${label} must contain a letter or number that can be written in an email address, such as A to Z or 0 to 9 (R11)`,
  });

export const title = trimmed('Title', 20, 'Title is required', {
  regex: new RegExp(`^${EDGE}\\p{L}[\\p{L}.' -]*${EDGE}$`, 'u'),
  message: 'Title must be letters, such as Dr, Mrs or Prof',
});

/** R7: a UK mobile, stored in E.164; a refusal says what the number was taken to be. */
export const ukMobile = text('Mobile').transform((value, ctx) => {
  const phone = parsePhone(value);
  if (!phone?.uk || !phone.mobile) {
    ctx.addIssue({
      code: 'custom',
      message: phone
        ? `Mobile must be a UK mobile number: the number given is ${describePhone(phone)} (R7)`
        : 'Mobile is not a valid UK mobile number: give one such as 07400 123456 (R7)',
    });
    return z.NEVER;
  }
  return phone.e164;
});

/** R6: any valid phone number, UK numbers without the country code; stored in E.164. */
export const phoneNumber = (label: string) =>
  text(label).transform((value, ctx) => {
    const phone = parsePhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a valid phone number` });
      return z.NEVER;
    }
    return phone.e164;
  });

export const jobTitle = trimmed('Job title', 100, 'Job title must not be empty');

/** A reference of the caller's, such as a risk assessment's (R22): required, spaces around it dropped. */
export const reference = (max: number, required: string) =>
  z
    .string({ error: required })
    .max(max, `At most ${max} characters`)
    .regex(NOT_BLANK, required)
    .transform(trimEdges);

/** R10: a multi-select of reference codes; unknown codes are refused, duplicates collapsed. */
const codeList = (label: string, known: Set<string>) =>
  z
    .array(text(`${label} code`), { error: `${label} must be a list of codes` })
    .max(20, `At most 20 ${label} codes`)
    .superRefine((codes, ctx) =>
      codes.forEach((code, i) => {
        if (!known.has(code))
          ctx.addIssue({ code: 'custom', path: [i], message: `Unknown ${label} code "${code}"` });
      }),
    )
    .transform((codes) => [...new Set(codes)]);

const codesOf = (items: { code: string }[]) => new Set(items.map((i) => i.code));
export const clinicalSpecialities = codeList('clinical speciality', codesOf(referenceData.specialities));
export const clinicalRoles = codeList('clinical role', codesOf(referenceData.roles));
export const workAreas = codeList('work area', codesOf(referenceData.workAreas));

export const organisationalUnit = text('Organisational unit').min(1).max(64);
export const site = text('Site').min(1).max(64);
export const notes = z
  .string({ error: 'Notes must be text' })
  .max(2000, 'Notes must be at most 2000 characters');
