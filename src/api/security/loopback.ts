import type { Request } from 'express';

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

/** Headers a reverse proxy or relay adds: a request carrying one did not come straight from this machine. */
const RELAYED = /^(forwarded|via|x-forwarded-.+|x-real-ip)$/i;

/** The request came straight from this machine: a loopback peer, and nothing saying it was relayed. */
export function directFromThisMachine(req: Request): boolean {
  return (
    isLoopbackAddress(req.socket.remoteAddress) &&
    !Object.keys(req.headers).some((name) => RELAYED.test(name))
  );
}
