import type { Organisation, OrganisationalUnit } from '../domain/organisation';
import organisations from './data/organisations.json';
import roles from './data/roles.json';
import specialities from './data/specialities.json';
import workAreas from './data/work-areas.json';

export interface CodedItem {
  code: string;
  name: string;
}

/**
 * The organisation register and the clinical lists behind the admin UI's drop-downs (R9, R10).
 * Organisation codes are ODS codes; specialities are NHS main specialty codes; roles are SDS job role
 * codes; work areas are local codes, as no national list exists.
 */
export class ReferenceData {
  private readonly byCode: Map<string, Organisation>;

  constructor(
    readonly organisations: Organisation[],
    readonly specialities: CodedItem[],
    readonly roles: CodedItem[],
    readonly workAreas: CodedItem[],
  ) {
    this.byCode = new Map(organisations.map((o) => [o.code, o]));
  }

  organisation(code: string): Organisation | undefined {
    return this.byCode.get(code);
  }

  /** Every unit code of the organisation's tree, at any depth. */
  unitCodes(org: Organisation): Set<string> {
    const codes = new Set<string>();
    const walk = (units: OrganisationalUnit[]) =>
      units.forEach((u) => {
        codes.add(u.code);
        walk(u.children ?? []);
      });
    walk(org.units);
    return codes;
  }
}

export const referenceData = new ReferenceData(
  organisations as Organisation[],
  specialities,
  roles,
  workAreas,
);
