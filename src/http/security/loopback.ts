import type { Request } from 'express';
import { parseHost } from './host-names';

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

/**
 * Whether a Host names this machine's loopback at `port`, the port the request came in on: `localhost`,
 * `127.0.0.1` or `[::1]`. Any other name reached this server by a tunnel, port forwarding or DNS rebinding.
 */
export function isLoopbackHost(host: string | undefined, port: number | undefined): boolean {
  const parsed = parseHost(host);
  return (
    !!parsed &&
    port !== undefined &&
    (parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || parsed.hostname === '127.0.0.1') &&
    parsed.port === String(port)
  );
}

/**
 * The request came straight from this machine: a loopback peer, nothing saying it was relayed, and a
 * loopback Host at the port it came in on (a page of another site whose name was rebound to 127.0.0.1 sends
 * its own name). Only such a request gets what this machine is trusted with.
 */
export function directFromThisMachine(req: Request): boolean {
  return (
    isLoopbackAddress(req.socket.remoteAddress) &&
    !Object.keys(req.headers).some((name) => RELAYED.test(name)) &&
    isLoopbackHost(req.headers.host, req.socket.localPort)
  );
}
