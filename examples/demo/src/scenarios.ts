/**
 * The scripted requests of the demo and the outcome each target must give. A scenario is one thing a
 * client gets right or wrong; it is sent to the Express and Fastify example APIs (twins with the same
 * routes) and to the REST API behind the Lambda authorizer example, whose routes and answers differ:
 * API Gateway turns a JWKS outage into a 500, and answers a request without a token by itself.
 */
import type { TestIssuer } from '@cognito-gate/testing';

/** The three places the demo sends requests to. */
export type TargetId = 'express' | 'fastify' | 'lambda';

/** What a target must answer: the status and, for a rejection, our `AuthError` code. */
export interface Expected {
  readonly status: number;
  /** Absent when the request succeeds, or when API Gateway answers without asking the authorizer. */
  readonly code?: string;
}

/** One request to one kind of target: the route (`'GET /me'`) and the outcome it must give. */
export interface Step {
  readonly route: string;
  readonly expect: Expected;
}

/** A scenario a target cannot express, with the reason shown in the table. */
export interface NotApplicable {
  readonly notApplicable: string;
}

/** One scripted request, sent to every target. */
export interface Scenario {
  /** Stable identifier, e.g. `'expired'` (used in `--json` output and tests). */
  readonly id: string;
  /** Short label for the table. */
  readonly title: string;
  /** The `Authorization` header to send, minted for each target; `undefined` sends none. */
  readonly authorization: (issuer: TestIssuer) => Promise<string | undefined>;
  /** `'down'`: the issuer's JWKS endpoint refuses connections while the request runs. */
  readonly jwks?: 'down';
  /**
   * `'warm'` (default): the target's verifier fetched the JWKS at startup. `'cold'`: a fresh target
   * whose verifier never did, as right after a deploy or a Lambda cold start.
   */
  readonly verifier?: 'warm' | 'cold';
  /** Express and Fastify. */
  readonly http: Step;
  /** The REST API behind the Lambda TOKEN authorizer. */
  readonly lambda: Step | NotApplicable;
}

const bearer = async (token: Promise<string>): Promise<string> => `Bearer ${await token}`;

/** Two hours ago, in epoch seconds: with the default one-hour lifetime, expired an hour ago. */
const twoHoursAgo = (): number => Math.floor(Date.now() / 1000) - 7200;

/**
 * A genuine token whose payload was edited after signing (here: to join the `admin` group), its
 * signature kept: what an attacker who cannot sign would try.
 *
 * @example
 * const forged = tamper(await issuer.accessToken());
 */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  claims['cognito:groups'] = ['admin'];
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** The demo's script, in the order the table shows it. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'valid',
    title: 'valid access token',
    authorization: (issuer) => bearer(issuer.accessToken()),
    http: { route: 'GET /me', expect: { status: 200 } },
    lambda: { route: 'GET /me', expect: { status: 200 } },
  },
  {
    id: 'admin',
    title: 'access token, admin group',
    authorization: (issuer) => bearer(issuer.accessToken({ groups: ['admin'] })),
    http: { route: 'GET /admin/users', expect: { status: 200 } },
    lambda: { route: 'DELETE /orders/42', expect: { status: 200 } },
  },
  {
    id: 'id-token',
    title: 'ID token (access required)',
    authorization: (issuer) => bearer(issuer.idToken()),
    http: { route: 'GET /me', expect: { status: 401, code: 'invalid_token_use' } },
    lambda: { route: 'GET /me', expect: { status: 401, code: 'invalid_token_use' } },
  },
  {
    id: 'expired',
    title: 'expired access token',
    authorization: (issuer) => bearer(issuer.accessToken({ issuedAt: twoHoursAgo() })),
    http: { route: 'GET /me', expect: { status: 401, code: 'expired' } },
    lambda: { route: 'GET /me', expect: { status: 401, code: 'expired' } },
  },
  {
    id: 'wrong-group',
    title: 'wrong group (viewer)',
    authorization: (issuer) => bearer(issuer.accessToken({ groups: ['viewer'] })),
    http: { route: 'GET /admin/users', expect: { status: 403, code: 'insufficient_group' } },
    lambda: { route: 'DELETE /orders/42', expect: { status: 403, code: 'insufficient_group' } },
  },
  {
    id: 'missing-scope',
    title: 'missing scope',
    // Cognito's default scope only: the orders routes need orders/read or orders/admin.
    authorization: (issuer) => bearer(issuer.accessToken()),
    http: { route: 'GET /orders', expect: { status: 403, code: 'insufficient_scope' } },
    lambda: { route: 'GET /orders', expect: { status: 403, code: 'insufficient_scope' } },
  },
  {
    id: 'tampered',
    title: 'tampered signature',
    authorization: async (issuer) => `Bearer ${tamper(await issuer.accessToken())}`,
    http: { route: 'GET /admin/users', expect: { status: 401, code: 'invalid_signature' } },
    lambda: { route: 'DELETE /orders/42', expect: { status: 401, code: 'invalid_signature' } },
  },
  {
    id: 'no-token',
    title: 'no token',
    authorization: async () => undefined,
    http: { route: 'GET /me', expect: { status: 401, code: 'missing_token' } },
    // API Gateway answers 401 itself when the identity source is missing: the Lambda never runs.
    lambda: { route: 'GET /me', expect: { status: 401 } },
  },
  {
    id: 'jwks-outage',
    title: 'JWKS outage, cold start',
    authorization: (issuer) => bearer(issuer.accessToken()),
    jwks: 'down',
    verifier: 'cold',
    http: { route: 'GET /me', expect: { status: 503, code: 'jwks_unavailable' } },
    lambda: { route: 'GET /me', expect: { status: 500, code: 'jwks_unavailable' } },
  },
  {
    id: 'jwks-outage-cached',
    title: 'JWKS outage, keys cached',
    authorization: (issuer) => bearer(issuer.accessToken()),
    jwks: 'down',
    http: { route: 'GET /me', expect: { status: 200 } },
    lambda: { route: 'GET /me', expect: { status: 200 } },
  },
];

/** The step of `scenario` for a target of this kind, or why it does not apply. */
export function stepFor(scenario: Scenario, kind: 'http' | 'lambda'): Step | NotApplicable {
  return kind === 'http' ? scenario.http : scenario.lambda;
}

/** Splits `'DELETE /orders/42'` into method and path. */
export function parseRoute(route: string): { method: string; path: string } {
  const space = route.indexOf(' ');
  if (space <= 0 || route[space + 1] !== '/')
    throw new TypeError(`route must look like 'GET /path': ${route}`);
  return { method: route.slice(0, space), path: route.slice(space + 1) };
}
