import {
  EXCHANGE_ONLINE,
  type AccountStatus,
  type Actor,
  type AuditEntry,
  type DisabledReason,
  type MailboxLocation,
  type NewAccount,
  type Profile,
  type ProfileChanges,
} from './account';
import { DEADLINE_KINDS, deadlinesOf, type DeadlineKind } from './deadlines';
import { displayName } from './display-name';
import { inWords } from './durations';
import { GATES, type GateName } from './identity-events';
import type { OrganisationSnapshot } from './organisation';
import type { LifecyclePolicy } from './policy';

export type MfaExceptionTerm = 'short' | 'long';

export interface MfaException {
  term: MfaExceptionTerm;
  riskAssessmentRef: string;
  startedAt: string;
  endsAt: string;
  requestedBy: Actor;
  /** The group the account left, and rejoins when the exception ends (R24). */
  groupLeft: string;
}

/** R28: marked as a leaver by its organisation, waiting for another to accept it as a joiner. */
export interface LeaverMark {
  markedAt: string;
  windowEndsAt: string;
  markedBy: Actor;
  /** The organisation that marked it, which it leaves when accepted. */
  organisation: { code: string; name: string };
}

/**
 * R28: a leaver mark asked for ahead of time: it takes effect on `on` (a future-dated leaver), or, with no
 * date, as soon as the account is Active (a feed's mark while it is Pending, R33). Moved or withdrawn before.
 */
export interface LeaverDue {
  on: string | null;
  requestedAt: string;
  requestedBy: Actor;
}

/** R17, R33: a feed's edit of a Pending account, held and applied once the account is Active. */
export interface HeldEdit {
  changes: ProfileChanges;
  since: string;
  by: Actor;
}

/** R29: a resecure the user has not yet completed by passing the first three gates again. */
export interface Resecure {
  requestedAt: string;
  requestedBy: Actor;
  overdue: boolean;
  incidentId: string | null;
}

/** R32: a deleted account, restorable until the window ends. */
export interface Deletion {
  deletedAt: string;
  restorableUntil: string;
  reason: string;
  /** The status it returns to if restored. */
  statusBefore: AccountStatus;
  /** Set when the restore window has ended: the account is closed for good. */
  closedAt: string | null;
}

/**
 * An entry of an account's audit trail as its lifecycle holds it until the audit store has it (R2): its
 * place in the trail (`seq`, from 0) and the organisation the account was in when it was recorded. Runs
 * from before the audit store recorded neither: their whole trail is carried, its seq its position.
 */
export interface TrailEntry extends AuditEntry {
  seq?: number;
  organisation?: string;
}

/** Everything a lifecycle knows of its account; carried whole across continue-as-new. Times are ISO strings. */
export interface AccountState {
  id: string;
  email: string;
  displayName: string;
  organisation: OrganisationSnapshot;
  profile: Profile;
  notes: string;
  status: AccountStatus;
  disabledReason: DisabledReason | null;
  /** R7: what the number that disabled the account was taken to be, such as "a number of France". */
  disabledBecause?: string;
  mailboxLocation: MailboxLocation;
  createdAt: string;
  createdBy: Actor;
  activatedAt: string | null;
  provisioning: {
    attempt: number;
    requestedAt: string | null;
    polls: number;
    lastPolledAt: string | null;
    nextPollAt: string | null;
    overdue: boolean;
    incidentId: string | null;
    failedAt: string | null;
  };
  gates: Record<GateName, string | null>;
  sync: {
    status: 'NotStarted' | 'Waiting' | 'Complete';
    startedAt: string | null;
    completedAt: string | null;
    polls: number;
    nextPollAt: string | null;
    overdue: boolean;
    incidentId: string | null;
  };
  mfa: {
    applies: boolean;
    group: string | null;
    inGroup: boolean;
    exception: MfaException | null;
  };
  defaultPolicy: string | null;
  phonesHiddenInDirectory: boolean;
  /** R30: the last sign-in the lifecycle recorded (at most one a day is recorded). */
  lastSignInAt: string | null;
  /** R30: when the inactivity clock last started (activation, a recorded sign-in, a reactivation, a move). */
  activeSince: string | null;
  /** R30: when the account became Inactive. */
  inactiveSince: string | null;
  leaver: LeaverMark | null;
  resecure: Resecure | null;
  deletion: Deletion | null;
  /** R33: the feed's key of the person (absent in lifecycles started before feeds). */
  externalId?: string;
  /** R28: a mark to come (absent in lifecycles started before future-dated leavers). */
  leaverDue?: LeaverDue | null;
  /** R33: a feed's edit held while the account is Pending. */
  heldEdit?: HeldEdit | null;
}

