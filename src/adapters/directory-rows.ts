import anyAscii from 'any-ascii';
import type { AccountStatus } from '../domain/account';
import type { DirectoryEntry } from '../domain/directory-entry';
import type { ExistingAccount } from '../ports/directory';

/**
 * The words of a text as the directory's search indexes and matches them: letters folded to ASCII as
 * addresses are (Zoë -> zoe, Иван -> ivan), lower case, split at everything but letters and digits
 * ("O'Neil-Brown" -> o, neil, brown; "aoife.oneil@nhs.net" -> aoife, oneil, nhs, net), each once.
 */
export function searchWordsOf(...texts: (string | undefined)[]): string[] {
  const words = texts
    .filter((t): t is string => !!t)
    .flatMap((t) =>
      anyAscii(t.normalize('NFC'))
        .toLowerCase()
        .split(/[^a-z0-9]+/),
    );
  return [...new Set(words.filter(Boolean))];
}

/**
 * What a search finds an entry by (R26): the words of its name, address, job title, organisation code and
 * name, and role and speciality codes, as one space-separated string, the text both databases index. A
 * query's word matches the start of any of them ("smi" finds Smith and Smithson).
 */
export function searchTextOf(entry: DirectoryEntry): string {
  return searchWordsOf(
    entry.displayName,
    entry.email,
    entry.jobTitle,
    entry.organisationCode,
    entry.organisationName,
    ...entry.clinicalRoles,
    ...entry.clinicalSpecialities,
  ).join(' ');
}

/**
 * A search's words, each to match the start of a word of the entry; a role filter's code is one more
 * word, as roles are in the search text. `undefined` when the query has text but no word in it, which
 * matches nothing.
 */
export function queryWords(q: string | undefined, role?: string): string[] | undefined {
  const words = searchWordsOf(q, role);
  return q?.trim() && searchWordsOf(q).length === 0 ? undefined : words;
}

export const encodeCursor = (email: string) => Buffer.from(email).toString('base64url');
/** The address a cursor names; a control character, which no address holds (PostgreSQL refuses NUL), is dropped. */
export const decodeCursor = (cursor: string) =>
  Buffer.from(cursor, 'base64url')
    .toString()
    // eslint-disable-next-line no-control-regex -- the control characters are what it drops
    .replace(/[\x00-\x1f\x7f-\x9f]/g, '');

/** The entry as any directory user sees it: phone numbers left out when the account hides them. */
export function publicView(entry: DirectoryEntry): DirectoryEntry {
  if (!entry.phonesHidden) return entry;
  const { mobile: _m, telephone: _t, pager: _p, fax: _f, ...rest } = entry;
  return rest;
}

export function existingOf(entry: DirectoryEntry, status: AccountStatus): ExistingAccount {
  return {
    id: entry.id,
    email: entry.email,
    displayName: entry.displayName,
    organisationCode: entry.organisationCode,
    status,
  };
}
