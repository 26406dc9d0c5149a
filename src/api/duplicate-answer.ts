import type { ExistingAccount, ReservationResult } from '../adapters/directory';
import { administers, type Principal } from './principals';
import { ApiError } from './problem';

type Duplicate = Exclude<ReservationResult, { kind: 'reserved' }>;

const JOINER_ROUTE =
  'If the person moved from another organisation, use the leavers and joiners route instead of creating an account';

/**
 * R12 without R1 leaking: the 409 a create gets when the directory holds the person already. Accounts
 * the caller administers are named; of others the caller learns only that they exist and how to
 * proceed, never their id, name or organisation (create must not be a lookup across organisations).
 */
export function duplicateProblem(duplicate: Duplicate, principal: Principal): ApiError {
  const visible = (account: ExistingAccount) => administers(principal, account.organisationCode);
  if (duplicate.kind === 'duplicate') {
    if (visible(duplicate.existing)) {
      return new ApiError(
        409,
        'Duplicate account',
        `An account with this mobile number already exists. ${JOINER_ROUTE} (R12).`,
        undefined,
        { existing: duplicate.existing },
      );
    }
    return new ApiError(
      409,
      'Duplicate account',
      'An account with this mobile number already exists in an organisation you do not administer, so it is ' +
        `not shown. ${JOINER_ROUTE}: its organisation marks the person as a leaver and you accept them as a ` +
        'joiner; a national administrator can find the account (R12).',
      undefined,
      { existingInAnotherOrganisation: true },
    );
  }
  const candidates = duplicate.candidates.filter(visible);
  const others = duplicate.candidates.length - candidates.length;
  return new ApiError(
    409,
    'Possible duplicate account',
    'Accounts with the same first and last name exist' +
      (others > 0
        ? `; ${others} of them in organisations you do not administer, which are not listed (a national ` +
          'administrator can see them)'
        : '') +
      '. If the person is none of them, send the request again with "confirmNotDuplicate": true; if they are, ' +
      'use the leavers and joiners route (R12).',
    undefined,
    { candidates, otherCandidates: others },
  );
}
