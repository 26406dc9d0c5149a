import { BULK_COLUMNS } from '../../src/bulk/bulk-file';

export interface BulkPerson {
  firstName: string;
  lastName: string;
  /** A valid UK mobile of the range libphonenumber keeps for examples, 07400 2xxxxx, one per person. */
  mobile: string;
}

const FIRST_NAMES = ['Aoife', 'Bola', 'Ciaran', 'Deepa', 'Efua', 'Fergus', 'Grace', 'Hamza', 'Isla', 'Jun'];

/** The upload's people: each a name and a mobile of their own. */
export function bulkPeople(count: number): BulkPerson[] {
  return Array.from({ length: count }, (_, index) => ({
    firstName: FIRST_NAMES[index % FIRST_NAMES.length]!,
    lastName: `Bulkchaos${String(index).padStart(5, '0')}`,
    mobile: `074002${String(index).padStart(5, '0')}`,
  }));
}

/** The CSV file of an upload of these people to RJ1, each line with its ExternalSyncID. */
export function bulkFile(people: BulkPerson[]): string {
  const lines = [BULK_COLUMNS.join(',')];
  for (const [i, p] of people.entries()) {
    const row: Record<string, string> = {
      Title: 'Dr',
      FirstName: p.firstName,
      LastName: p.lastName,
      Mobile: p.mobile,
      JobTitle: 'Staff Nurse',
      EmailAlias: 'nhs.net',
      Organisation: 'RJ1',
      OrganisationalUnit: 'RJ1-CARD-CCU',
      Site: 'RJ121',
      ClinicalRoles: 'R8001',
      ExternalSyncID: `CHAOS-${i}`,
    };
    lines.push(BULK_COLUMNS.map((c) => row[c] ?? '').join(','));
  }
  return lines.join('\n');
}
