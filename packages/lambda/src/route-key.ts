/**
 * Which rules of a route table an HTTP API answer must honour when API Gateway caches it per
 * `$context.routeKey`. Every request of one API route shares the cached answer, and one API route
 * (`ANY /{proxy+}`, `$default`, `GET /orders/{id}`) covers many paths, so the answer must satisfy
 * every rule that any of those paths could meet, not only the rule of the request that came first.
 * Route keys are read as globs (`{param}` is one segment, `{proxy+}` anything) and compared with the
 * table's IAM globs; an unreadable route key reaches every rule, which fails closed.
 */
import { globsOverlap, SEGMENT } from './iam-glob.js';
import { type CompiledRoute, pathsOf, verbsOf } from './route-table.js';

const ROUTE_KEY = /^(ANY|[A-Z]+) (\/\S*)$/;
/** Route keys are the API's own, a few dozen at most; a flood of made-up ones is not memoised. */
const MAX_MEMO = 512;

/**
 * The globs of the requests an HTTP API route key can receive.
 *
 * @example
 * routeKeyGlobs('ANY /{proxy+}') // ['*\/*']
 * routeKeyGlobs('$default')         // ['*']
 */
export function routeKeyGlobs(routeKey: string): readonly string[] {
  const match = ROUTE_KEY.exec(routeKey);
  if (match === null) return ['*'];
  const method = match[1]!;
  const path = match[2]!;
  const resource = path
    .slice(1)
    .replace(/\{[^{}]*\+\}/g, '*')
    .replace(/\{[^{}]*\}/g, SEGMENT);
  return verbsOf(method).flatMap((verb) => pathsOf(resource).map((glob) => `${verb}/${glob}`));
}

/** The rules of a table that each route key reaches, memoised. */
export class RouteKeyIndex {
  readonly #routes: readonly CompiledRoute[];
  readonly #memo = new Map<string, readonly CompiledRoute[]>();

  constructor(routes: readonly CompiledRoute[]) {
    this.#routes = routes;
  }

  /**
   * Every route of the table some request of `routeKey` could match.
   *
   * @example
   * new RouteKeyIndex(compileRouteTable(table)).routesFor('ANY /{proxy+}') // every route
   */
  routesFor(routeKey: string): readonly CompiledRoute[] {
    const known = this.#memo.get(routeKey);
    if (known !== undefined) return known;
    const globs = routeKeyGlobs(routeKey);
    const reached = Object.freeze(
      this.#routes.filter((route) =>
        route.globs.some((glob) => globs.some((keyGlob) => globsOverlap(glob, keyGlob))),
      ),
    );
    if (this.#memo.size < MAX_MEMO) this.#memo.set(routeKey, reached);
    return reached;
  }
}
