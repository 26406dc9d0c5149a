import type { Principals } from '../api/principals';
import type { Logger } from '../logger';
import type { AccountDeps } from '../operations/account-access';
import type { PortalOptions } from './portal-options';

/** The portal's needs: the account operations' own, the principals (R1), the logger and its options. */
export interface PortalDeps extends AccountDeps {
  principals: Principals;
  logger: Logger;
  portal: PortalOptions;
}
