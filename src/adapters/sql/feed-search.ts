import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { FeedAttribute, FeedFilter, FeedPage, FeedSearch } from '../../ports/directory';
import type { SqlDatabase } from './database';

type Text = RawBuilder<string | null>;

/** The column (or JSON field) of each attribute; the names compared without regard to case (RFC 7643's caseExact false). */
function columnOf(attribute: Exclude<FeedAttribute, 'active'>, dialect: SqlDatabase['dialect']): Text {
  const json = (field: string): Text =>
    dialect === 'sqlite'
      ? sql<string | null>`json_extract(e.data, ${sql.lit(`$.${field}`)})`
      : sql<string | null>`(e.data->>${sql.lit(field)})`;
  switch (attribute) {
    case 'email':
      return sql<string>`e.email`;
    case 'externalId':
      return sql<string | null>`e.external_id`;
    case 'firstName':
      return json('firstName');
    case 'lastName':
      return json('lastName');
    case 'lastModified':
      return sql<string | null>`e.last_modified`;
  }
}

const CASE_EXACT = new Set<FeedAttribute>(['externalId', 'lastModified']);

/** A LIKE pattern matching `value` literally, `\` escaping the wildcards. */
const literal = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function condition(filter: FeedFilter, dialect: SqlDatabase['dialect']): RawBuilder<SqlBool> {
  switch (filter.op) {
    case 'and':
    case 'or': {
      const parts = filter.filters.map((f) => condition(f, dialect));
      return sql<SqlBool>`(${sql.join(parts, sql.raw(filter.op === 'and' ? ' AND ' : ' OR '))})`;
    }
    case 'not':
      return sql<SqlBool>`(NOT ${condition(filter.filter, dialect)})`;
    default:
  }
  if (filter.attribute === 'active') return activeCondition(filter);
  const column = columnOf(filter.attribute, dialect);
  if (filter.op === 'pr') return sql<SqlBool>`(${column} IS NOT NULL AND ${column} <> '')`;
  const exact = CASE_EXACT.has(filter.attribute);
  const value = String(filter.value);
  const left = exact ? column : sql`lower(${column})`;
  const right = exact ? value : value.toLowerCase();
  const like = (pattern: string) => sql<SqlBool>`(${left} LIKE ${pattern} ESCAPE '\\')`;
  switch (filter.op) {
    case 'eq':
      return sql<SqlBool>`(${left} = ${right})`;
    case 'ne':
      return sql<SqlBool>`(${column} IS NULL OR ${left} <> ${right})`;
    case 'co':
      return like(`%${literal(right)}%`);
    case 'sw':
      return like(`${literal(right)}%`);
    case 'ew':
      return like(`%${literal(right)}`);
    case 'gt':
      return sql<SqlBool>`(${left} > ${right})`;
    case 'ge':
      return sql<SqlBool>`(${left} >= ${right})`;
    case 'lt':
      return sql<SqlBool>`(${left} < ${right})`;
    case 'le':
      return sql<SqlBool>`(${left} <= ${right})`;
  }
}

/** R28, R33: `active` is false for a leaver (a mark to come leaves it true until its date). */
function activeCondition(filter: Exclude<FeedFilter, { op: 'and' | 'or' | 'not' }>): RawBuilder<SqlBool> {
  if (filter.op === 'pr') return sql<SqlBool>`(1 = 1)`;
  const isActive = sql<SqlBool>`(e.status <> 'Leaver')`;
  const isLeaver = sql<SqlBool>`(e.status = 'Leaver')`;
  const wanted = filter.value === true || filter.value === 'true';
  if (filter.op === 'eq') return wanted ? isActive : isLeaver;
  if (filter.op === 'ne') return wanted ? isLeaver : isActive;
  return sql<SqlBool>`(1 = 0)`;
}

/**
 * R33: a feed's page, where the data is: the filter in SQL over the organisations' entries that are not
 * deleted, counted in all, and the page's ids in address order from `startIndex` (1-based).
 */
export async function feedPage(database: SqlDatabase, search: FeedSearch): Promise<FeedPage> {
  if (search.organisations.length === 0) return { total: 0, entries: [] };
  const orgs = sql.join(search.organisations.map((o) => sql`${o}`));
  const where = sql<SqlBool>`e.organisation_code IN (${orgs}) AND e.status <> 'Deleted'${
    search.filter ? sql` AND ${condition(search.filter, database.dialect)}` : sql``
  }`;
  const { db } = database;
  const counted = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM directory_entries e WHERE ${where}`.execute(db);
  const total = Number(counted.rows[0]?.n ?? 0);
  if (search.count === 0 || total < search.startIndex) return { total, entries: [] };
  const page = await sql<{
    id: string;
    last_modified: string | null;
  }>`SELECT e.id, e.last_modified FROM directory_entries e WHERE ${where}
    ORDER BY e.email LIMIT ${search.count} OFFSET ${search.startIndex - 1}`.execute(db);
  return {
    total,
    entries: page.rows.map((r) => ({
      id: r.id,
      ...(r.last_modified ? { lastModified: r.last_modified } : {}),
    })),
  };
}
