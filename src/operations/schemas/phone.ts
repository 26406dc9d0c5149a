import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PhoneReport } from '../../domain/identity-events';

const REGIONS = new Intl.DisplayNames(['en-GB'], { type: 'region' });

/**
 * A phone number as given, parsed with UK as the default region; undefined when it is not a valid number.
 * R7 decision: a UK number is one of the +44 numbering plan, which includes the Crown Dependencies
 * (Guernsey, Jersey, Isle of Man): their mobiles are +44 numbers on UK networks. The country the number
 * was taken to be is kept, so that every refusal or disablement can name it.
 */
export function parsePhone(input: string): PhoneReport | undefined {
  const parsed = parsePhoneNumberFromString(input, 'GB');
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  const country = parsed.country ?? 'unknown';
  return {
    e164: parsed.number,
    uk: parsed.countryCallingCode === '44',
    mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE',
    country,
    countryName: country === 'unknown' ? 'an unknown country' : (REGIONS.of(country) ?? country),
  };
}
