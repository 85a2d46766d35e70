/**
 * What the REST, HTTP and WebSocket authorizers share: option validation (at setup, never per
 * request), and one pipeline — read the token, verify it with the core, apply the rules — whose
 * failures are mapped once, here, to exactly what API Gateway needs (see decision.ts).
 *
 * What crosses in is checked here: a verifier passed as an object may be a user's wrapper, so its
 * answer counts only when it is a result of our own verification (`isVerifiedToken`); the hooks may
 * answer promises (awaited) or the wrong type (a 500, reported as `error`, never an Allow); and
 * whatever the event holds ends as a 401 at worst, never as a TypeError.
 */
import {
  AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  checkRules,
  compileRules,
  createVerifier,
  isAuthError,
  isVerifiedToken,
  type VerifiedToken,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
import { buildContext, type ContextHook } from './context.js';
import {
  type AuthorizerDecision,
  type AuthorizerKind,
  AuthorizerUnavailableError,
  type DecisionHook,
  type Outcome,
  report,
  unauthorizedError,
} from './decision.js';
import type { AuthorizerContext } from './events.js';
import { type CompiledSource, compileIdentitySources, type IdentitySource } from './identity.js';
import { type ExecuteApiArn, parseExecuteApiArn } from './method-arn.js';

/** Options every authorizer accepts. */
export interface BaseAuthorizerOptions<Event> {
  /** A verifier created once at init (shared with `hydrate()`), or the options to create one. */
  readonly verifier: Verifier | VerifierOptions;
  /** Rules every request must satisfy; failing them is a 403 (a 401 for `tokenUse`). */
  readonly rules?: AuthRules;
  /** Extra context fields (or a promise of them); values are flattened (lists and objects JSON-encoded). */
  readonly context?: ContextHook<Event>;
  /** The policy principal (or a promise of it). Default: `sub` (the app client id for M2M tokens). */
  readonly principalId?: (auth: VerifiedToken) => string | PromiseLike<string>;
  /** Called with every outcome, for metrics and logs. */
  readonly onDecision?: DecisionHook;
  /** Where REQUEST events carry the token. */
  readonly identity?: IdentitySource | readonly IdentitySource[];
  /** Accept a token without the `Bearer ` scheme. Default true (the REST Cognito authorizer's habit). */
  readonly acceptBareToken?: boolean;
}

/**
 * The result of reading and verifying a token: the token (with the 403 it earns when the global
 * rules fail), or the AuthError that makes it a 401 or, for a 503 (`jwks_unavailable`, `revocation_unavailable`), an outage.
 */
export type Authentication =
  | { readonly auth: VerifiedToken; readonly forbidden: AuthError | undefined; readonly failure?: undefined }
  | { readonly auth?: undefined; readonly forbidden?: undefined; readonly failure: AuthError };

type ReportDetails = { code?: AuthorizerDecision['code']; principalId?: string; error?: unknown };

const BASE_KEYS = [
  'verifier',
  'rules',
  'context',
  'principalId',
  'onDecision',
  'identity',
  'acceptBareToken',
];

export function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate: ${message}`);
}

function isVerifier(value: unknown): value is Verifier {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Verifier).verify === 'function' &&
    typeof (value as Verifier).hydrate === 'function'
  );
}

/** A `Verifier` as given, or one created from options (validated now). */
export function resolveVerifier(value: Verifier | VerifierOptions | undefined): Verifier {
  if (value === undefined || value === null) fail('the verifier option is required');
  return isVerifier(value) ? value : createVerifier(value);
}

function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') fail(`${name} must be a function`);
}

/** The shared, validated part of an authorizer. */
export class AuthorizerCore<Event> {
  readonly verifier: Verifier;
  readonly rules: CompiledRules | undefined;
  readonly sources: readonly CompiledSource[];
  readonly acceptBare: boolean;
  readonly #kind: AuthorizerKind;
  readonly #contextHook: ContextHook<Event> | undefined;
  readonly #principalHook: ((auth: VerifiedToken) => string | PromiseLike<string>) | undefined;
  readonly #onDecision: DecisionHook | undefined;

  constructor(
    kind: AuthorizerKind,
    options: BaseAuthorizerOptions<Event>,
    extraKeys: readonly string[],
    defaultSources: readonly IdentitySource[],
  ) {
    if (typeof options !== 'object' || options === null)
      fail(`the ${kind} authorizer needs an options object`);
    const allowed = new Set([...BASE_KEYS, ...extraKeys]);
    const unknown = Object.keys(options).filter((key) => !allowed.has(key));
    if (unknown.length > 0) fail(`unknown option ${unknown.join(', ')} for the ${kind} authorizer`);
    optionalFunction(options.context, 'context');
    optionalFunction(options.principalId, 'principalId');
    optionalFunction(options.onDecision, 'onDecision');
    if (options.acceptBareToken !== undefined && typeof options.acceptBareToken !== 'boolean') {
      fail('acceptBareToken must be a boolean');
    }
    this.#kind = kind;
    this.verifier = resolveVerifier(options.verifier);
    this.rules = options.rules === undefined ? undefined : compileRules(options.rules);
    this.sources = compileIdentitySources(options.identity, defaultSources);
    this.acceptBare = options.acceptBareToken ?? true;
    this.#contextHook = options.context;
    this.#principalHook = options.principalId;
    this.#onDecision = options.onDecision;
  }

  /**
   * Read and verify the token, then apply the global rules. Returns AuthErrors rather than throwing
   * them: a 403 needs the principal, and some callers answer a 401 with a Deny instead of the
   * Unauthorized error. Anything else (a broken verifier) is thrown, already reported.
   */
  async authenticate<E>(readToken: (event: E) => string, event: E): Promise<Authentication> {
    let token: string;
    try {
      token = readToken(event);
    } catch (error) {
      // Reading the event is ours: whatever it holds, the request is malformed, not a fault.
      return {
        failure: isAuthError(error)
          ? error
          : new AuthError('invalid_request', { detail: 'unreadable event' }),
      };
    }
    let auth: unknown;
    try {
      auth = await this.verifier.verify(token);
    } catch (error) {
      if (isAuthError(error)) return { failure: error };
      throw this.rejection(error);
    }
    if (!isVerifiedToken(auth)) {
      // A wrapper answering `{}`, `true` or a copy: not authenticated, and not the client's fault.
      throw this.rejection(
        new ConfigurationError('cognito-gate: the verifier answered something that is not a verified token'),
      );
    }
    if (this.rules === undefined) return { auth, forbidden: undefined };
    try {
      checkRules(auth, this.rules);
      return { auth, forbidden: undefined };
    } catch (error) {
      if (!isAuthError(error)) throw this.rejection(error);
      // tokenUse rules fail with a 401 (wrong kind of token), groups/scopes/claims with a 403.
      return error.status === 403 ? { auth, forbidden: error } : { failure: error };
    }
  }

  /**
   * The error to throw for a failure, reported: `Unauthorized` for 401s, the outage error when no
   * keys are available, anything else as it is (a 500).
   *
   * @example
   * if (failure !== undefined) throw core.rejection(failure);
   */
  rejection(error: unknown, principalId?: string): unknown {
    if (isAuthError(error)) {
      // Every 503 is an outage (no keys, or a deny-list past its staleness bound), never a 401.
      if (error.status === 503) {
        this.report('unavailable', { code: error.code, error });
        return new AuthorizerUnavailableError(error);
      }
      this.report('unauthorized', { code: error.code, principalId, error });
      return unauthorizedError();
    }
    this.report('error', { principalId, error });
    return error;
  }

  /** The event's execute-api ARN, or the 401 for a malformed event. */
  arnOf(value: unknown, field: string): ExecuteApiArn {
    const arn = parseExecuteApiArn(value);
    if (arn === undefined) throw this.eventRejection(`${field} is not an execute-api ARN`);
    return arn;
  }

  /** A malformed event (no usable ARN): 401, reported as `invalid_event`. */
  eventRejection(detail: string): Error {
    this.report('unauthorized', { code: 'invalid_event', error: new Error(detail) });
    return unauthorizedError();
  }

  /** The policy principal: never empty (an empty principalId is a 500). */
  async principal(auth: VerifiedToken): Promise<string> {
    const principal: unknown =
      this.#principalHook === undefined ? defaultPrincipal(auth) : await this.#principalHook(auth);
    if (typeof principal !== 'string' || principal.length === 0) {
      throw new ConfigurationError('cognito-gate: principalId must return a non-empty string');
    }
    return principal;
  }

  context(auth: VerifiedToken, event: Event): Promise<AuthorizerContext> {
    return buildContext(auth, event, this.#contextHook);
  }

  report(outcome: Outcome, details?: ReportDetails): void {
    report(this.#onDecision, this.#kind, outcome, details);
  }
}

/** `sub`, or for machine-to-machine tokens the app client id (they are equal for Cognito M2M). */
export function defaultPrincipal(auth: VerifiedToken): string {
  return auth.isMachine ? auth.clientId : auth.sub;
}
