import type { AccountChanges, PlatformAccount, PlatformProfile } from '../../ports/mail-platform';
import { referenceData } from '../../reference/reference-data';
import type { OrganisationalUnit } from '../../domain/organisation';

/**
 * The directory extension property that marks a user as made by the engine for one account: set in the
 * create itself, so no user can exist without it, and never changed after. Registered once on the engine's
 * own app registration (docs/graph.md), whose app id its name carries.
 */
export function markerProperty(clientId: string): string {
  return `extension_${clientId.replace(/-/g, '')}_nhsmailAccountId`;
}

/** The body of `POST /users` for a new account. */
export function newUserBody(
  account: PlatformAccount,
  temporaryPassword: string,
  marker: string,
): Record<string, unknown> {
  const [nickname] = account.email.split('@');
  return {
    accountEnabled: true,
    displayName: account.displayName,
    ...(account.firstName ? { givenName: account.firstName } : {}),
    ...(account.lastName ? { surname: account.lastName } : {}),
    mailNickname: nickname,
    userPrincipalName: account.email,
    usageLocation: 'GB',
    passwordProfile: { password: temporaryPassword, forceChangePasswordNextSignIn: true },
    ...withoutNulls(profileProperties(account)),
    [marker]: account.accountId,
  };
}

/** The body of `PATCH /users/{id}` for an edit: the properties Graph holds; a cleared one as null (or []). */
export function userChanges(changes: AccountChanges): Record<string, unknown> {
  return {
    ...(changes.displayName ? { displayName: changes.displayName } : {}),
    ...(changes.firstName ? { givenName: changes.firstName } : {}),
    ...(changes.lastName ? { surname: changes.lastName } : {}),
    ...profileProperties(changes),
  };
}

type Nullable<T> = { [K in keyof T]?: T[K] | null };

/**
 * The profile fields with a Graph property. The title, the pager, the clinical codes and the phone numbers'
 * visibility have none: they stay in the engine's directory.
 */
function profileProperties(p: Nullable<PlatformProfile>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.jobTitle !== undefined) out.jobTitle = p.jobTitle;
  if (p.mobile !== undefined) out.mobilePhone = p.mobile;
  if (p.telephone !== undefined) out.businessPhones = p.telephone ? [p.telephone] : [];
  if (p.fax !== undefined) out.faxNumber = p.fax;
  if (p.organisationName !== undefined) out.companyName = p.organisationName;
  if (p.organisationalUnit !== undefined)
    out.department = p.organisationalUnit && (unitName(p.organisationalUnit) ?? p.organisationalUnit);
  if (p.site !== undefined) out.officeLocation = p.site && (siteName(p.site) ?? p.site);
  return out;
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)),
  );
}

function unitName(code: string): string | undefined {
  const find = (units: OrganisationalUnit[]): string | undefined => {
    for (const u of units) {
      if (u.code === code) return u.name;
      const inner = find(u.children ?? []);
      if (inner) return inner;
    }
    return undefined;
  };
  for (const org of referenceData.organisations) {
    const name = find(org.units);
    if (name) return name;
  }
  return undefined;
}

function siteName(code: string): string | undefined {
  for (const org of referenceData.organisations) {
    const site = org.sites.find((s) => s.code === code);
    if (site) return site.name;
  }
  return undefined;
}
