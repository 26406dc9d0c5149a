import anyAscii from 'any-ascii';

/**
 * R11: the local part of a primary address, `first.last`, lower case, letters folded to ASCII
 * (Zoë -> zoe, Łukasz -> lukasz, Иван -> ivan). Spaces and apostrophes are dropped; hyphens are kept.
 */
export function addressLocalPart(firstName: string, lastName: string): string {
  return `${fold(firstName)}.${fold(lastName)}`;
}

/** The n-th candidate address: `first.last@domain`, then `first.last1@domain`, `first.last2@domain`, ... */
export function candidateAddress(localPart: string, domain: string, n: number): string {
  return `${localPart}${n === 0 ? '' : n}@${domain.toLowerCase()}`;
}

function fold(name: string): string {
  return anyAscii(name.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
