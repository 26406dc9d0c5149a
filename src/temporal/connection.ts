import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal-config';

/** Address, TLS and API key for both the client and the worker connection. */
export function connectionOptions(
  config: TemporalConfig,
  address: string,
): { address: string; apiKey?: string; tls: boolean | TLSConfig } {
  const { tls } = config;
  return {
    address,
    apiKey: config.apiKey,
    tls:
      typeof tls === 'boolean'
        ? tls
        : {
            serverNameOverride: tls.serverName,
            serverRootCACertificate: tls.ca ? fs.readFileSync(tls.ca) : undefined,
            clientCertPair:
              tls.cert && tls.key
                ? { crt: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) }
                : undefined,
          },
  };
}
