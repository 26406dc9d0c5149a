import type { HelmetOptions } from 'helmet';

/**
 * With the portal, a strict Content Security Policy: scripts, styles, fonts and images from this origin
 * only (external files, no inline script or style), forms posting to it only, and no framing. HTTPS
 * upgrades only where the portal is served over HTTPS (a loopback run is plain HTTP).
 */
export function portalContentSecurityPolicy(https: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
  };
}
