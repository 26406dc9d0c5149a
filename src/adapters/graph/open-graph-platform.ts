import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { GraphHttp, httpsAgent } from './graph-http';
import { GraphMailPlatform } from './graph-mail-platform';
import { DEFAULT_AUTHORITY_HOST, type GraphSettings } from './graph-settings';

/**
 * The Graph mail platform with an app-only token from the client credentials (a secret or a certificate)
 * through @azure/identity, which caches and renews it.
 */
export function openGraphPlatform(settings: GraphSettings): GraphMailPlatform {
  const agent = httpsAgent(settings.extraCaCertificates);
  const options = {
    authorityHost: settings.authorityHost,
    // Another authority host (a national cloud, a test double) is trusted as configured, not looked up.
    disableInstanceDiscovery: settings.authorityHost !== DEFAULT_AUTHORITY_HOST,
    agent,
    retryOptions: { maxRetries: 0 },
  };
  const credential = settings.clientSecret
    ? new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, options)
    : new ClientCertificateCredential(
        settings.tenantId,
        settings.clientId,
        { certificatePath: settings.clientCertificatePath! },
        options,
      );
  return new GraphMailPlatform(new GraphHttp(settings.baseUrl, credential, agent), settings);
}
