import type { ExistingAccount, ReservationResult } from '../ports/directory';
import type { Principal } from '../access/principals';
import { administers } from '../access/rights';
import { conflict, type OperationError } from './errors';

type Duplicate = Exclude<ReservationResult, { kind: 'reserved' }>;

const routesOf = (id: string) => {
  const path = `/v1/accounts/${encodeURIComponent(id)}`;
  return { leaver: `POST ${path}/leaver`, joiner: `POST ${path}/joiner` };
};

/**
 * R12 without R1 leaking: the conflict a create meets when the directory holds the person already. Accounts
 * the caller administers are named; so are leavers (R28: any administrator may find and accept them, as
 * GET /v1/leavers does); of others the caller learns only that they exist and how to proceed, never their
 * id, name or organisation (create must not be a lookup across organisations).
 */
export function duplicateConflict(duplicate: Duplicate, principal: Principal): OperationError {
  const visible = (account: ExistingAccount) =>
    administers(principal, account.organisationCode) || account.status === 'Leaver';
  if (duplicate.kind === 'external-id-taken') {
    // Only the feeds and administrators of the organisation reach this: the key is the organisation's own.
    const { existing } = duplicate;
    return conflict(
      'duplicate-external-id',
      'Duplicate externalId',
      `The organisation already has an account with this externalId, ${existing.id}: nothing was created ` +
        '(a repeated create never makes a second account, R33).',
      { extra: { existing: { id: existing.id } }, rule: 'R33' },
    );
  }
  if (duplicate.kind === 'duplicate') {
    const { existing } = duplicate;
    if (existing.status === 'Leaver') {
      return conflict(
        'duplicate',
        'Duplicate account',
        'An account with this mobile number already exists and is a leaver: accept it into your organisation ' +
          `as a joiner with ${routesOf(existing.id).joiner} instead of creating an account (R12, R28).`,
        { extra: { existing } },
      );
    }
    if (visible(existing)) {
      const routes = routesOf(existing.id);
      return conflict(
        'duplicate',
        'Duplicate account',
        'An account with this mobile number already exists. If the person moved from another organisation, ' +
          `their organisation marks it as a leaver (${routes.leaver}) and yours accepts it as a joiner ` +
          `(${routes.joiner}), instead of creating an account (R12, R28).`,
        { extra: { existing } },
      );
    }
    return conflict(
      'duplicate',
      'Duplicate account',
      'An account with this mobile number already exists in an organisation you do not administer, so it is ' +
        'not shown. Its organisation marks the person as a leaver, and you then find them with GET /v1/leavers ' +
        'and accept them as a joiner; a national administrator can find the account (R12, R28).',
      { extra: { existingInAnotherOrganisation: true } },
    );
  }
  const candidates = duplicate.candidates.filter(visible);
  const others = duplicate.candidates.length - candidates.length;
  return conflict(
    'possible-duplicate',
    'Possible duplicate account',
    'Accounts with the same first and last name exist' +
      (others > 0
        ? `; ${others} of them in organisations you do not administer, which are not listed (a national ` +
          'administrator can see them)'
        : '') +
      '. If the person is none of them, send the request again with "confirmNotDuplicate": true; if they are, ' +
      'accept them as a joiner once their organisation has marked them as a leaver (GET /v1/leavers finds ' +
      'them) (R12, R28).',
    { extra: { candidates, otherCandidates: others } },
  );
}