export function initialState(account: NewAccount, now: Date): AccountState {
  return {
    id: account.id,
    email: account.email,
    displayName: displayName(account.profile.firstName, account.profile.lastName),
    organisation: account.organisation,
    profile: account.profile,
    notes: account.notes,
    status: 'Pending',
    disabledReason: null,
    mailboxLocation: null,
    createdAt: now.toISOString(),
    createdBy: account.createdBy,
    activatedAt: null,
    provisioning: freshProvisioning(1),
    gates: {
      PasswordChanged: null,
      AupAccepted: null,
      SecretSet: null,
      MfaRegistered: null,
      ProfileUpdated: null,
    },
    sync: {
      status: 'NotStarted',
      startedAt: null,
      completedAt: null,
      polls: 0,
      nextPollAt: null,
      overdue: false,
      incidentId: null,
    },
    mfa: { applies: !account.organisation.nasManaged, group: null, inGroup: false, exception: null },
    defaultPolicy: null,
    phonesHiddenInDirectory: false,
    lastSignInAt: null,
    activeSince: null,
    inactiveSince: null,
    leaver: null,
    resecure: null,
    deletion: null,
    ...(account.externalId === undefined ? {} : { externalId: account.externalId }),
    ...(account.leaving
      ? {
          leaverDue: {
            on: account.leaving.on,
            requestedAt: now.toISOString(),
            requestedBy: account.createdBy,
          },
        }
      : {}),
  };
}

/** Provisioning attempt `attempt`, before its mailbox is requested. */
export function freshProvisioning(attempt: number): AccountState['provisioning'] {
  return {
    attempt,
    requestedAt: null,
    polls: 0,
    lastPolledAt: null,
    nextPollAt: null,
    overdue: false,
    incidentId: null,
    failedAt: null,
  };
}

/** R16: past 24 hours without an active mailbox, and still waiting for it. */
export function provisioningOverdue(state: AccountState): boolean {
  return state.provisioning.overdue && state.status === 'Pending';
}

/** R20: past 2 hours after the AUP without the sync complete. */
export function syncOverdue(state: AccountState): boolean {
  return state.sync.overdue && state.sync.status !== 'Complete';
}

/** Statuses in which the account's mailbox exists and the account can be edited and used (R17, R25, R28, R30). */
const LIVING: AccountStatus[] = ['Active', 'Leaver', 'Inactive', 'Disabled'];

export function isEditable(state: AccountState): boolean {
  return LIVING.includes(state.status) && state.mailboxLocation === EXCHANGE_ONLINE;
}

/** R18, R21, R22: MFA registration is a gate only where MFA applies and no exception is running. */
export function gateApplies(state: AccountState, gate: GateName): boolean {
  if (gate !== 'MfaRegistered') return true;
  return state.mfa.applies && state.mfa.exception === null;
}

export function pendingGates(state: AccountState): GateName[] {
  return GATES.filter((g) => gateApplies(state, g) && state.gates[g] === null);
}

/**
 * R19: mail and Teams only once the account is Active (or a leaver, who keeps using mail, R28), every
 * applicable gate passed and the sync done.
 */
export function canUseMail(state: AccountState): boolean {
  return (
    (state.status === 'Active' || state.status === 'Leaver') &&
    pendingGates(state).length === 0 &&
    state.sync.status === 'Complete'
  );
}

export interface GateView {
  applies: boolean;
  passed: boolean;
  at: string | null;
}

/** The parts of the state after onboarding (R28-R32), shown as they are. */
type LaterLife = Pick<
  AccountState,
  'lastSignInAt' | 'activeSince' | 'inactiveSince' | 'leaver' | 'resecure' | 'deletion'
>;

