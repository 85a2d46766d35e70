/**
 * The Lambda side of the soak: examples/lambda-authorizer's REST TOKEN authorizer invoked in process
 * with API Gateway-shaped events, at a fixed rate, as the Lambda runtime would call it. Each
 * invocation ends as API Gateway would read it: `Allow` or `Deny` (the policy's verdict for the
 * method ARN, Deny statements first), `Unauthorized` (the exact error API Gateway turns into 401),
 * `unavailable` (AuthorizerUnavailableError, a 500 without keys) or `error` (anything else: a bug).
 */
import type { PolicyAuthorizerResult, RestTokenAuthorizerEvent } from '@cognito-gate/lambda';
import { startFixedRate } from './fixed-rate.js';
import { draw, type MixFlags, seededRandom, type TokenPools } from './mix.js';
import { KEYS_LOADED, NO_KEYS_YET, Tally } from './tally.js';

const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:soak0api01/prod/';
/** Invocations in flight past which new ones are shed (counted, not queued). */
const MAX_IN_FLIGHT = 256;

export interface LambdaLoopOptions {
  readonly authorizer: (event: RestTokenAuthorizerEvent) => Promise<PolicyAuthorizerResult>;
  readonly pools: TokenPools;
  readonly seed: number;
  /** Invocations per second. */
  readonly rate: number;
  readonly flags: () => MixFlags;
  /** Whether the authorizer's verifier has loaded a key set yet (to classify outages). */
  readonly keysLoaded: () => boolean;
}

export interface LambdaLoop {
  readonly tally: Tally;
  /** Invocations not made because MAX_IN_FLIGHT were pending. */
  readonly shed: number;
  /** When, in epoch ms. */
  readonly shedAt: readonly number[];
  stop(): Promise<void>;
}

/** IAM's `*` and `?` wildcards against one resource ARN. */
function matches(pattern: string, arn: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(arn);
}

/** The policy's verdict for `arn`: an explicit Deny wins, then an Allow, else an implicit Deny. */
export function effectFor(result: PolicyAuthorizerResult, arn: string): 'Allow' | 'Deny' {
  let allowed = false;
  for (const statement of result.policyDocument.Statement) {
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    if (!resources.some((resource) => matches(resource, arn))) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'Deny';
}

function outcomeOfError(error: unknown, keysLoaded: boolean): string {
  if (error instanceof Error && error.message === 'Unauthorized') return 'Unauthorized';
  if (error instanceof Error && error.name === 'AuthorizerUnavailableError') {
    return `unavailable ${keysLoaded ? KEYS_LOADED : NO_KEYS_YET}`;
  }
  return `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/**
 * Start invoking; `stop()` waits for the invocations in flight.
 *
 * @example
 * const loop = startLambdaLoop({ authorizer, pools, seed: 3, rate: 500, flags: () => flags, keysLoaded });
 * await loop.stop(); console.log(loop.tally.toJSON());
 */
export function startLambdaLoop(options: LambdaLoopOptions): LambdaLoop {
  const random = seededRandom(options.seed);
  const tally = new Tally();
  const load = startFixedRate(options.rate, MAX_IN_FLIGHT, () => {
    const { kind, route, token, cycle } = draw(random, options.pools, options.flags());
    const methodArn = `${ARN_PREFIX}${route.lambda}`;
    // Read at the start: an invocation that began before the first key set loaded may see the outage.
    const loadedAtStart = options.keysLoaded();
    return options
      .authorizer({
        type: 'TOKEN',
        authorizationToken: token === undefined ? '' : `Bearer ${token}`,
        methodArn,
      })
      .then(
        (result) => {
          // Allow or Deny, the token verified: Deny is a route rule.
          if (cycle !== undefined) tally.acceptedRotated(cycle);
          tally.add(kind, effectFor(result, methodArn));
        },
        (error: unknown) => tally.add(kind, outcomeOfError(error, loadedAtStart)),
      );
  });
  return {
    tally,
    get shed() {
      return load.shed;
    },
    shedAt: load.shedAt,
    stop: () => load.stop(),
  };
}
