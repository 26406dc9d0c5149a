/** A host as a request or the configuration names it: its name (IPv6 in brackets), and its port if given. */
export interface HostName {
  hostname: string;
  /** The port, `80` when a request's Host gives none; absent in an allow-list entry that accepts any port. */
  port?: string;
}

/**
 * `name` or `name:port`, normalised as a URL's host is (lower case, IDN as punycode, `[::1]`); undefined for
 * anything else (a path, credentials, spaces). Without a port, a request's Host means port 80; an
 * allow-list entry (`entry`) means any port.
 */
export function parseHost(host: string | undefined, { entry = false } = {}): HostName | undefined {
  if (!host || host.length > 300 || !/^[^\s/?#@\\]+$/.test(host)) return undefined;
  try {
    const url = new URL(`http://${host}`);
    const port = url.port || (/:\d+$/.test(host) || !entry ? '80' : undefined);
    return port === undefined ? { hostname: url.hostname } : { hostname: url.hostname, port };
  } catch {
    return undefined;
  }
}
