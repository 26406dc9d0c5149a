import { parse, type Filter } from 'scim2-parse-filter';
import type { FeedAttribute, FeedFilter } from '../../ports/directory';
import { ScimError } from './scim-error';

/** The attributes a feed filters by (R33), by their SCIM paths, lower case (attribute names are case-insensitive). */
const ATTRIBUTES: Record<string, FeedAttribute> = {
  username: 'email',
  emails: 'email',
  'emails.value': 'email',
  externalid: 'externalId',
  'name.givenname': 'firstName',
  'name.familyname': 'lastName',
  active: 'active',
  'meta.lastmodified': 'lastModified',
};

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:user:';
const MAX_FILTER = 2000;

const invalid = (detail: string) => new ScimError(400, detail, 'invalidFilter');

function attributeOf(path: string): FeedAttribute {
  const lower = path.toLowerCase();
  const name = lower.startsWith(USER_SCHEMA) ? lower.slice(USER_SCHEMA.length) : lower;
  const attribute = ATTRIBUTES[name];
  if (!attribute) {
    throw invalid(
      `Filtering by "${path}" is not supported: filter by userName, externalId, emails.value, name.givenName, ` +
        'name.familyName, active or meta.lastModified (R33).',
    );
  }
  return attribute;
}

function valueOf(attribute: FeedAttribute, value: unknown): string | boolean {
  if (attribute === 'active') {
    if (typeof value !== 'boolean') throw invalid('active is compared with true or false.');
    return value;
  }
  if (typeof value !== 'string') throw invalid(`${attribute} is compared with a string.`);
  if (attribute === 'lastModified') {
    const time = Date.parse(value);
    if (Number.isNaN(time))
      throw invalid('meta.lastModified is compared with a date and time, such as 2027-01-31T00:00:00Z.');
    return new Date(time).toISOString();
  }
  return value;
}

function convert(filter: Filter, within?: string): FeedFilter {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { op: filter.op, filters: filter.filters.map((f) => convert(f, within)) };
    case 'not':
      return { op: 'not', filter: convert(filter.filter, within) };
    case '[]':
      // emails[value eq "..."]: the value of the multi-valued attribute, the only one this engine has.
      return convert(filter.valFilter, filter.attrPath);
    case 'pr': {
      const path = within ? `${within}.${filter.attrPath}` : filter.attrPath;
      return { op: 'pr', attribute: attributeOf(path) };
    }
    default: {
      const path = within ? `${within}.${filter.attrPath}` : filter.attrPath;
      const attribute = attributeOf(path);
      return { op: filter.op, attribute, value: valueOf(attribute, filter.compValue) };
    }
  }
}

/** R33: a SCIM filter (RFC 7644 3.4.2.2) as the directory evaluates it; 400 invalidFilter naming the fault. */
export function feedFilterOf(text: string | undefined): FeedFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (text.length > MAX_FILTER) throw invalid(`The filter must be at most ${MAX_FILTER} characters.`);
  let parsed: Filter;
  try {
    parsed = parse(text);
  } catch (err) {
    throw invalid(`The filter is not valid SCIM filter syntax: ${(err as Error).message}`);
  }
  return convert(parsed);
}
