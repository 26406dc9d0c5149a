import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneReport } from '../domain/identity-events';

/** A phone number as given, parsed with UK as the default region; undefined when it is not a valid number. */
export function parsePhone(input: string): PhoneReport | undefined {
  const parsed = parsePhoneNumberFromString(input, 'GB');
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  return {
    e164: parsed.number,
    uk: parsed.country === 'GB',
    mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE',
  };
}
