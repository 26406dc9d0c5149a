import type { NextFunction, Request, Response } from 'express';
import { Problem } from '../problem';
import { parseHost, type HostName } from './host-names';
import { isLoopbackHost } from './loopback';

/** Probes answer any name: a load balancer or an orchestrator checks them by the host's address. */
const ANY_HOST = new Set(['/healthz', '/readyz']);

/**
 * ALLOWED_HOSTS (comma-separated `name` or `name:port`; a name alone accepts any port) and the host of
 * PORTAL_PUBLIC_URL: the names this server answers for besides the loopback ones.
 */
export function parseAllowedHosts(list: string | undefined, publicUrl: string | undefined): HostName[] {
  const entries = (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !parseHost(entry, { entry: true }));
  if (bad.length > 0) {
    throw new Error(
      `ALLOWED_HOSTS must list host names, each with an optional port (admin.example.nhs.uk,10.0.1.5:3000): ` +
        `item ${entries.indexOf(bad[0]!) + 1} is not one`,
    );
  }
  const hosts = entries.map((entry) => parseHost(entry, { entry: true })!);
  if (publicUrl) hosts.push({ hostname: new URL(publicUrl).hostname });
  return hosts;
}

const matches = (host: HostName, allowed: HostName) =>
  host.hostname === allowed.hostname && (allowed.port === undefined || allowed.port === host.port);

/**
 * Answers 421 Misdirected Request to a request for a host this server does not serve: its Host (or a
 * trusted proxy's X-Forwarded-Host) must be a loopback name at the port it came in on, or an allowed
 * name. A browser page of another site whose name was rebound to this server's address (DNS rebinding)
 * sends that site's name, and is refused before anything reads a cookie or a token.
 */
export function allowedHostsOnly(allowed: readonly HostName[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (ANY_HOST.has(req.path)) return next();
    const given = req.host;
    const host = parseHost(given);
    if (isLoopbackHost(given, req.socket.localPort) || (host && allowed.some((a) => matches(host, a)))) {
      return next();
    }
    throw new Problem(
      421,
      'Misdirected Request',
      'This server does not answer for that host name: use its own address (ALLOWED_HOSTS).',
    );
  };
}
