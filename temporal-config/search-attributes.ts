import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes operators filter on in Temporal Web; registered on the dev server at start. */
export const AccountStatus = defineSearchAttributeKey('AccountStatus', SearchAttributeType.KEYWORD);
export const OrganisationCode = defineSearchAttributeKey('OrganisationCode', SearchAttributeType.KEYWORD);
export const AccountEmail = defineSearchAttributeKey('AccountEmail', SearchAttributeType.KEYWORD);
export const ProvisioningOverdue = defineSearchAttributeKey('ProvisioningOverdue', SearchAttributeType.BOOL);
export const SyncOverdue = defineSearchAttributeKey('SyncOverdue', SearchAttributeType.BOOL);
export const MfaExceptionEndsAt = defineSearchAttributeKey(
  'MfaExceptionEndsAt',
  SearchAttributeType.DATETIME,
);

/** R31: the bulk upload that created an account. */
export const BulkUploadId = defineSearchAttributeKey('BulkUploadId', SearchAttributeType.KEYWORD);

export const searchAttributes = [
  AccountStatus,
  OrganisationCode,
  AccountEmail,
  ProvisioningOverdue,
  SyncOverdue,
  MfaExceptionEndsAt,
  BulkUploadId,
];
