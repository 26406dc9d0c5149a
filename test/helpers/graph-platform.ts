import { openGraphPlatform } from '../../src/adapters/graph/open-graph-platform';
import { requiredGroupNames, type GraphSettings } from '../../src/adapters/graph/graph-settings';
import { GraphDouble, type DoubleSettings } from '../graph-double/graph-double';

/** The Graph double, started, and the engine's Graph settings pointing at it. */
export async function graphDouble(settings: Partial<DoubleSettings> = {}) {
  const double = await new GraphDouble(requiredGroupNames(), settings).start();
  const graphSettings: GraphSettings = {
    tenantId: double.tenantId,
    clientId: double.clientId,
    clientSecret: double.clientSecret,
    authorityHost: double.origin,
    baseUrl: double.baseUrl,
    groups: double.groups,
    licenceSkuId: double.skuId,
    noticeSender: double.sender,
    extraCaCertificates: double.ca,
  };
  return { double, graphSettings, platform: openGraphPlatform(graphSettings) };
}
