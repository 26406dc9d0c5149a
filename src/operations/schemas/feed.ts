import { z } from 'zod';
import { plainText } from './fields';

const text = (label: string) =>
  z.string({ error: (i) => (i.input === undefined ? `${label} is required` : `${label} must be text`) });

/** R33: the feed's key of the person, unique in the organisation. */
export const externalId = plainText(text('externalId'), 'externalId', 200).min(
  1,
  'externalId must not be empty',
);
/** R33: the ESR assignment number (the enterprise extension's employeeNumber). */
export const esrAssignmentNumber = plainText(text('employeeNumber'), 'employeeNumber', 50).min(
  1,
  'employeeNumber must not be empty',
);
/** R28: a leaving date, an instant (a date alone is its midnight UTC). */
export const leavingDate = z.iso
  .datetime({ offset: true, error: 'leavingDate must be a date and time, such as 2027-03-31T00:00:00Z' })
  .or(z.iso.date({ error: 'leavingDate must be a date, such as 2027-03-31' }))
  .transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value).toISOString());

/** R28, R33: what a feed says of the person's leaving. */
export const feedLeaving = z.strictObject({
  active: z.boolean({ error: 'active must be true or false' }),
  leavingDate: leavingDate.nullable(),
});

/** R33: what a feed gives besides the account's own fields, at a create or a change. */
export const feedFields = z.strictObject({
  externalId: externalId.nullable().optional(),
  esrAssignmentNumber: esrAssignmentNumber.nullable().optional(),
  leaving: feedLeaving.optional(),
});
export type FeedFields = z.output<typeof feedFields>;
