import anyAscii from 'any-ascii';

/**
 * R11 decision: each part of `first.last` is cut to this many characters, so that the local part with its
 * number stays within the 64 characters an address allows (RFC 5321) even for very long or transliterated names.
 */
export const ADDRESS_PART_MAX = 29;

/**
 * R11: the local part of a primary address, `first.last`, lower case, letters folded to ASCII
 * (Zoë -> zoe, Łukasz -> lukasz, Иван -> ivan). Spaces and apostrophes are dropped; hyphens are kept.
 * Names whose part would be empty are refused before this is called (see `addressPart`).
 */
export function addressLocalPart(firstName: string, lastName: string): string {
  return `${addressPart(firstName)}.${addressPart(lastName)}`;
}

/** The n-th candidate address: `first.last@domain`, then `first.last1@domain`, `first.last2@domain`, ... */
export function candidateAddress(localPart: string, domain: string, n: number): string {
  return `${localPart}${n === 0 ? '' : n}@${domain.toLowerCase()}`;
}

/** One name's share of the address: empty when the name holds nothing an address can carry (such as "ʼ"). */
export function addressPart(name: string): string {
  return trimHyphens(
    trimHyphens(
      anyAscii(name.normalize('NFC'))
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '')
        .replace(/-+/g, '-'),
    ).slice(0, ADDRESS_PART_MAX),
  );
}

function trimHyphens(part: string): string {
  return part.replace(/^-|-$/g, '');
}
