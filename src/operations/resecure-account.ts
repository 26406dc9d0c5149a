import type { AccountView } from '../domain/lifecycle-state';
import type { ActorRequest } from '../workflows/definitions';
import type { ChangeAnswers, Made } from './account-change-row';
import { withNewPassword } from './temporary-password';

/** R29: the new temporary password the resecure issued, shown once, beside the account. */
export async function resecuredAnswer(
  view: AccountView,
  { deps, target }: Made<ActorRequest>,
): Promise<ChangeAnswers['resecured']> {
  const { temporaryPassword, ...account } = await withNewPassword(deps, target, view);
  return { temporaryPassword, account };
}
