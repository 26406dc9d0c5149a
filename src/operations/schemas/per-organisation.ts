import type { Organisation } from '../../domain/organisation';
import { referenceData } from '../../reference/reference-data';

type OwnField = 'emailAlias' | 'organisationalUnit' | 'site';

/** A pattern matching the text in any case, as the API compares email domains: `[nN][hH][sS]\.[nN]...`. */
const caseless = (text: string) =>
  [...text]
    .map((c) =>
      c.toLowerCase() !== c.toUpperCase()
        ? `[${c.toLowerCase()}${c.toUpperCase()}]`
        : c.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'),
    )
    .join('');

/** The JSON Schema of a field's values in an organisation: its domains, units or sites; `false` for none. */
function ownValues(org: Organisation, field: OwnField): object | false {
  if (field === 'emailAlias') return { pattern: `^(?:${org.emailDomains.map(caseless).join('|')})$` };
  const codes = field === 'site' ? org.sites.map((s) => s.code) : [...referenceData.unitCodes(org)];
  return codes.length > 0 ? { enum: codes } : false;
}

/**
 * R9 as the document states it: once a body names its organisation, its email alias is one of that
 * organisation's domains and its unit and site are its own (an `if`/`then` per organisation of the register,
 * static configuration). The API checks the same (requests.ts), naming the field.
 */
export const perOrganisation = (fields: OwnField[]) => ({
  allOf: referenceData.organisations.map((org) => ({
    if: { properties: { organisation: { const: org.code } }, required: ['organisation'] },
    then: { properties: Object.fromEntries(fields.map((field) => [field, ownValues(org, field)])) },
  })),
});
