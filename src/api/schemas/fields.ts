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
 * R3: letters (any script, with accents) or numbers; one space, hyphen or apostrophe may join two parts,
 * as real names need (O'Neil, Smith-Jones, Mary Ann).
 */
const NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:[ '’-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*$/u;

export const personName = (label: string) =>
  text(label)
    .trim()
    .min(1, `${label} is required`)
    .max(64, `${label} must be at most 64 characters`)
    .regex(
      NAME,
      `${label} must only contain letters or numbers (a single space, hyphen or apostrophe may join them)`,
    )
    .refine((name) => !NAME.test(name) || addressPart(name) !== '', {
      message: `${label} must contain a letter or number that can be written in an email address, such as A to Z or 0 to 9 (R11)`,
    });

export const title = text('Title')
  .trim()
  .min(1, 'Title is required')
  .max(20, 'Title must be at most 20 characters')
  .regex(/^\p{L}[\p{L}.' -]*$/u, 'Title must be letters, such as Dr, Mrs or Prof');

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

export const jobTitle = text('Job title').trim().min(1, 'Job title must not be empty').max(100);

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
