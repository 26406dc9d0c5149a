/** R5: the display name is "First Last", recomputed whenever a name changes. */
export function displayName(firstName: string, lastName: string): string {
  return `${firstName.trim()} ${lastName.trim()}`;
}
