/**
 * Reading one header from the raw header list a Node server (or an API Gateway 1.0 event) received.
 * Node's parsed `headers` object keeps only the first `Authorization` header and drops the rest, so
 * a request carrying two credentials would silently be judged by the first. Adapters read the raw
 * list instead, where every occurrence and every casing of a name is still visible.
 */
import { AuthError } from './errors.js';

/**
 * The single value of header `name` (lower case) in a flat `[name, value, name, value…]` list, or
 * `undefined` when absent. Repeats of the same value are tolerated (some proxies duplicate
 * headers); two different values are `invalid_request`: the request is ambiguous and we will not
 * pick one.
 *
 * @example
 * const authorization = singleHeaderValue(req.rawHeaders, 'authorization');
 */
export function singleHeaderValue(rawHeaders: readonly unknown[], name: string): string | undefined {
  let found: string | undefined;
  const length = name.length;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = rawHeaders[i];
    if (typeof key !== 'string' || key.length !== length || key.toLowerCase() !== name) continue;
    const value = rawHeaders[i + 1];
    if (typeof value !== 'string') throw new AuthError('invalid_request', { detail: `${name} is not text` });
    if (found !== undefined && found !== value) {
      throw new AuthError('invalid_request', { detail: `several different ${name} headers` });
    }
    found = value;
  }
  return found;
}
