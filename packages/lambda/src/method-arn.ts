/**
 * `methodArn` / `routeArn` parsing and the policy resources built from them (spec §2.4):
 *   arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{resource/path}
 * The partition is kept (`aws`, `aws-cn`, `aws-us-gov`, ...): a policy for `arn:aws:` would not
 * cover a request in China or GovCloud and every call would get a 403. A malformed ARN is reported
 * as `undefined` so the caller answers 401, never with a TypeError (a 500).
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
const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2,5}(?:-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;
const API_ID = /^[A-Za-z0-9]+$/;
// Stage names: letters, digits, `-`, `_`; `$default` on HTTP APIs; `*` from the console tester.
const STAGE = /^(?:\$default|\*|[A-Za-z0-9_-]+)$/;
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
  const [, partition = '', , region = '', accountId = ''] = parts;
  const resource = parts.length === 6 ? parts[5]! : parts.slice(5).join(':');
  if (!PARTITION.test(partition) || !REGION.test(region) || !ACCOUNT.test(accountId)) return undefined;
  const firstSlash = resource.indexOf('/');
  const secondSlash = firstSlash === -1 ? -1 : resource.indexOf('/', firstSlash + 1);
  if (secondSlash === -1) return undefined;
  const apiId = resource.slice(0, firstSlash);
  const stage = resource.slice(firstSlash + 1, secondSlash);
  const route = resource.slice(secondSlash + 1);
  if (!API_ID.test(apiId) || !STAGE.test(stage) || !ROUTE.test(route)) return undefined;
  return {
    arn,
    partition,
    region,
    accountId,
    apiId,
    stage,
    route,
    stagePrefix: `arn:${partition}:execute-api:${region}:${accountId}:${apiId}/${stage}/`,
  };
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
