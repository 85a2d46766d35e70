/**
 * Shapes of Cognito tokens (spec §1.2) and of a verified result. Claim interfaces are open
 * (`[claim: string]: unknown`) because pre token generation triggers add arbitrary claims.
 */

export interface JwtHeader {
  readonly alg: string;
  readonly kid: string;
  readonly typ?: string;
  readonly [member: string]: unknown;
}

export interface JwtPayload {
  readonly [claim: string]: unknown;
}

/** Claims common to every Cognito user pool token. */
export interface CognitoCommonClaims extends JwtPayload {
  readonly sub: string;
  readonly iss: string;
  readonly exp: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly auth_time?: number;
  readonly jti?: string;
  readonly origin_jti?: string;
  readonly event_id?: string;
  readonly 'cognito:groups'?: readonly string[];
}

export interface CognitoIdTokenClaims extends CognitoCommonClaims {
  readonly token_use: 'id';
  readonly aud: string;
  readonly 'cognito:username': string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly phone_number?: string;
  readonly phone_number_verified?: boolean;
  readonly 'cognito:roles'?: readonly string[];
  readonly 'cognito:preferred_role'?: string;
  readonly identities?: readonly CognitoIdentity[];
  readonly at_hash?: string;
  readonly nonce?: string;
  /** `custom:*` attributes; Cognito writes them as strings. */
  readonly [custom: `custom:${string}`]: unknown;
}

export interface CognitoIdentity {
  readonly userId: string;
  readonly providerName: string;
  readonly providerType: string;
  readonly issuer: string | null;
  readonly primary: string | boolean;
  readonly dateCreated: string | number;
}

export interface CognitoAccessTokenClaims extends CognitoCommonClaims {
  readonly token_use: 'access';
  readonly client_id: string;
  /** Only with resource binding (RFC 8707): the resource server(s) the token is for. */
  readonly aud?: string | readonly string[];
  /** Absent on machine-to-machine (client credentials) tokens. */
  readonly username?: string;
  readonly scope?: string;
  readonly version?: number;
  readonly device_key?: string;
}

export type CognitoClaims = CognitoIdTokenClaims | CognitoAccessTokenClaims;

export type TokenUse = 'id' | 'access';

/**
 * The result of a successful verification. Everything is frozen: a cached result is shared by every
 * request that presents the same token.
 */
export interface VerifiedToken<Claims extends JwtPayload = CognitoClaims> {
  /** The token exactly as presented. */
  readonly token: string;
  readonly header: JwtHeader;
  readonly claims: Claims;
  /** The principal: the user's `sub`, or the app client id for machine-to-machine tokens. */
  readonly sub: string;
  readonly tokenUse: TokenUse;
  /** `aud` of an ID token, `client_id` of an access token. */
  readonly clientId: string;
  /** `cognito:username` or `username`; undefined for machine-to-machine tokens. */
  readonly username: string | undefined;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  /** True for client-credentials access tokens (no user). */
  readonly isMachine: boolean;
  /** The exact `iss` of the token: which configured issuer verified it (Cognito pool or other OIDC issuer). */
  readonly issuer: string;
  /** The Cognito user pool id; `''` for tokens of other OIDC issuers (`createOidcVerifier`). */
  readonly userPoolId: string;
  readonly expiresAt: Date;
}
