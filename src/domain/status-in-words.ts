import { PREREQUISITES, type GateName } from './identity-events';
import { inWords } from './durations';
import { policyInWords } from './policy-in-words';
import type { AccountView } from './lifecycle-state';
import type { LifecyclePolicy } from './policy';

/** Each first-login step (R18) as an administrator tells a user. */
export const GATE_IN_WORDS: Record<GateName, string> = {
  PasswordChanged: 'change their temporary password',
  AupAccepted: 'accept the Acceptable Use Policy',
  SecretSet: 'set their account secret',
  MfaRegistered: 'register for multi-factor authentication (MFA)',
  ProfileUpdated: 'update their profile',
};

/** The account's status in plain words: what it waits for now and when that is due. */
export interface StatusInWords {
  /** The status, as the tag shows it. */
  status: AccountView['status'];
  /** One sentence each: what the account waits for now, then what follows and when. */
  lines: string[];
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * What the lifecycle waits for now, from the view's deadlines, gates, sync, leaver window and MFA
 * exception: the one wording of an account's state for people. `at` writes a time (an ISO string) for
 * the reader.
 */
export function statusInWords(
  view: AccountView,
  policy: LifecyclePolicy,
  at: (iso: string) => string = (iso) => iso,
): StatusInWords {
  const d = view.deadlines;
  const lines: string[] = [];
  switch (view.status) {
    case 'Pending': {
      const p = view.provisioning;
      if (!p.requestedAt) {
        lines.push('Waiting for the mailbox to be requested from the mail platform.');
      } else if (view.provisioningOverdue) {
        lines.push(
          `The mailbox is overdue: requested at ${at(p.requestedAt)}, it is not ready after ` +
            `${inWords(policy.provisioningOverdueAfterMs)}, and an incident has been raised (R16).`,
        );
      } else {
        lines.push(
          `Waiting for the mailbox to be created in Exchange Online: requested at ${at(p.requestedAt)}; ` +
            `mailboxes take ${policyInWords(policy).pendingWait} (R15).`,
        );
      }
      if (d['mailbox-poll']) lines.push(`Next check of the mailbox: ${at(d['mailbox-poll'])}.`);
      if (d['provisioning-overdue'])
        lines.push(`Overdue, with an incident, at ${at(d['provisioning-overdue'])}.`);
      if (d['provisioning-fails']) {
        lines.push(
          `Provisioning fails at ${at(d['provisioning-fails'])} if the mailbox is still not ready (R16).`,
        );
      }
      lines.push('Details can be edited once the account is Active; notes can be changed now (R17).');
      break;
    }
    case 'ProvisioningFailed':
      lines.push(
        `Provisioning failed at ${at(view.provisioning.failedAt ?? view.createdAt)}: the mailbox was not ready ` +
          `after ${inWords(policy.provisioningFailAfterMs)}, and the partial account was removed. Retry ` +
          'provisioning to try again (R16).',
      );
      break;
    case 'Active':
    case 'Leaver':
      lines.push(...livingAccount(view, policy, at));
      break;
    case 'Inactive':
      lines.push(
        `Inactive since ${at(view.inactiveSince ?? view.createdAt)}: no sign-in for ${inWords(policy.inactiveAfterMs)} (R30).`,
      );
      if (d['inactive-deleted']) {
        lines.push(
          `It is deleted at ${at(d['inactive-deleted'])} unless the user signs in or an administrator reactivates it.`,
        );
      }
      break;
    case 'Disabled':
      lines.push(
        'Disabled: the user registered a non-UK phone number. Set a UK mobile number to re-enable the account (R7).',
      );
      break;
    case 'Deleted': {
      const deletion = view.deletion;
      if (deletion?.closedAt) {
        lines.push(
          `Deleted at ${at(deletion.deletedAt)} and closed for good at ${at(deletion.closedAt)}: nothing can change ` +
            'it, and its address is never given to another account (R32, R11).',
        );
      } else if (deletion) {
        lines.push(`Deleted at ${at(deletion.deletedAt)}: ${deletion.reason}`);
        lines.push(`A national administrator can restore it until ${at(deletion.restorableUntil)} (R32).`);
      }
      break;
    }
  }
  if (view.leaverDue) {
    lines.push(
      view.leaverDue.on
        ? `To be marked as a leaver on ${at(view.leaverDue.on)} (a future-dated leaver, R28).`
        : 'To be marked as a leaver as soon as the account is Active (R28, R33).',
    );
  }
  if (view.heldEdit) {
    lines.push(
      `An edit by ${view.heldEdit.by.name} waits for the account to be Active: ` +
        `${Object.keys(view.heldEdit.changes).join(', ')} (R17, R33).`,
    );
  }
  return { status: view.status, lines };
}

/** An Active account, or a leaver, who keeps using mail: first login, sync, MFA exception, leaver window. */
function livingAccount(view: AccountView, policy: LifecyclePolicy, at: (iso: string) => string): string[] {
  const d = view.deadlines;
  const lines: string[] = [];
  if (view.status === 'Leaver' && view.leaver) {
    lines.push(
      `Marked as a leaver by ${view.leaver.organisation.name} at ${at(view.leaver.markedAt)}: the user keeps ` +
        `using mail, and another organisation can accept them as a joiner until ${at(view.leaver.windowEndsAt)}; ` +
        'if none does, the account is deleted then (R28).',
    );
  }
  if (view.resecure) {
    lines.push(
      `Resecured at ${at(view.resecure.requestedAt)}: the user must change the temporary password, accept the ` +
        'Acceptable Use Policy and set their account secret again (R29)' +
        (d['resecure-overdue'] ? `; flagged at ${at(d['resecure-overdue'])} if not done.` : '.'),
    );
  }
  const pending = view.pendingGates;
  if (pending.length > 0) {
    const next = pending.find((g) => PREREQUISITES[g].every((p) => view.gates[p].passed)) ?? pending[0]!;
    lines.push(
      `Waiting for the user's first login: next, to ${GATE_IN_WORDS[next]}` +
        (pending.length > 1
          ? `; still to do after that: ${list(pending.filter((g) => g !== next).map((g) => GATE_IN_WORDS[g]))}`
          : '') +
        ' (R18).',
    );
    if (!view.profile.mobile) {
      lines.push(
        'The account holds no UK mobile number: the user cannot complete registration until it does (R8).',
      );
    }
  }
  if (view.sync.status === 'Waiting') {
    lines.push(
      view.syncOverdue
        ? `The platform sync is overdue (over ${inWords(policy.syncOverdueAfterMs)} after the AUP); an incident has been raised (R20).`
        : `Waiting for the platform sync after the Acceptable Use Policy (started ${at(view.sync.startedAt!)})` +
            (d['sync-overdue'] ? `; overdue at ${at(d['sync-overdue'])} (R20).` : ' (R20).'),
    );
  }
  if (view.canSendEmail) lines.push('Ready: the user can send email and use Teams (R19).');
  else if (pending.length === 0 && view.sync.status === 'NotStarted')
    lines.push('The user cannot send email until the platform sync is complete (R19).');
  const exception = view.mfa.exception;
  if (exception) {
    lines.push(
      `MFA exception (${exception.term === 'short' ? 'short' : 'long'} term, risk assessment ` +
        `${exception.riskAssessmentRef}) until ${at(exception.endsAt)}; then the account rejoins ` +
        `${exception.groupLeft} and MFA prompts return (R24).`,
    );
  }
  if (d.inactive) lines.push(`Becomes Inactive at ${at(d.inactive)} if the user does not sign in (R30).`);
  return lines;
}
