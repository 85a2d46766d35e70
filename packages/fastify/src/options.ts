/**
 * Plugin options: their public shape, and their validation at registration time. The options object
 * mixes verifier options (handed to `createVerifier`, which rejects unknown keys) with the plugin's
 * own; a mistake fails `app.ready()` with a `ConfigurationError` instead of weakening a route.
 */
import {
  ConfigurationError,
  createVerifier,
  realmProblem,
  type Verifier,
  type VerifierOptions,
} from '@cognito-gate/core';
import { compileRouteAuth, type RoutePolicy } from './route-policy.js';
import type { ErrorMode, RouteAuth, TokenGetter } from './types.js';

/** The plugin's own options (everything that is not a verifier option). */
export interface CognitoGatePluginOptions {
  /** Auth for routes without `config.auth`. Default `false` (routes opt in). */
  readonly defaultAuth?: RouteAuth;
  /** `'reply'` (default): the route hooks answer rejections themselves; `'throw'`: your error handler does. */
  readonly errorMode?: ErrorMode;
  /**
   * The `realm` of `WWW-Authenticate`. Default `'api'`. Printable ASCII without `"` or `\`, at most
   * 256 characters: anything else could not be sent in a header.
   */
  readonly realm?: string;
  /** Read the bare token from elsewhere (a cookie, another header). Default: `Authorization: Bearer`. */
  readonly getToken?: TokenGetter;
  /** Prefetch the JWKS in `onReady` (a failure is logged, never fatal). Default `false`. */
  readonly hydrate?: boolean;
}

/** Verifier options next to the plugin's: the plugin creates the verifier and closes it on `app.close()`. */
export type CognitoGateOwnVerifierOptions = VerifierOptions & { readonly verifier?: undefined };

/** An existing verifier: the plugin uses it and leaves closing it to its owner. */
export type CognitoGateSharedVerifierOptions = { readonly verifier: Verifier } & {
  readonly [K in keyof VerifierOptions]?: never;
};

/** Options of `app.register(cognitoGate, options)`. */
export type CognitoGateOptions = CognitoGatePluginOptions &
  (CognitoGateOwnVerifierOptions | CognitoGateSharedVerifierOptions);

/** Validated options, in the form the hooks read. */
export interface ResolvedPluginOptions {
  readonly verifier: Verifier;
  /** True when the plugin created the verifier and so must close it. */
  readonly ownsVerifier: boolean;
  readonly defaultPolicy: RoutePolicy;
  readonly errorMode: ErrorMode;
  readonly realm: string;
  readonly getToken: TokenGetter | undefined;
  readonly hydrate: boolean;
}

const PLUGIN_KEYS: ReadonlySet<string> = new Set([
  'defaultAuth',
  'errorMode',
  'realm',
  'getToken',
  'hydrate',
]);
// Options Fastify's `register` itself understands; it passes them to the plugin too.
const REGISTER_KEYS: ReadonlySet<string> = new Set(['prefix', 'logLevel', 'logSerializers']);

function fail(message: string): never {
  throw new ConfigurationError(`cognito-gate: ${message}`);
}

function isVerifier(value: unknown): value is Verifier {
  const candidate = value as Partial<Verifier> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.verify === 'function' &&
    // What every request calls: a look-alike without it fails at startup, not per request.
    typeof candidate.verifyDirect === 'function' &&
    typeof candidate.verifyAuthorization === 'function' &&
    typeof candidate.close === 'function'
  );
}

function verifierFrom(options: Record<string, unknown>): { verifier: Verifier; ownsVerifier: boolean } {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    if (!PLUGIN_KEYS.has(key) && !REGISTER_KEYS.has(key) && key !== 'verifier') rest[key] = options[key];
  }
  if (options.verifier === undefined) {
    return { verifier: createVerifier(rest as unknown as VerifierOptions), ownsVerifier: true };
  }
  if (!isVerifier(options.verifier)) fail('verifier must be a verifier made by createVerifier()');
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    fail(`pass either a verifier or verifier options, not both (got verifier and ${extra.join(', ')})`);
  }
  return { verifier: options.verifier, ownsVerifier: false };
}

/**
 * Validate plugin options and build (or adopt) the verifier. Throws `ConfigurationError`.
 *
 * @example
 * const resolved = resolvePluginOptions({ userPoolId: 'us-east-1_Abc123', clientId: 'abc', defaultAuth: true });
 */
export function resolvePluginOptions(options: CognitoGateOptions): ResolvedPluginOptions {
  if (typeof options !== 'object' || options === null) fail('the plugin needs an options object');
  const raw = options as unknown as CognitoGatePluginOptions & Record<string, unknown>;
  const errorMode = raw.errorMode ?? 'reply';
  if (errorMode !== 'reply' && errorMode !== 'throw') fail(`errorMode must be 'reply' or 'throw'`);
  const realm = raw.realm ?? 'api';
  // Checked now: a realm that cannot go in a header would break every rejection later.
  const problem = realmProblem(realm);
  if (problem !== undefined) fail(`realm ${problem}`);
  if (raw.getToken !== undefined && typeof raw.getToken !== 'function') fail('getToken must be a function');
  if (raw.hydrate !== undefined && typeof raw.hydrate !== 'boolean') fail('hydrate must be a boolean');
  // Compile the default before creating the verifier: nothing to close if it is wrong.
  const defaultPolicy = compileRouteAuth(raw.defaultAuth ?? false, 'defaultAuth');
  return {
    ...verifierFrom(raw),
    defaultPolicy,
    errorMode,
    realm,
    getToken: raw.getToken,
    hydrate: raw.hydrate ?? false,
  };
}
