/**
 * Options of `cognitoAuth()` and a standalone `requireAuth()`: the verifier (options for a new one,
 * or an existing one) plus how this adapter finds tokens and renders failures. Everything is
 * validated here, once, when the middleware is built; a mistake throws a ConfigurationError at
 * startup instead of surfacing on the first request.
 */
import {
  type AuthError,
  type CompiledRules,
  createVerifier,
  realmProblem,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
import type { Request } from 'express';
import { fail } from './fail.js';
import type { ErrorMode, RejectSettings } from './reject.js';
import { compileExclude, type ExcludeOption, type Exclusion } from './request-filter.js';
import { resolveTokenSources, type TokenSourceOptions, type TokenSources } from './token-source.js';

/** How the Express adapter behaves, whatever the verifier. */
export interface ExpressAuthOptions extends TokenSourceOptions {
  /**
   * `'required'` (default): a request without a token is rejected with `missing_token`.
   * `'optional'`: it passes with `req.auth` undefined; an invalid token is still rejected.
   */
  readonly mode?: 'required' | 'optional';
  /** `'respond'` (default): the middleware answers. `'next'`: the AuthError goes to `next(err)`. */
  readonly errors?: ErrorMode;
  /**
   * The `realm` of `WWW-Authenticate` challenges. Default `'api'`. Printable ASCII without `"` or
   * `\`, at most 256 characters: anything else could not be sent in a header.
   */
  readonly realm?: string;
  /**
   * Paths let through without authentication (health checks), matched against `req.path`. A
   * `requireAuth()` on such a path still demands a token.
   */
  readonly exclude?: ExcludeOption;
  /**
   * CORS preflights (`OPTIONS` with `Access-Control-Request-Method`, sent without credentials).
   * `'authenticate'` (default): treated like any request, so mount CORS middleware before this one
   * to answer them. `'respond'`: ended here with `204`, and nothing after this middleware runs; for
   * apps whose CORS headers are added in front of them (API Gateway, a proxy).
   */
  readonly preflight?: PreflightMode;
  /** Called with every rejection (its `detail` is for logs only), before it is rendered. */
  readonly onReject?: (error: AuthError, req: Request) => void;
}

/** How `cognitoAuth()` treats CORS preflights; see `ExpressAuthOptions.preflight`. */
export type PreflightMode = 'authenticate' | 'respond';

/** An existing verifier, shared between middlewares or with other code. */
export interface ExistingVerifier {
  readonly verifier: Verifier;
}

/**
 * Verifier options (a new verifier is created) or `{ verifier }`, plus the adapter's options.
 * (`verifier?: never` makes the two exclusive in a way TypeScript also checks for spread objects.)
 */
export type CognitoAuthOptions = ExpressAuthOptions &
  ((VerifierOptions & { readonly verifier?: never }) | ExistingVerifier);

/** Everything one middleware instance needs per request, resolved once. */
export interface AuthContext extends RejectSettings {
  readonly verifier: Verifier;
  readonly optional: boolean;
  readonly sources: TokenSources;
  readonly exclude: Exclusion | undefined;
  /** `preflight: 'respond'`: end CORS preflights with 204 before anything else. */
  readonly respondToPreflight: boolean;
  /** Route rules of a standalone `requireAuth`; checked by the verifier with the token. */
  readonly rules: CompiledRules | undefined;
}

const ADAPTER_KEYS = new Set([
  'mode',
  'errors',
  'realm',
  'exclude',
  'preflight',
  'onReject',
  'header',
  'cookie',
  'query',
  'getToken',
  'verifier',
]);

/** True when `options` names a verifier or verifier options (a standalone `requireAuth`). */
export function hasVerifierSource(options: object): boolean {
  return 'verifier' in options || Object.keys(options).some((key) => !ADAPTER_KEYS.has(key));
}

function verifierFrom(options: CognitoAuthOptions): Verifier {
  const all = options as unknown as Record<string, unknown>;
  const verifierOptions: Record<string, unknown> = {};
  for (const key of Object.keys(all)) if (!ADAPTER_KEYS.has(key)) verifierOptions[key] = all[key];
  if (!('verifier' in options)) return createVerifier(verifierOptions as unknown as VerifierOptions);
  const keys = Object.keys(verifierOptions);
  if (keys.length > 0) {
    fail(
      `unknown option${keys.length > 1 ? 's' : ''} ${keys.join(', ')} (verifier options go to createVerifier() when you pass a verifier)`,
    );
  }
  const { verifier } = options;
  // verifyDirect is what every request calls: a look-alike without it fails now, not per request.
  if (
    typeof verifier !== 'object' ||
    verifier === null ||
    typeof verifier.verify !== 'function' ||
    typeof verifier.verifyDirect !== 'function'
  ) {
    fail('verifier must be a verifier from createVerifier()');
  }
  return verifier;
}

/**
 * Validate options into the context a middleware closes over.
 *
 * @example
 * const context = resolveAuthContext({ userPoolId, clientId, mode: 'optional' }, undefined);
 */
export function resolveAuthContext(
  options: CognitoAuthOptions,
  rules: CompiledRules | undefined,
): AuthContext {
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const {
    mode = 'required',
    errors = 'respond',
    realm = 'api',
    exclude,
    preflight = 'authenticate',
    onReject,
  } = options;
  if (mode !== 'required' && mode !== 'optional') fail(`mode must be 'required' or 'optional'`);
  if (errors !== 'respond' && errors !== 'next') fail(`errors must be 'respond' or 'next'`);
  // Checked now: a realm that cannot go in a header would break every rejection later.
  const problem = realmProblem(realm);
  if (problem !== undefined) fail(`realm ${problem}`);
  if (preflight !== 'authenticate' && preflight !== 'respond') {
    fail(`preflight must be 'authenticate' or 'respond'`);
  }
  if (onReject !== undefined && typeof onReject !== 'function') fail('onReject must be a function');
  const sources = resolveTokenSources(options);
  const excluded = compileExclude(exclude);
  // Last, so that an invalid adapter option never leaves a verifier behind.
  const verifier = verifierFrom(options);
  return {
    verifier,
    optional: mode === 'optional',
    sources,
    exclude: excluded,
    respondToPreflight: preflight === 'respond',
    rules,
    errors,
    realm,
    onReject,
  };
}
