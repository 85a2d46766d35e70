/**
 * The public shape of the test issuer: what a test can read from it and ask of it, and the options
 * that configure it. Kept apart from the implementation so the contract reads in one place.
 */
import type {
  AccessTokenOverrides,
  IdTokenOverrides,
  IssuerForm,
  M2mTokenOverrides,
  SignInFlow,
  TestUser,
} from './claims.js';
import type { JwksServer } from './jwks-server.js';
import type { Jwk, JwksDocument } from './keys.js';
import type { PrivateKeyInput, Segment } from './sign.js';

/** Options for {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** Default `'us-east-1_TestPool01'`. */
  userPoolId?: string;
  /** App client ID; default `'testclient0000000000000001'` (26 characters, like Cognito's). */
  clientId?: string;
  /** Default: the part of `userPoolId` before `_`. */
  region?: string;
  /** Issuer URL written into `iss` unless a token says otherwise; default `'regional'`. */
  issuerForm?: IssuerForm;
  /** Clock in epoch milliseconds for `iat`, `exp` and `auth_time`; default `Date.now`. */
  now?: () => number;
  /** Token lifetime; default 3600 (Cognito's default of 60 minutes). */
  tokenLifetimeSeconds?: number;
  /** The user of ID and access tokens; a random `sub`, `testuser`, `testuser@example.com` by default. */
  user?: Partial<TestUser>;
}

/** Options for {@link TestIssuer.signIn}. */
export interface SignInOptions {
  /**
   * `'password'` (default, `InitiateAuth`): the access token has no `version` and the scope
   * `aws.cognito.signin.user.admin`. `'oauth'` (hosted UI / managed login): `version: 2` on the access
   * token, scopes `openid email` by default, and an `at_hash` in the ID token.
   */
  flow?: SignInFlow;
  /** `cognito:groups` of both tokens. */
  groups?: string[];
  /** Scopes of the access token. */
  scopes?: string[];
  /** The sign-in time (`auth_time`, and `iat` of the first tokens), epoch seconds; the issuer's clock by default. */
  issuedAt?: number;
  /** Lifetime of both tokens; the issuer's `tokenLifetimeSeconds` by default. */
  expiresIn?: number;
  issuerForm?: IssuerForm;
  /** Claim overrides for the ID token only (applied as in {@link TestIssuer.idToken}). */
  id?: IdTokenOverrides;
  /** Claim overrides for the access token only (applied as in {@link TestIssuer.accessToken}). */
  access?: AccessTokenOverrides;
}

/** Options for {@link SignInSession.refresh}. */
export interface RefreshOptions {
  /** `iat` of the new tokens, epoch seconds; the issuer's clock by default. */
  issuedAt?: number;
  expiresIn?: number;
  /** Group membership at refresh time (Cognito re-reads it); the sign-in's groups by default. */
  groups?: string[];
  /**
   * Keep the sign-in's `event_id`. By default a refresh gets a new `event_id`, shared by its ID and
   * access token, as cognito-local does: the spec does not say what real Cognito does here, so code
   * that needs a stable session key should use `origin_jti`, which a refresh keeps.
   */
  keepEventId?: boolean;
  id?: IdTokenOverrides;
  access?: AccessTokenOverrides;
}

/** The tokens of one sign-in (or of a refresh of it). */
export interface SignInSession {
  readonly idToken: string;
  readonly accessToken: string;
  /** Shared by both tokens and by every refresh of this sign-in. */
  readonly originJti: string;
  /** Shared by both tokens of this sign-in (or refresh). */
  readonly eventId: string;
  /** The sign-in time (epoch seconds): `auth_time` of both tokens, kept by refreshes. */
  readonly authTime: number;
  /** New tokens from the refresh token: same `origin_jti` and `auth_time`, new `jti` and `iat`. */
  refresh(options?: RefreshOptions): Promise<SignInSession>;
}

/** Options for {@link TestIssuer.sign}. */
export interface SignOptions {
  /** The issuer's `'access'` key (default) or `'id'` key, or any RSA private key. */
  key?: 'id' | 'access' | PrivateKeyInput;
}

/** Options for {@link TestIssuer.rotateKeys}. */
export interface RotateKeysOptions {
  /** Remove the previous signing keys from the JWKS at once instead of keeping them. */
  dropPrevious?: boolean;
}

/** Options for {@link TestIssuer.listen}. */
export interface ListenOptions {
  /** Port on 127.0.0.1; a free one by default. */
  port?: number;
}

