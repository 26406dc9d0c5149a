import type { Router } from 'express';

/** A route the portal answers: its method and its path as Express writes it (`/accounts/:id`). */
export interface PageRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  rawPath?: string;
}

/** Every route of a router and of the routers it mounts, in order: what a test of every page goes through. */
export function pageRoutes(router: Pick<Router, 'stack'>, prefix = ''): PageRoute[] {
  return (router.stack as Layer[]).flatMap((layer): PageRoute[] => {
    if (layer.route) {
      const path = prefix + layer.route.path;
      return Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path }));
    }
    if (!Array.isArray(layer.handle?.stack)) return [];
    return pageRoutes(
      { stack: layer.handle.stack } as Pick<Router, 'stack'>,
      prefix + (layer.slash ? '' : (layer.rawPath ?? '')),
    );
  });
}
