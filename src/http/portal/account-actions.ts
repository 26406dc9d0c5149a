import type { Principal } from '../../access/principals';
import { worded, type AnyAccountChange } from '../../operations/account-change-row';
import type { PolicyInWords } from '../../domain/policy-in-words';
import { CHANGE_ROWS, type ChangeName } from '../../operations/account-changes';
import type { AccountView } from '../../domain/lifecycle-state';

export interface ActionButton {
  path: string;
  text: string;
  explanation: string;
  warning?: boolean;
}

/**
 * Where the Account page posts a change: the API's path under the account; a change the API answers on
 * DELETE is posted to that path's `/delete`, as a form cannot send DELETE.
 */
export function portalPathOf(change: AnyAccountChange): string {
  const path = change.http.path.replace(/^\//, '');
  return change.http.method === 'delete' ? `${path}/delete` : path;
}

/** Each change's path on the Account page, by name, for the page's own forms. */
export const ACTION_PATHS = Object.fromEntries(
  CHANGE_ROWS.filter(([, c]) => c.portal).map(([name, c]) => [name, portalPathOf(c)]),
) as Partial<Record<ChangeName, string>>;

/**
 * Which of the changes the Account page offers for the account's status: the buttons of the change table's
 * rows that offer themselves, and the page's own forms. The lifecycle still decides (its refusals are shown
 * in its words); this only leaves out what cannot apply.
 */
export function accountActions(view: AccountView, principal: Principal, durations: PolicyInWords) {
  const buttons: ActionButton[] = CHANGE_ROWS.flatMap(([, change]) => {
    const button = change.portal?.button;
    if (!button?.offered(view, principal)) return [];
    const { text, explanation, warning } = button;
    return [
      {
        path: portalPathOf(change),
        text,
        explanation: worded(explanation, durations),
        ...(warning ? { warning } : {}),
      },
    ];
  });
  const s = view.status;
  const living = s !== 'Deleted';
  return {
    edit: living && s !== 'ProvisioningFailed',
    phones: living,
    mfaException: view.mfa.applies && s === 'Active',
    endMfaException: view.mfa.exception !== null,
    buttons,
    any: buttons.length > 0,
    paths: ACTION_PATHS,
  };
}
