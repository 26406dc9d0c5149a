import type { ProfileChanges } from '../domain/account';
import type { EditAccountRequest } from '../workflows/definitions';
import type { AccountTarget } from './account-access';
import { invalid, type FieldError } from './errors';
import { checkUnitAndSite, type EditAccountBody } from './schemas/requests';

/**
 * R25, R4, R9: an edit's request: the unit and site, checked against the account's own organisation (which
 * the body's schema cannot know), every field at fault named at once. The lifecycle refuses an edit while
 * the account is provisioning (R17).
 */
export function editAccountRequest(
  body: EditAccountBody,
  target: AccountTarget,
): Omit<EditAccountRequest, 'actor'> {
  const errors: FieldError[] = [];
  checkUnitAndSite(target.organisation, body, {
    addIssue: (i) => errors.push({ path: i.path.join('.'), message: i.message }),
  });
  if (errors.length > 0) throw invalid(errors);
  const changes: ProfileChanges = body;
  return { changes };
}