/** A Cognito-shaped token issuer for tests. Create one with {@link createTestIssuer}. */
export interface TestIssuer {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` */
  readonly issuer: string;
  /** `https://issuer-cognito-idp.{region}.amazonaws.com/{userPoolId}` (multi-Region replication). */
  readonly globalIssuer: string;
  readonly user: Readonly<TestUser>;
  /** A fresh copy of the public JWKS now served: current keys first, no private members. */
  readonly jwks: JwksDocument;
  /** Key IDs of the keys that sign new ID and access tokens. */
  readonly keyIds: { readonly id: string; readonly access: string };
  /** The loopback JWKS server and its fault controls. Throws before {@link TestIssuer.listen}. */
  readonly server: JwksServer;
  /** The loopback JWKS URL. Throws before {@link TestIssuer.listen}. */
  readonly jwksUri: string;
  /**
   * Mints a user's ID token: `aud`, `cognito:username`, `email`; no `client_id`. It has its own
   * `origin_jti` and `event_id` (see {@link TestIssuer.signIn}).
   *
   * @example
   * ```ts
   * const token = await issuer.idToken({ groups: ['admin'], 'custom:tenant': 'acme' });
   * ```
   */
  idToken(overrides?: IdTokenOverrides): Promise<string>;
  /**
   * Mints a user's access token as from a password sign-in: `client_id`, `username`, `scope`; no
   * `aud`, and no `version` unless `flow: 'oauth'`. It has its own `origin_jti` and `event_id`: use
   * {@link TestIssuer.signIn} for an ID and access token of one sign-in. Any claim can be overridden;
   * `undefined` removes it.
   *
   * @example
   * ```ts
   * const admin = await issuer.accessToken({ groups: ['admin'], scopes: ['orders/read'] });
   * const expired = await issuer.accessToken({ issuedAt: nowSeconds - 7200, expiresIn: 3600 });
   * const noExp = await issuer.accessToken({ exp: undefined });
   * const foreign = await issuer.accessToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' });
   * ```
   */
  accessToken(overrides?: AccessTokenOverrides): Promise<string>;
  /**
   * Signs a user in: an ID and an access token that share `origin_jti`, `event_id` and `auth_time`,
   * as one Cognito sign-in returns them, and a `refresh()` for later tokens of the same session.
   *
   * @example
   * ```ts
   * const session = await issuer.signIn({ groups: ['admin'] });
   * const later = await session.refresh(); // same origin_jti and auth_time, new jti and iat
   * const hostedUi = await issuer.signIn({ flow: 'oauth', scopes: ['openid', 'orders/read'] });
   * ```
   */
  signIn(options?: SignInOptions): Promise<SignInSession>;
  /**
   * Mints a client-credentials access token: `sub` is the client ID, custom scopes, no user claims.
   *
   * @example
   * ```ts
   * const token = await issuer.m2mToken({ scopes: ['orders/write'] });
   * ```
   */
  m2mToken(overrides?: M2mTokenOverrides): Promise<string>;
  /**
   * Signs exactly this header and payload with RS256, adding and checking nothing: for tokens no
   * well-behaved library would make.
   *
   * @example
   * ```ts
   * const claims = decodeJwt(await issuer.accessToken());
   * const algNone = await issuer.sign({ kid: issuer.keyIds.access, alg: 'none' }, claims);
   * const idKeyForAccess = await issuer.sign({ kid: issuer.keyIds.access, alg: 'RS256' }, claims, { key: 'id' });
   * ```
   */
  sign(header: Segment, payload: Segment, options?: SignOptions): Promise<string>;
  /**
   * Generates new ID and access keys, published first. The previous pair stays in the JWKS (as during
   * a Cognito rotation) until the next rotation, or is dropped at once with `dropPrevious`. Keys added
   * with `addKey` are kept.
   *
   * @example
   * ```ts
   * const before = await issuer.accessToken();
   * await issuer.rotateKeys({ dropPrevious: true });
   * // `before` now names a kid the JWKS no longer has
   * ```
   */
  rotateKeys(options?: RotateKeysOptions): Promise<void>;
  /** Removes a key from the JWKS (it keeps signing if it is current). Returns whether it was there. */
  removeKey(kid: string): boolean;
  /** Publishes an arbitrary JWK verbatim, e.g. a weak or private key, at the end of the JWKS. */
  addKey(jwk: Jwk): void;
  /**
   * Serves the JWKS at `/{userPoolId}/.well-known/jwks.json` on 127.0.0.1 and returns the server,
   * which also stays reachable as {@link TestIssuer.server}. Idempotent.
   *
   * @example
   * ```ts
   * const { jwksUri } = await issuer.listen();
   * const verifier = createVerifier({ userPoolId: issuer.userPoolId, clientId: issuer.clientId, jwks: { uri: jwksUri } });
   * await issuer.server.setFault({ type: 'down' });
   * ```
   */
  listen(options?: ListenOptions): Promise<JwksServer>;
  /** Closes the JWKS server, if any. Idempotent. */
  close(): Promise<void>;
}
