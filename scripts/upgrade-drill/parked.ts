import { TOKENS, type DrillApi } from './api';

/**
 * The accounts parked on the old build, one in each state an account sleeps in, and how each is woken
 * after the upgrade (by its own timer, or by a change), with what it must then show.
 */
export interface ParkedCase {
  name: string;
  /** The API it is created through: `short` has the short inactivity and leaver windows. */
  api: 'standard' | 'short';
  /** Creates the account and brings it to the state it is parked in; returns its id. */
  park(api: DrillApi, person: DrillPerson): Promise<string>;
  /** The state it must be parked in when the upgrade starts. */
  parkedAs: string;
  /** Wakes it on the new build and waits for what it must then be. */
  wake(api: DrillApi, id: string, person: DrillPerson): Promise<void>;
  wokenAs: string;
}

export interface DrillPerson {
  firstName: string;
  lastName: string;
  mobile: string;
}

export function drillPerson(n: number, label: string): DrillPerson {
  return { firstName: 'Drill', lastName: label, mobile: `0740020${String(n).padStart(4, '0')}` };
}

const path = (id: string, rest = '') => `/v1/accounts/${encodeURIComponent(id)}${rest}`;

async function create(api: DrillApi, p: DrillPerson): Promise<string> {
  const { body } = await api.call('POST', '/v1/accounts', TOKENS.gstt, {
    title: 'Dr',
    firstName: p.firstName,
    lastName: p.lastName,
    mobile: p.mobile,
    emailAlias: 'nhs.net',
    organisation: 'RJ1',
    organisationalUnit: 'RJ1-CARD-CCU',
    site: 'RJ121',
  });
  return body.id;
}

async function firstLogin(api: DrillApi, id: string, p: DrillPerson, phone = p.mobile): Promise<void> {
  for (const event of [
    { type: 'PasswordChanged' },
    { type: 'AupAccepted' },
    { type: 'SecretSet' },
    { type: 'MfaRegistered', method: 'sms', phoneNumber: phone },
    ...(phone === p.mobile ? [{ type: 'ProfileUpdated', mobile: p.mobile }] : []),
  ])
    await api.call('POST', path(id, '/events'), TOKENS.identity, event);
}

async function onboarded(api: DrillApi, p: DrillPerson): Promise<string> {
  const id = await create(api, p);
  await api.until(id, 'Active', (v) => v.status === 'Active');
  await firstLogin(api, id, p);
  await api.until(id, 'able to send email', (v) => v.canSendEmail);
  return id;
}

export const PARKED_CASES: ParkedCase[] = [
  {
    name: 'provisioning failed',
    api: 'standard',
    parkedAs: 'ProvisioningFailed (no mailbox within the deadline, R16)',
    park: async (api, p) => {
      const id = await create(api, p);
      await api.until(id, 'ProvisioningFailed', (v) => v.status === 'ProvisioningFailed');
      return id;
    },
    wokenAs: 'retried: Active (R16)',
    wake: async (api, id) => {
      await api.call('POST', path(id, '/provisioning-retries'), TOKENS.gstt);
      await api.until(id, 'Active', (v) => v.status === 'Active');
    },
  },
  {
    name: 'pending',
    api: 'standard',
    parkedAs: 'Pending, its first mailbox poll after the upgrade (R15)',
    park: (api, p) => create(api, p),
    wokenAs: 'its poll timer: Active (R15)',
    wake: async (api, id) => void (await api.until(id, 'Active', (v) => v.status === 'Active')),
  },
  {
    name: 'first login pending',
    api: 'standard',
    parkedAs: 'Active, every first-login gate pending (R18)',
    park: async (api, p) => {
      const id = await create(api, p);
      await api.until(id, 'Active', (v) => v.status === 'Active');
      return id;
    },
    wokenAs: 'the five events: canSendEmail (R18-R20)',
    wake: async (api, id, p) => {
      await firstLogin(api, id, p);
      await api.until(id, 'able to send email', (v) => v.canSendEmail);
    },
  },
  {
    name: 'MFA exception',
    api: 'standard',
    parkedAs: 'Active, out of the MFA group on a short exception (R22)',
    park: async (api, p) => {
      const id = await onboarded(api, p);
      await api.call('POST', path(id, '/mfa-exceptions'), TOKENS.gstt, {
        term: 'short',
        riskAssessmentRef: 'RA-DRILL-1',
      });
      return id;
    },
    wokenAs: 'its timer: the exception ended, back in the group (R24)',
    wake: async (api, id) =>
      void (await api.until(id, 'back in the MFA group', (v) => v.mfa.inGroup && v.mfa.exception === null)),
  },
  {
    name: 'leaver',
    api: 'standard',
    parkedAs: 'Leaver, its window open (R28)',
    park: async (api, p) => {
      const id = await onboarded(api, p);
      await api.call('POST', path(id, '/leaver'), TOKENS.gstt);
      return id;
    },
    wokenAs: 'accepted as a joiner by UCLH: Active in RRV (R28)',
    wake: async (api, id) => {
      await api.call('POST', path(id, '/joiner'), TOKENS.uclh, { organisation: 'RRV' });
      await api.until(id, 'Active in RRV', (v) => v.status === 'Active' && v.organisation.code === 'RRV');
    },
  },
  {
    name: 'disabled',
    api: 'standard',
    parkedAs: 'Disabled: a non-UK number registered for MFA (R7)',
    park: async (api, p) => {
      const id = await create(api, p);
      await api.until(id, 'Active', (v) => v.status === 'Active');
      await firstLogin(api, id, p, '+33 6 12 34 56 78');
      await api.until(id, 'Disabled', (v) => v.status === 'Disabled');
      return id;
    },
    wokenAs: 'a UK mobile set by an administrator: Active again (R7)',
    wake: async (api, id, p) => {
      await api.call('PATCH', path(id), TOKENS.gstt, { mobile: p.mobile });
      await api.until(id, 'Active', (v) => v.status === 'Active');
    },
  },
  {
    name: 'inactive',
    api: 'short',
    parkedAs: 'Inactive: no sign-in within the inactivity period (R30)',
    park: async (api, p) => {
      const id = await onboarded(api, p);
      await api.until(id, 'Inactive', (v) => v.status === 'Inactive');
      return id;
    },
    wokenAs: 'reactivated by an administrator: Active (R30)',
    wake: async (api, id) => {
      await api.call('POST', path(id, '/reactivation'), TOKENS.gstt);
      await api.until(id, 'Active', (v) => v.status === 'Active');
    },
  },
  {
    name: 'deleted',
    api: 'short',
    parkedAs: 'Deleted, restorable: a leaver not accepted in its window (R28, R32)',
    park: async (api, p) => {
      const id = await onboarded(api, p);
      await api.call('POST', path(id, '/leaver'), TOKENS.gstt);
      await api.until(id, 'Deleted', (v) => v.status === 'Deleted');
      return id;
    },
    wokenAs: 'restored by a national administrator (R32)',
    wake: async (api, id) => {
      await api.call('POST', path(id, '/restoration'), TOKENS.national);
      await api.until(id, 'restored', (v) => v.status !== 'Deleted');
    },
  },
];
