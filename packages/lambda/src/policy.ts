/**
 * IAM policy results. One Allow statement and at most one Deny statement (its Resource an array):
 * the response stays small (spec pitfall #8) whatever the size of the route table.
 */
import type { AuthorizerContext, PolicyAuthorizerResult, PolicyStatement } from './events.js';
import { type ExecuteApiArn, fitDenyResource } from './method-arn.js';
import type { RouteDenial } from './route-table.js';

const VERSION = '2012-10-17' as const;
const ACTION = 'execute-api:Invoke' as const;

/**
 * An authorizer result allowing `allow` and denying `deny` (explicit Deny wins in IAM).
 *
 * @example
 * policyResult('user-sub', 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/*\/*', [], { sub: 'user-sub' })
 */
export function policyResult(
  principalId: string,
  allow: string | undefined,
  deny: readonly string[],
  context: AuthorizerContext | undefined,
  usageIdentifierKey?: string,
): PolicyAuthorizerResult {
  const statements: PolicyStatement[] = [];
  if (allow !== undefined) statements.push({ Action: ACTION, Effect: 'Allow', Resource: allow });
  if (deny.length > 0) {
    statements.push({ Action: ACTION, Effect: 'Deny', Resource: deny.length === 1 ? deny[0]! : [...deny] });
  }
  const result: {
    principalId: string;
    policyDocument: PolicyAuthorizerResult['policyDocument'];
    context?: AuthorizerContext;
    usageIdentifierKey?: string;
  } = { principalId, policyDocument: { Version: VERSION, Statement: statements } };
  if (context !== undefined) result.context = context;
  if (usageIdentifierKey !== undefined) result.usageIdentifierKey = usageIdentifierKey;
  return result;
}

/** A result that denies `resource` only. */
export function denyResult(
  principalId: string,
  resource: string,
  context: AuthorizerContext | undefined,
): PolicyAuthorizerResult {
  return policyResult(principalId, undefined, [resource], context);
}

/**
 * The Deny resources for the routes a token fails, each within API Gateway's size limit (a cut
 * resource ends in `*` and denies more, never less), without duplicates.
 *
 * @example
 * denyResources(arn, denyRoutes(auth, routes)) // ['arn:…/prod/DELETE/orders/*', …]
 */
export function denyResources(arn: ExecuteApiArn, denied: readonly RouteDenial[]): string[] {
  const resources = new Set<string>();
  for (const denial of denied) {
    for (const glob of denial.route.globs) resources.add(fitDenyResource(arn.stagePrefix + glob));
  }
  return [...resources];
}
