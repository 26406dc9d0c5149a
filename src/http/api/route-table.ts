import type { RequestHandler, Router } from 'express';
import { Problem } from '../problem';

/** A route of the API: its path as OpenAPI writes it (`/v1/accounts/{id}`), and its methods. */
export interface ApiRoute {
  path: string;
  methods: string[];
}

interface Entry extends ApiRoute {
  /** Each segment: a literal (lower case, as Express matches without regard to case), or null for a parameter. */
  segments: (string | null)[];
  /** OPTIONS is answered by the router itself (the codec's CORS preflight). */
  ownOptions: boolean;
}

/**
 * The routes the app registered, read from its routers, so that a path the API has is answered 405 with
 * `Allow` for a method it does not have (RFC 9110), rather than 404, and OPTIONS lists its methods.
 */
export class RouteTable {
  private readonly entries: Entry[] = [];

  /** The routes of `router`, mounted at `prefix`. */
  addRouter(prefix: string, router: Router, options: { ownOptions?: boolean } = {}): this {
    for (const layer of router.stack) {
      const route = layer.route;
      if (!route) continue;
      // A route for every method (router.all, answering 405) adds none; a route of several paths adds each.
      const methods = new Set(route.stack.filter((l) => l.method).map((l) => l.method.toUpperCase()));
      const paths: unknown[] = Array.isArray(route.path) ? route.path : [route.path];
      if (methods.size === 0) continue;
      for (const routePath of paths) {
        if (typeof routePath !== 'string') continue;
        this.add(
          (prefix + (routePath === '/' ? '' : routePath)).replace(/:(\w+)/g, '{$1}'),
          methods,
          options,
        );
      }
    }
    return this;
  }

  private add(path: string, methods: Set<string>, options: { ownOptions?: boolean }): void {
    let entry = this.entries.find((e) => e.path === path);
    if (!entry) {
      entry = {
        path,
        methods: [],
        segments: path
          .split('/')
          .slice(1)
          .map((s) => (s.startsWith('{') ? null : s.toLowerCase())),
        ownOptions: options.ownOptions ?? false,
      };
      this.entries.push(entry);
    }
    entry.methods = [...new Set([...entry.methods, ...methods])].sort();
  }

  get routes(): ApiRoute[] {
    return this.entries.map(({ path, methods }) => ({ path, methods }));
  }

  /** The route a path is, if any: a literal segment is preferred to a parameter (as OpenAPI matches paths). */
  match(path: string): Entry | undefined {
    const segments = path
      .replace(/(.)\/$/, '$1')
      .split('/')
      .slice(1);
    const candidates = this.entries.filter(
      (e) =>
        e.segments.length === segments.length &&
        e.segments.every((s, i) => (s === null ? segments[i] !== '' : s === segments[i]!.toLowerCase())),
    );
    const literals = (e: Entry) => e.segments.map((s) => (s === null ? '0' : '1')).join('');
    return candidates.sort((a, b) => literals(b).localeCompare(literals(a)))[0];
  }

  /**
   * Answers a method the path does not have: 405 with `Allow`, and OPTIONS with 204 and `Allow`. HEAD is
   * allowed wherever GET is (Express answers it). Other paths go on, to their router or to 404.
   */
  methodGuard(): RequestHandler {
    return (req, res, next) => {
      const route = this.match(req.path);
      if (!route) return next();
      const allowed = [...route.methods, ...(route.methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
      if (req.method === 'OPTIONS') {
        if (route.ownOptions) return next();
        res.set('Allow', allowed.join(', ')).status(204).end();
        return;
      }
      if (allowed.includes(req.method)) return next();
      throw new Problem(
        405,
        'Method not allowed',
        `${route.path} has no ${req.method}: it allows ${allowed.join(', ')}.`,
        undefined,
        {},
        { Allow: allowed.join(', ') },
      );
    };
  }
}
