import type { Principal, Principals } from '../access/principals';
import { ADMINS, administers } from '../access/rights';
import type { BulkUpload } from '../ports/bulk-uploads';

/**
 * Security 14: the uploader as the principals file has them now, with the rights they have now; or why
 * they may no longer create this upload's accounts.
 */
export function currentUploader(
  principals: Pick<Principals, 'byId'>,
  upload: BulkUpload,
): Principal | string {
  const { id, name } = upload.uploadedBy;
  const principal = principals.byId(id);
  if (!principal || !(ADMINS as readonly string[]).includes(principal.kind)) {
    return `${name}, who uploaded the file, is no longer an administrator of this service (R1): the upload stopped before this line`;
  }
  if (!administers(principal, upload.organisation)) {
    return `${name}, who uploaded the file, no longer administers ${upload.organisation} (R1): the upload stopped before this line`;
  }
  return principal;
}
