/**
 * Types for the claim sets an Amazon Cognito user pool puts in its ID, access and M2M access tokens
 * (which claim appears in which token follows the Cognito developer guide), and for the overrides a
 * test passes when minting.
 *
 * Known claims are typed so a typo in a common override is caught; the index signature and the untyped
 * `claims` option keep every hostile token possible.
 */

/** Which issuer URL a token names: `cognito-idp.{region}` or the multi-Region `issuer-cognito-idp.{region}`. */
export type IssuerForm = 'regional' | 'global';

/** The signed-in user whose ID and access tokens the issuer mints by default. */
export interface TestUser {
  /** Stable UUID, the `sub` of the user's tokens. */
  sub: string;
  /** `username` in access tokens, `cognito:username` in ID tokens. */
  username: string;
  email: string;
}

/** A federated identity, as listed in the `identities` claim of an ID token. */
export interface CognitoIdentity {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: string;
  dateCreated: string;
}

/** Claims every Cognito token carries. Times are epoch seconds; Cognito issues no `nbf`. */
export interface CognitoTokenClaims {
  sub: string;
  iss: string;
  exp: number;
  iat: number;
  auth_time: number;
  jti: string;
}

/** A user's ID token (`token_use: 'id'`). */
export interface IdTokenClaims extends CognitoTokenClaims {
  token_use: 'id';
  aud: string;
  'cognito:username': string;
  origin_jti: string;
  event_id: string;
  'cognito:groups'?: string[];
  'cognito:roles'?: string[];
  'cognito:preferred_role'?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  identities?: CognitoIdentity[];
  nonce?: string;
  at_hash?: string;
}

/** A user's access token (`token_use: 'access'`): `client_id` and `username`, no `aud`. */
export interface AccessTokenClaims extends CognitoTokenClaims {
  token_use: 'access';
  client_id: string;
  username: string;
  origin_jti: string;
  event_id: string;
  /** Space-separated scopes. */
  scope: string;
  /** Only on tokens from the OAuth endpoints (hosted UI / managed login), e.g. `2`. */
  version?: number;
  'cognito:groups'?: string[];
  device_key?: string;
}

/** A machine-to-machine access token (client credentials grant): `sub` is the app client ID, no user. */
export interface M2mAccessTokenClaims extends CognitoTokenClaims {
  token_use: 'access';
  client_id: string;
  scope: string;
  version: number;
}

/**
 * Per-claim overrides: a known claim takes its own type, any other claim any value, and `undefined`
 * removes the claim from the token.
 */
export type ClaimOverrides<Claims> = { [K in keyof Claims]?: Claims[K] | undefined } & {
  [claim: string]: unknown;
};

/** Options every minting method accepts, next to the claim overrides. */
export interface MintOptions {
  /** Lifetime in seconds (`exp = iat + expiresIn`); the issuer's `tokenLifetimeSeconds` by default. */
  expiresIn?: number;
  /** `iat` and `auth_time` in epoch seconds; the issuer's clock by default. */
  issuedAt?: number;
  /** Merged into the `{ kid, alg }` header; a member set to `undefined` is removed. */
  header?: Record<string, unknown>;
  /** Which issuer URL goes into `iss`; the issuer's `issuerForm` by default. */
  issuerForm?: IssuerForm;
  /**
   * Claims applied last and untyped: for wrongly typed values (`{ exp: 'tomorrow' }`) and for claims
   * whose names collide with these options (`header`, `groups`, ...).
   */
  claims?: Record<string, unknown>;
}

/** Options for user tokens: an empty `groups` array is omitted, as Cognito omits `cognito:groups`. */
export interface UserMintOptions extends MintOptions {
  /** Written as `cognito:groups`. */
  groups?: string[];
}

/** Options for access tokens: `scopes` are joined with spaces into `scope`. */
export interface ScopedMintOptions {
  scopes?: string[];
}

/**
 * How the user signed in: `'password'` (`InitiateAuth` / `AdminInitiateAuth`, the default) or
 * `'oauth'` (the hosted UI / managed login and the token endpoint).
 */
export type SignInFlow = 'password' | 'oauth';

/** Options for user access tokens: the sign-in flow decides `version` and the default scopes. */
export interface FlowMintOptions {
  /**
   * `'password'` (default): no `version`, scope `aws.cognito.signin.user.admin`. `'oauth'`:
   * `version: 2`, scopes `openid email` unless `scopes` says otherwise.
   */
  flow?: SignInFlow;
}

/** Overrides for {@link TestIssuer.idToken}. */
export type IdTokenOverrides = UserMintOptions & ClaimOverrides<IdTokenClaims>;
/** Overrides for {@link TestIssuer.accessToken}. */
export type AccessTokenOverrides = UserMintOptions &
  ScopedMintOptions &
  FlowMintOptions &
  ClaimOverrides<AccessTokenClaims>;
/** Overrides for {@link TestIssuer.m2mToken}. */
export type M2mTokenOverrides = MintOptions & ScopedMintOptions & ClaimOverrides<M2mAccessTokenClaims>;
