import type { AccountStatus } from '../domain/account';
import type { DirectoryEntry } from '../domain/directory-entry';
import type { ExistingAccount } from '../ports/directory';

/**
 * What the directory's text search matches a query's words against (R26): the name, the address, the job
 * title, the organisation and the role and speciality codes, in lower case. A word matches anywhere in it,
 * as part of a word too ("smi" finds Smith).
 */
export function searchTextOf(entry: DirectoryEntry): string {
  return [
    entry.displayName,
    entry.email,
    entry.jobTitle,
    entry.organisationCode,
    entry.organisationName,
    ...entry.clinicalRoles,
    ...entry.clinicalSpecialities,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

/** A search's words, in lower case; a role filter's code is one more word, as roles are in the search text. */
export function searchWords(q: string | undefined, role?: string): string[] {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return role ? [...words, role.toLowerCase()] : words;
}

/** A LIKE pattern matching `word` anywhere, with `\` as the escape character. */
export function containing(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const encodeCursor = (email: string) => Buffer.from(email).toString('base64url');
export const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString();

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
