import { z } from 'zod';
import { addressPart } from '../../domain/email-address';
import { referenceData } from '../../reference/reference-data';
import { describePhone } from '../../domain/identity-events';
import { parsePhone } from './phone';
import {
  EDGE,
  HAS_CONTROL,
  HAS_CONTROL_BUT_LINES,
  LINES,
  NO_CONTROLS,
  NOT_BLANK,
  ONE_LINE,
  trimEdges,
} from './text-rules';

/** A required text field whose missing or wrong-typed value is named in the error (R4). */
const text = (label: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be text`),
  });

/** The length first, and nothing after it when it is too long: no pattern ever reads a long text (Security 1). */
const upTo = (schema: z.ZodString, label: string, max: number) =>
  schema.max(max, { message: `${label} must be at most ${max} characters`, abort: true });

export const controlsMessage = (label: string) =>
  `${label} must be plain text, without control characters such as NUL, a tab or a line break`;

/** Refuses the controls of `has` (and half a surrogate pair alone), naming the field; nothing runs after. */
const without = (has: RegExp, message: string) =>
  [(value: string) => !has.test(value), { message, abort: true }] as const;

/** Text without control characters (Security 7), at most `max` characters; the document states both. */
export const plainText = (schema: z.ZodString, label: string, max: number) =>
  upTo(schema, label, max)
    .refine(...without(HAS_CONTROL, controlsMessage(label)))
    .regex(NO_CONTROLS, controlsMessage(label));

/**
 * R3: letters (any script, with accents) or numbers; one space, hyphen or apostrophe may join two parts,
 * as real names need (O'Neil, Smith-Jones, Mary Ann).
 */
const NAME_PARTS = "[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*(?:[ '’-][\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*)*";
const NAME = new RegExp(`^${EDGE}${NAME_PARTS}${EDGE}$`, 'u');

/**
 * Title: a letter, then letters, dots, apostrophes, hyphens and spaces. A run of spaces inside is followed by
 * one of the others, so that it cannot also be the edge's (which made `a` + 60,000 spaces + `!` take seconds).
 */
const TITLE = new RegExp(`^${EDGE}\\p{L}(?:[\\p{L}.'-]| +[\\p{L}.'-])*${EDGE}$`, 'u');

/**
 * One line of text whose surrounding spaces are dropped: the length is that of the text as given (the
 * document's maxLength), no control character may be inside it (Security 7), it must hold more than spaces,
 * and `pattern` (the document's, ONE_LINE unless given) is matched against it as given.
 */
const trimmed = (
  label: string,
  max: number,
  blank: string,
  pattern: { regex: RegExp; message: string } = { regex: ONE_LINE, message: controlsMessage(label) },
  schema: z.ZodString = text(label),
) =>
  upTo(schema, label, max)
    .refine((value) => !HAS_CONTROL.test(trimEdges(value)), { message: controlsMessage(label), abort: true })
    .refine((value) => NOT_BLANK.test(value), { message: blank, abort: true })
    .regex(pattern.regex, pattern.message)
    .transform(trimEdges);

export const personName = (label: string) =>
  trimmed(label, 64, `${label} is required`, {
    regex: NAME,
    message: `${label} must only contain letters or numbers (a single space, hyphen or apostrophe may join them)`,
  }).refine((name) => addressPart(name) !== '', {
    message: `${label} must contain a letter or number that can be written in an email address, such as A to Z or 0 to 9 (R11)`,
  });

export const title = trimmed('Title', 20, 'Title is required', {
  regex: TITLE,
  message: 'Title must be letters, such as Dr, Mrs or Prof',
});

/** The longest phone number read: an international number with an extension, spaced, fits well within it. */
const PHONE_MAX = 50;

/** A phone number's text, checked as every one line of text is before it is parsed; `invalid` when blank. */
export const phoneText = (label: string, invalid: string, schema: z.ZodString = text(label)) =>
  trimmed(label, PHONE_MAX, invalid, { regex: ONE_LINE, message: invalid }, schema);

/** R7: a UK mobile, stored in E.164; a refusal says what the number was taken to be. */
export const ukMobile = phoneText(
  'Mobile',
  'Mobile is not a valid UK mobile number: give one such as 07400 123456 (R7)',
).transform((value, ctx) => {
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
  phoneText(label, `${label} must be a valid phone number`).transform((value, ctx) => {
    const phone = parsePhone(value);
    if (!phone) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a valid phone number` });
      return z.NEVER;
    }
    return phone.e164;
  });

export const jobTitle = trimmed('Job title', 100, 'Job title must not be empty');

/** A reference of the caller's, such as a risk assessment's (R22): required, spaces around it dropped. */
export const reference = (label: string, max: number, required: string) =>
  trimmed(label, max, required, undefined, z.string({ error: required }));

/** R10: a multi-select of reference codes; unknown codes are refused, duplicates collapsed. */
const codeList = (label: string, known: Set<string>, id: string) =>
  z
    .array(plainText(text(`${label} code`), `${label} code`, 20).meta({ id, enum: [...known] }), {
      error: `${label} must be a list of codes`,
    })
    .max(20, `At most 20 ${label} codes`)
    .superRefine((codes, ctx) =>
      codes.forEach((code, i) => {
        if (!known.has(code))
          ctx.addIssue({ code: 'custom', path: [i], message: `Unknown ${label} code "${code}"` });
      }),
    )
    .transform((codes) => [...new Set(codes)]);

const codesOf = (items: { code: string }[]) => new Set(items.map((i) => i.code));
export const clinicalSpecialities = codeList(
  'clinical speciality',
  codesOf(referenceData.specialities),
  'ClinicalSpecialityCode',
);
export const clinicalRoles = codeList('clinical role', codesOf(referenceData.roles), 'ClinicalRoleCode');
export const workAreas = codeList('work area', codesOf(referenceData.workAreas), 'WorkAreaCode');

export const organisationalUnit = plainText(text('Organisational unit'), 'Organisational unit', 64).min(1);
export const site = plainText(text('Site'), 'Site', 64).min(1);

/** R14: free text on lines; the only controls it may hold are tabs and line breaks (Security 7). */
const NOTES_CONTROLS =
  'Notes must be plain text: tabs and line breaks are allowed, other control characters such as NUL are not';
export const notes = upTo(z.string({ error: 'Notes must be text' }), 'Notes', 2000)
  .refine(...without(HAS_CONTROL_BUT_LINES, NOTES_CONTROLS))
  .regex(LINES, NOTES_CONTROLS);
