import type { AccountView } from '../../domain/lifecycle-state';
import type { Principal } from '../../access/principals';

export interface ActionButton {
  path: string;
  text: string;
  explanation: string;
  warning?: boolean;
}

/**
 * Which of the API's actions the Account page offers for the account's status. The lifecycle still
 * decides (its refusals are shown in its words); this only leaves out the buttons that cannot apply.
 */
export function accountActions(view: AccountView, principal: Principal) {
  const s = view.status;
  const buttons: ActionButton[] = [];
  if (s === 'Active' || s === 'Leaver' || s === 'Disabled') {
    buttons.push({
      path: 'resecure',
      text: 'Resecure account',
      explanation:
        'For a user who is locked out or compromised: a new temporary password (shown once), the Acceptable Use ' +
        'Policy and account secret reset, and every session signed out (R29).',
      warning: true,
    });
  }
  if (s === 'Active') {
    buttons.push({
      path: 'leaver',
      text: 'Mark as leaver',
      explanation:
        'The user keeps using mail for 30 days while another organisation can accept them as a joiner; then the ' +
        'account is deleted (R28).',
    });
  }
  if (s === 'Leaver') {
    buttons.push({
      path: 'leaver/withdraw',
      text: 'Withdraw leaver mark',
      explanation: 'The account is Active again (R28).',
    });
  }
  if (s === 'ProvisioningFailed') {
    buttons.push({
      path: 'retry',
      text: 'Retry provisioning',
      explanation: 'Requests the mailbox again, with a new temporary password shown once (R16).',
    });
  }
  if (s === 'Inactive') {
    buttons.push({
      path: 'reactivate',
      text: 'Reactivate account',
      explanation: 'The account is Active again, and its 30-day clock restarts (R30).',
    });
  }
  if (s === 'Deleted' && !view.deletion?.closedAt && principal.kind === 'national-admin') {
    buttons.push({
      path: 'restore',
      text: 'Restore account',
      explanation: 'Back to its status before deletion, with the same address and history (R32).',
    });
  }
  const living = s !== 'Deleted';
  return {
    edit: living && s !== 'ProvisioningFailed',
    phones: living,
    mfaException: view.mfa.applies && s === 'Active',
    endMfaException: view.mfa.exception !== null,
    buttons,
    any: buttons.length > 0,
  };
}
