/**
 * `methodArn` / `routeArn` parsing and the policy resources built from them (spec §2.4):
 *   arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{resource/path}
 * The partition is kept (`aws`, `aws-cn`, `aws-us-gov`, ...): a policy for `arn:aws:` would not
 * cover a request in China or GovCloud and every call would get a 403. A malformed ARN is reported
 * as `undefined` so the caller answers 401, never with a TypeError (a 500).
 *
 * A policy `Resource` longer than 512 characters is a 500, and the route part of an ARN is the
 * client's path: every resource built from it is kept within the limit (counted in UTF-8 bytes, which
 * is never less than characters), by widening it with a trailing `*` where that stays safe.
 */

/** The parts of an execute-api ARN a policy is built from. */
export interface ExecuteApiArn {
  /** The ARN as received. */
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  /** Everything after the stage: `GET/orders/1`, `GET/` for the root resource, `$connect`. */
  readonly route: string;
  /** `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/` */
  readonly stagePrefix: string;
}

/** API Gateway caps method ARNs at 1600 bytes; anything longer did not come from it. */
const MAX_ARN_LENGTH = 1600;
/** API Gateway's cap on a policy `Resource`. */
export const MAX_RESOURCE_BYTES = 512;
/** Partition, region, account, API id and a 128-character stage fit in far less. */
const MAX_PREFIX_LENGTH = 256;
const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2,5}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const API_ID = /^[A-Za-z0-9]+$/;
// Stage names: up to 128 letters, digits, `-`, `_`; `$default` on HTTP APIs; `*` from the console tester.
const STAGE = /^(?:\$default|\*|[A-Za-z0-9_-]{1,128})$/;
const ROUTE = /^[^\s]+$/;

/**
 * Parse an execute-api ARN; `undefined` when it is not one.
 *
 * @example
 * parseExecuteApiArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets')
 * // { partition: 'aws', region: 'us-east-1', stage: 'prod', route: 'GET/pets', ... }
 */
export function parseExecuteApiArn(arn: unknown): ExecuteApiArn | undefined {
  if (typeof arn !== 'string' || arn.length > MAX_ARN_LENGTH) return undefined;
  // Split on ':' only five times: the resource path may itself contain ':'.
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'execute-api') return undefined;
  const partition = parts[1]!;
  const region = parts[3]!;
  const accountId = parts[4]!;
  const resource = parts.length === 6 ? parts[5]! : parts.slice(5).join(':');
  if (!PARTITION.test(partition) || !REGION.test(region) || !ACCOUNT.test(accountId)) return undefined;
  const firstSlash = resource.indexOf('/');
  // With no slash at all, firstSlash + 1 is 0 and this finds none either.
  const secondSlash = resource.indexOf('/', firstSlash + 1);
  if (secondSlash === -1) return undefined;
  const apiId = resource.slice(0, firstSlash);
  const stage = resource.slice(firstSlash + 1, secondSlash);
  const route = resource.slice(secondSlash + 1);
  if (!API_ID.test(apiId) || !STAGE.test(stage) || !ROUTE.test(route)) return undefined;
  const stagePrefix = `arn:${partition}:execute-api:${region}:${accountId}:${apiId}/${stage}/`;
  // Bounded so that a stage-wide resource, and the prefix of any cut-down one, always fits.
  if (stagePrefix.length > MAX_PREFIX_LENGTH) return undefined;
  return { arn, partition, region, accountId, apiId, stage, route, stagePrefix };
}

/** A REST method ARN: the route starts with a verb segment (`GET/`, `GET/pets`). */
export function isRestRoute(parsed: ExecuteApiArn): boolean {
  return /^(?:[A-Z]+|\*)\//.test(parsed.route);
}

/**
 * The stage-wide resource of a REST policy, `…/{stage}/*\/*` (spec §2.4). API Gateway caches a
 * policy per token and reuses it for every method and resource of the stage, so anything narrower
 * would turn the next request to another route into a 403.
 *
 * @example
 * restStageWildcard(parseExecuteApiArn('arn:aws-cn:execute-api:cn-north-1:123456789012:a1/prod/GET/')!)
 * // 'arn:aws-cn:execute-api:cn-north-1:123456789012:a1/prod/*\/*'
 */
export function restStageWildcard(parsed: ExecuteApiArn): string {
  return `${parsed.stagePrefix}*/*`;
}

/**
 * The stage-wide resource of an HTTP API policy, `…/{stage}/*`: HTTP route ARNs may have a single
 * segment after the stage (`$default`), which `*\/*` would not match.
 */
export function httpStageWildcard(parsed: ExecuteApiArn): string {
  return `${parsed.stagePrefix}*`;
}

/** Length in UTF-8 bytes of `text[0..end)`, stopping early once over `limit`. */
/**
 * True when `text[i]` starts a surrogate pair: a high surrogate followed by a low one. A high
 * surrogate followed by anything else is written as U+FFFD (3 bytes), then that character.
 */
function isPairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

function utf8Length(text: string, limit = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isPairAt(text, i)) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `text` cut to at most `budget` UTF-8 bytes, never inside a surrogate pair. */
function cutToBytes(text: string, budget: number): string {
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = isPairAt(text, end);
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > budget) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
}

/** True when API Gateway accepts `resource` as a policy Resource. */
export function resourceFits(resource: string): boolean {
  return utf8Length(resource, MAX_RESOURCE_BYTES) <= MAX_RESOURCE_BYTES;
}

/**
 * `resource` as it is when it fits, else cut and ended with `*`: a wider resource. Only for Deny
 * statements, where covering more fails closed.
 *
 * @example
 * fitDenyResource(`${stagePrefix}GET/reports/${'r'.repeat(600)}`) // `${stagePrefix}GET/reports/rrr…*`
 */
export function fitDenyResource(resource: string): string {
  return resourceFits(resource) ? resource : `${cutToBytes(resource, MAX_RESOURCE_BYTES - 1)}*`;
}

/**
 * The ARN itself as a Resource for this request only, or `undefined` when it cannot be written
 * exactly: over the size limit, or with a `*` or `?` in the client's path that IAM would read as a
 * wildcard (a policy for `GET/orders/*` would cover every order).
 */
export function exactResource(parsed: ExecuteApiArn): string | undefined {
  if (/[*?]/.test(parsed.route) || !resourceFits(parsed.arn)) return undefined;
  return parsed.arn;
}

/**
 * The narrowest Resource that can be written for a request `exactResource` cannot express: the
 * route up to its first wildcard character and within the size limit, then `*`. It covers other
 * requests too, so the policy that uses it must also Deny every route the token fails.
 *
 * @example
 * routePrefixResource(parseExecuteApiArn(`arn:aws:execute-api:us-east-1:123456789012:a1/prod/GET/orders/*`)!)
 * // 'arn:aws:execute-api:us-east-1:123456789012:a1/prod/GET/orders/*'
 */
export function routePrefixResource(parsed: ExecuteApiArn): string {
  const wildcard = parsed.route.search(/[*?]/);
  const literal = wildcard === -1 ? parsed.route : parsed.route.slice(0, wildcard);
  return `${cutToBytes(parsed.stagePrefix + literal, MAX_RESOURCE_BYTES - 1)}*`;
}
