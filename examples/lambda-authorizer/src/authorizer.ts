/**
 * The authorizer itself, built from a verifier so the same code runs in Lambda (`handler.ts`, with
 * the user pool from the environment) and in tests (with a local test issuer).
 *
 * Policy: any valid access token of the app client may call the API; listing orders also needs
 * the `orders/read` or `orders/admin` scope, deleting one the `admin` group. The route rule travels in the (cached) policy as a Deny, so API Gateway's
 * result cache stays correct for every route. Each decision is logged as a CloudWatch embedded
 * metric: 401s count as failed invocations in Lambda's own metrics, this tells them from faults.
 */
import type { Verifier } from '@cognito-gate/core';
import {
  type AuthorizerDecision,
  createRestAuthorizer,
  type RestAuthorizerHandler,
} from '@cognito-gate/lambda';

export interface AuthorizerSetup {
  /** Where metric lines go. Default `console.log` (CloudWatch Logs parses EMF from stdout). */
  readonly log?: (line: string) => void;
}

/** One CloudWatch embedded-metric-format line per decision: `Decisions` by `Outcome`. */
export function metricLine(decision: AuthorizerDecision, now = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: 'CognitoGate',
          Dimensions: [['Outcome']],
          Metrics: [{ Name: 'Decisions', Unit: 'Count' }],
        },
      ],
    },
    Outcome: decision.outcome,
    Decisions: 1,
    status: decision.status,
    code: decision.code,
    principalId: decision.principalId,
  });
}

/**
 * The REST TOKEN authorizer of this API.
 *
 * @example
 * export const handler = createAuthorizer(createVerifier({ userPoolId, clientId }));
 */
export function createAuthorizer(verifier: Verifier, setup: AuthorizerSetup = {}): RestAuthorizerHandler {
  const log = setup.log ?? ((line: string) => console.log(line));
  return createRestAuthorizer({
    verifier,
    routes: {
      'GET /orders': { scopes: { anyOf: ['orders/read', 'orders/admin'] } },
      'DELETE /orders/{id}': { groups: 'admin' },
    },
    onDecision: (decision) => log(metricLine(decision)),
  });
}
