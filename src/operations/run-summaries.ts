import type { NewAccount } from '../domain/account';

/** Markdown's special characters in a name, escaped, so Temporal Web shows the name as it is. */
const plain = (text: string) => text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);

/**
 * What Temporal Web shows of an account's lifecycle (its Summary and Details), in domain words: the
 * address, the organisation, what the run is. Never a phone number, a password or any other profile field.
 */
export function lifecycleRunSummary(account: NewAccount): { staticSummary: string; staticDetails: string } {
  const org = account.organisation;
  return {
    staticSummary: `NHSmail account ${account.id} of ${plain(org.name)} (${org.code})`,
    staticDetails: [
      `The lifecycle of the NHSmail account **${account.id}**, from its creation to its deletion: one run`,
      'per account, waiting for its mailbox, its first login, the platform sync, MFA exceptions, the leaver window',
      'and inactivity.',
      '',
      `- Organisation: ${plain(org.name)} (${org.code})`,
      `- Created by: ${plain(account.createdBy.name)}`,
      ...(account.bulkUploadId ? [`- From bulk upload: ${account.bulkUploadId}`] : []),
      '',
      "The account's status and what it waits for now are this run's current details.",
    ].join('\n'),
  };
}

/** What Temporal Web shows of a bulk upload's run. */
export function bulkRunSummary(upload: {
  uploadId: string;
  organisation: { code: string; name: string };
  rows: number;
  uploadedBy: string;
}): { staticSummary: string; staticDetails: string } {
  const { uploadId, organisation, rows, uploadedBy } = upload;
  return {
    staticSummary: `Bulk upload ${uploadId}: ${rows} lines for ${plain(organisation.name)} (${organisation.code})`,
    staticDetails: [
      `A CSV file of **${rows} lines** uploaded by ${plain(uploadedBy)} to create accounts of ${plain(organisation.name)}`,
      `(${organisation.code}): each valid line becomes an account with its own lifecycle; the results file says`,
      'what became of each line.',
    ].join('\n'),
  };
}
