/** The national user policy: organisations whose default is this one add no policy of their own (R14a). */
export const NATIONAL_USER_POLICY = 'NHSmail National User Policy';
/** The central security group of the Conditional Access Standard policy (R21). */
export const CENTRAL_MFA_GROUP = 'NHSmail-MFA-Standard-CA';

export interface OrganisationalUnit {
  code: string;
  name: string;
  children?: OrganisationalUnit[];
}

export interface Site {
  code: string;
  name: string;
}

/** One organisation of the register. */
export interface Organisation {
  code: string;
  name: string;
  kind: string;
  emailDomains: string[];
  units: OrganisationalUnit[];
  sites: Site[];
  /** Managed by the National Administration Service (PODS): no MFA (R21). */
  nasManaged: boolean;
  /** Accounts are kept in step by a connector: manual edits may be overwritten (R27). */
  connectorManaged: boolean;
  defaultPolicy: string;
  /** The organisation's own Conditional Access group, used instead of the central one (R21). */
  localCaGroup?: string;
  /** Where the code comes from: an ODS code, or an illustrative one where no public code was at hand. */
  codeSource: 'ODS' | 'illustrative';
}

/** What a lifecycle needs to know of its organisation, fixed when the account is created. */
export type OrganisationSnapshot = Pick<
  Organisation,
  'code' | 'name' | 'nasManaged' | 'connectorManaged' | 'defaultPolicy' | 'localCaGroup'
>;

export function snapshotOf(org: Organisation): OrganisationSnapshot {
  const { code, name, nasManaged, connectorManaged, defaultPolicy, localCaGroup } = org;
  return {
    code,
    name,
    nasManaged,
    connectorManaged,
    defaultPolicy,
    ...(localCaGroup ? { localCaGroup } : {}),
  };
}

/** The group an account joins for MFA on activation, or null where MFA does not apply (R21). */
export function mfaGroupFor(org: OrganisationSnapshot): string | null {
  if (org.nasManaged) return null;
  return org.localCaGroup ?? CENTRAL_MFA_GROUP;
}

/** The policy a new account is added to, or null when the default is the national user policy (R14a). */
export function defaultPolicyFor(org: OrganisationSnapshot): string | null {
  return org.defaultPolicy === NATIONAL_USER_POLICY ? null : org.defaultPolicy;
}
