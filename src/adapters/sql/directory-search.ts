import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { DirectoryEntry, DirectoryPage, DirectorySearch } from '../../ports/directory';
import { decodeCursor, encodeCursor, publicView, queryWords } from '../directory-rows';
import { compiled, type Compilable, type Slot, type SqlDatabase } from './database';
import type { Database } from './schema';

/**
 * SQLite: above this many text matches a search walks the entries in address order and stops at a full
 * page, as that is then quicker than sorting every match; below it, the text index finds the matches.
 */
const MANY_MATCHES = 5000;
/** Compiled searches kept, one per shape (which filters, how many organisations and words). */
const MOST_SHAPES = 200;

type Row = { email: string; status: string; data: string };
type Search = ReturnType<typeof compiled<Row>>;

/**
 * R26: a page of the directory. The filters are the same on both databases; the words are matched by each
 * one's own text index (FTS5; a tsvector), and so is a role (in SQLite, read from the entry's JSON). Each
 * shape of search is compiled once, as compiling one took as long as running it.
 */
export class DirectorySearcher {
  private readonly shapes = new Map<string, Search>();
  private readonly fewMatches;

  constructor(private readonly database: SqlDatabase) {
    this.fewMatches = compiled<{ n: number }>(
      database,
      (slot) =>
        sql<{ n: number }>`SELECT count(*) AS n FROM (
          SELECT 1 FROM directory_search WHERE directory_search MATCH ${slot('match')} LIMIT ${MANY_MATCHES})`,
    );
  }

  async page(search: DirectorySearch): Promise<DirectoryPage> {
    const words = queryWords(search.q, search.role);
    if (words === undefined || search.organisations?.length === 0) return { entries: [], nextCursor: null };
    const sqlite = this.database.dialect === 'sqlite';
    const values: Record<string, unknown> = {
      ...Object.fromEntries((search.organisations ?? []).map((org, i) => [`org${i}`, org])),
      organisation: search.organisation,
      status: search.status,
      mobile: search.mobile,
      role: search.role,
      cursor: search.cursor && decodeCursor(search.cursor),
      ...Object.fromEntries(words.map((w, i) => [`word${i}`, `% ${w}%`])),
      match: sqlite ? words.map((w) => `"${w}"*`).join(' ') : words.map((w) => `${w}:*`).join(' & '),
      limit: search.limit + 1,
    };
    const few = sqlite && words.length > 0 && (await this.fewMatches(this.database.db, values)).rows[0]!;
    const byTextIndex = few && few.n < MANY_MATCHES;
    const { organisation, status, mobile, role, cursor } = search;
    const shape = [byTextIndex, search.organisations?.length, words.length]
      .concat([organisation, status, mobile, role, cursor].map((v) => !!v))
      .join();
    let statement = this.shapes.get(shape);
    if (!statement) {
      statement = compiled(this.database, (slot) => this.build(search, words.length, byTextIndex, slot));
      this.shapes.set(shape, statement);
      if (this.shapes.size > MOST_SHAPES) this.shapes.delete(this.shapes.keys().next().value!);
    }
    const { rows } = await statement(this.database.db, values);
    const page = rows.slice(0, search.limit);
    return {
      entries: page.map((row) => publicView(JSON.parse(row.data) as DirectoryEntry)),
      nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1]!.email) : null,
    };
  }

  private build(search: DirectorySearch, words: number, byTextIndex: boolean, slot: Slot): Compilable<Row> {
    const eb = expressionBuilder<{ e: Database['directory_entries'] }, 'e'>();
    const sqlite = this.database.dialect === 'sqlite';
    const where: Expression<SqlBool>[] = [];
    const organisations = search.organisations?.map((_, i) => slot(`org${i}`));
    if (organisations) where.push(eb('e.organisation_code', 'in', organisations));
    if (search.organisation) where.push(eb('e.organisation_code', '=', slot('organisation')));
    const deleted = sql.lit<'Deleted'>('Deleted');
    where.push(search.status ? eb('e.status', '=', slot('status')) : eb('e.status', '<>', deleted));
    if (search.mobile) where.push(eb('e.mobile', '=', slot('mobile')));
    if (search.role) {
      where.push(
        sqlite
          ? sql`EXISTS (SELECT 1 FROM json_each(e.data, '$.clinicalRoles') WHERE value = ${slot('role')})`
          : sql`${slot('role')} = ANY(e.roles)`,
      );
    }
    if (sqlite) {
      // The start of a word of the search text, whose words are [a-z0-9]+ separated by single spaces.
      for (let i = 0; i < words; i++) where.push(sql`(' ' || e.search_text) LIKE ${slot(`word${i}`)}`);
    } else if (words > 0) {
      where.push(sql`e.search_vector @@ to_tsquery('simple', ${slot('match')})`);
    }
    if (search.cursor) where.push(eb('e.email', '>', slot('cursor')));
    const filter = eb.and(where);
    const limit = slot('limit');
    if (byTextIndex) {
      return sql<Row>`SELECT e.email, e.status, e.data FROM directory_search s
        CROSS JOIN directory_entries e ON e.seq = s.rowid
        WHERE directory_search MATCH ${slot('match')} AND ${filter} ORDER BY e.email LIMIT ${limit}`;
    }
    if (sqlite) {
      // Walked in address order until the page is full. With no filter but words, along the covering index
      // (address, status, words), whose pages hold what is checked, reading an entry only for a match;
      // organisations, a mobile or a status have indexes of their own, which SQLite chooses.
      const covering = !search.organisations && !search.organisation && !search.mobile && !search.status;
      return sql<Row>`SELECT e.email, e.status, e.data FROM directory_entries e
        ${sql.raw(covering ? 'INDEXED BY directory_entries_by_email' : '')}
        WHERE ${filter} ORDER BY e.email LIMIT ${limit}`;
    }
    // The page's addresses first (the GIN index for few matches; for many, the covering index walked in
    // address order without reading the entries), then their entries.
    const { db } = this.database;
    const page = db.selectFrom('directory_entries as e').select('e.email').where(filter).orderBy('e.email');
    return db
      .selectFrom(page.limit(limit).as('page'))
      .innerJoin('directory_entries as e', 'e.email', 'page.email')
      .select(['e.email', 'e.status', 'e.data'])
      .orderBy('e.email');
  }
}