/** What an administrator sees of an account (the `getAccount` query). */
export interface AccountView extends LaterLife {
  id: string;
  email: string;
  displayName: string;
  organisation: { code: string; name: string; connectorManaged: boolean; nasManaged: boolean };
  status: AccountStatus;
  disabledReason: DisabledReason | null;
  disabledBecause?: string;
  mailboxLocation: MailboxLocation;
  profile: Profile;
  notes: string;
  createdAt: string;
  createdBy: Actor;
  activatedAt: string | null;
  provisioning: AccountState['provisioning'];
  /** What the lifecycle waits for now, by when: the same deadlines its timers run to. */
  deadlines: Partial<Record<DeadlineKind, string>>;
  gates: Record<GateName, GateView>;
  pendingGates: GateName[];
  canSendEmail: boolean;
  canUseTeams: boolean;
  sync: AccountState['sync'];
  syncOverdue: boolean;
  provisioningOverdue: boolean;
  mfa: AccountState['mfa'] & { exceptionEndsAt: string | null };
  defaultPolicy: string | null;
  phonesHiddenInDirectory: boolean;
  /** R33: the feed's key of the person. */
  externalId: string | null;
  /** R28: a leaver mark to come: on its date, or as soon as the account is Active. */
  leaverDue: LeaverDue | null;
  /** R33: a feed's edit held until the account is Active. */
  heldEdit: HeldEdit | null;
  warnings: string[];
}

export function connectorWarning(org: OrganisationSnapshot): string[] {
  return org.connectorManaged
    ? [
        `${org.name} is connector managed: manual edits may be overwritten by the connector unless the ` +
          'connector is updated with the same information (R27).',
      ]
    : [];
}

export function viewOf(state: AccountState, policy: LifecyclePolicy): AccountView {
  const deadlines = deadlinesOf(state, policy);
  const pending = pendingGates(state);
  const mail = canUseMail(state);
  const warnings = [...connectorWarning(state.organisation)];
  if (!state.profile.mobile && pending.length > 0) {
    warnings.push(
      'The account holds no UK mobile number: the user cannot complete registration until one is set (R8).',
    );
  }
  if (provisioningOverdue(state)) {
    warnings.push(
      `Mailbox provisioning is overdue (over ${inWords(policy.provisioningOverdueAfterMs)}); an incident has ` +
        'been raised (R16).',
    );
  }
  if (syncOverdue(state)) {
    warnings.push(
      `The platform sync is overdue (over ${inWords(policy.syncOverdueAfterMs)} after the AUP); an incident ` +
        'has been raised (R20).',
    );
  }
  if (state.status === 'Disabled' && state.disabledReason === 'NonUkMobile') {
    const what = state.disabledBecause ?? 'a non-UK phone number';
    warnings.push(
      `Disabled: the user registered ${what}, not a UK number; set a UK mobile to re-enable (R7).`,
    );
  }
  if (state.resecure?.overdue) {
    warnings.push(
      `The user has not re-secured the account within ${inWords(policy.resecureWithinMs)} of the resecure; ` +
        'an incident has been raised (R29).',
    );
  }
  const { code, name, connectorManaged, nasManaged } = state.organisation;
  return {
    id: state.id,
    email: state.email,
    displayName: state.displayName,
    organisation: { code, name, connectorManaged, nasManaged },
    status: state.status,
    disabledReason: state.disabledReason,
    ...(state.disabledBecause ? { disabledBecause: state.disabledBecause } : {}),
    mailboxLocation: state.mailboxLocation,
    profile: state.profile,
    notes: state.notes,
    createdAt: state.createdAt,
    createdBy: state.createdBy,
    activatedAt: state.activatedAt,
    provisioning: state.provisioning,
    deadlines: Object.fromEntries(
      DEADLINE_KINDS.filter((k) => deadlines[k] !== undefined).map((k) => [
        k,
        new Date(deadlines[k]!).toISOString(),
      ]),
    ),
    gates: Object.fromEntries(
      GATES.map((g) => [
        g,
        { applies: gateApplies(state, g), passed: state.gates[g] !== null, at: state.gates[g] },
      ]),
    ) as Record<GateName, GateView>,
    pendingGates: pending,
    canSendEmail: mail,
    canUseTeams: mail,
    sync: state.sync,
    syncOverdue: syncOverdue(state),
    provisioningOverdue: provisioningOverdue(state),
    mfa: { ...state.mfa, exceptionEndsAt: state.mfa.exception?.endsAt ?? null },
    defaultPolicy: state.defaultPolicy,
    phonesHiddenInDirectory: state.phonesHiddenInDirectory,
    externalId: state.externalId ?? null,
    leaverDue: state.leaverDue ?? null,
    heldEdit: state.heldEdit ?? null,
    ...laterLife(state),
    warnings,
  };
}

function laterLife({
  lastSignInAt,
  activeSince,
  inactiveSince,
  leaver,
  resecure,
  deletion,
}: AccountState): LaterLife {
  return { lastSignInAt, activeSince, inactiveSince, leaver, resecure, deletion };
}
