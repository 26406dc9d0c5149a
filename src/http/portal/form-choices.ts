import { ACCOUNT_STATUSES } from '../../domain/account';
import type { Organisation } from '../../domain/organisation';
import type { Principal } from '../../access/principals';
import { organisationsFor } from '../../operations/organisations-for';
import { referenceData } from '../../reference/reference-data';

type Item = { value: string; text: string };

const withPrompt = (prompt: string, items: Item[]) => [{ value: '', text: prompt }, ...items];

/** A choice the caller must make: prompted among several; the only one, chosen already. */
const choice = (prompt: string, items: Item[]) => (items.length === 1 ? items : withPrompt(prompt, items));

/** The lists a form offers the caller (R1, R9, R10): their own organisations, their units and sites. */
export function formChoices(principal: Principal) {
  const organisations: Organisation[] = organisationsFor(principal);
  const domains = [...new Set(organisations.flatMap((o) => o.emailDomains))];
  return {
    organisations: choice(
      'Select an organisation',
      organisations.map((o) => ({ value: o.code, text: `${o.name} (${o.code})` })),
    ),
    organisationTrees: organisations,
    emailAliases: choice(
      'Select an email alias',
      domains.map((d) => ({ value: d, text: d })),
    ),
    specialities: referenceData.specialities,
    roles: referenceData.roles,
    workAreas: referenceData.workAreas,
    organisationFilter: withPrompt(
      'All your organisations',
      organisations.map((o) => ({ value: o.code, text: o.name })),
    ),
    roleFilter: withPrompt(
      'Any role',
      referenceData.roles.map((r) => ({ value: r.code, text: r.name })),
    ),
    statusFilter: withPrompt(
      'Any status',
      ACCOUNT_STATUSES.map((s) => ({ value: s, text: s })),
    ),
  };
}
