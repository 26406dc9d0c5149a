import { proxyActivities, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { LifecycleActivities } from '../../activities/lifecycle';

/** Each activity as an operator reads it in Temporal Web's history (its summary). */
const SUMMARIES: Record<keyof LifecycleActivities, string> = {
  createPlatformAccount: 'create the platform account with a temporary password; request the mailbox',
  mailboxStatus: 'mailbox poll',
  updatePlatformAccount: 'update the platform account',
  deletePlatformAccount: 'remove the platform account',
  restorePlatformAccount: 'restore the platform account',
  resetPassword: 'set a new temporary password',
  resetAupAndSecret: 'reset the AUP acceptance and the account secret',
  revokeSessions: 'sign out every session',
  removePolicy: "leave the organisation's default policy",
  lastSignIn: 'ask the platform for the last sign-in (R30)',
  notifyUser: 'notify the user',
  beginSync: 'begin the platform sync',
  syncStatus: 'sync poll',
  addToGroup: 'join the MFA group',
  removeFromGroup: 'leave the MFA group',
  assignPolicy: "join the organisation's default policy",
  disableAccount: 'disable the account',
  enableAccount: 'enable the account',
  publishDirectoryEntry: 'publish the directory entry',
  raiseIncident: 'raise an incident',
  updateIncident: 'update the incident',
};

const OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/** The lifecycle's activities, each with its summary. */
export const act = Object.fromEntries(
  Object.entries(SUMMARIES).map(([name, summary]) => [
    name,
    proxyActivities<LifecycleActivities>({ ...OPTIONS, summary })[name as keyof LifecycleActivities],
  ]),
) as ActivityInterfaceFor<LifecycleActivities>;
