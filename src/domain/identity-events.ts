/** The first-login steps the identity platform reports, in the order a user normally takes them (R18). */
export const GATES = [
  'PasswordChanged',
  'AupAccepted',
  'SecretSet',
  'MfaRegistered',
  'ProfileUpdated',
] as const;
export type GateName = (typeof GATES)[number];

/** A phone number the user registered, as the API classified it: UK or not (R7), mobile or not (R8). */
export interface PhoneReport {
  e164: string;
  uk: boolean;
  mobile: boolean;
  /** The country the number was taken to be (ISO code) and its name, so refusals can say it. */
  country: string;
  countryName: string;
}

export type MfaMethod = 'sms' | 'voice' | 'authenticator-app';

/** A first-login step (R18). */
export type GateEvent =
  | { type: 'PasswordChanged' }
  | { type: 'AupAccepted' }
  | { type: 'SecretSet' }
  | { type: 'MfaRegistered'; method: MfaMethod; phone?: PhoneReport }
  | { type: 'ProfileUpdated'; mobile?: PhoneReport };

/** What the identity platform reports: a first-login step, or a sign-in (R30). */
export type IdentityEvent = GateEvent | { type: 'SignedIn' };

export const IDENTITY_EVENT_TYPES = [...GATES, 'SignedIn'] as const;

/**
 * R18 decision: the password change comes first; the account secret needs the AUP; MFA registration
 * needs the AUP and the secret; the profile needs the password changed.
 */
export const PREREQUISITES: Record<GateName, GateName[]> = {
  PasswordChanged: [],
  AupAccepted: ['PasswordChanged'],
  SecretSet: ['AupAccepted'],
  MfaRegistered: ['AupAccepted', 'SecretSet'],
  ProfileUpdated: ['PasswordChanged'],
};

export function reportedPhone(event: IdentityEvent): PhoneReport | undefined {
  if (event.type === 'MfaRegistered') return event.phone;
  if (event.type === 'ProfileUpdated') return event.mobile;
  return undefined;
}

/** What a number was taken to be, for a refusal's or a disablement's words: "a number of France", "a UK landline". */
export function describePhone(phone: PhoneReport): string {
  if (!phone.uk) return `a number of ${phone.countryName}`;
  const where = phone.country === 'GB' ? '' : ` (${phone.countryName})`;
  return phone.mobile ? `a UK mobile${where}` : `a UK landline${where}`;
}
