/** Whether an address (a peer's, or the one the API listens on) is this machine's loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return (
    !!address &&
    (address === '::1' ||
      address === 'localhost' ||
      address.startsWith('127.') ||
      address.startsWith('::ffff:127.'))
  );
}
