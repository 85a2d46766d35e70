/**
 * `@cognito-gate/testing`: a local issuer shaped like an Amazon Cognito user pool (its tokens' headers,
 * claim sets and JWKS), a loopback JWKS server with fault injection, and raw signing for hostile tokens.
 */
export type {
  AccessTokenClaims,
  AccessTokenOverrides,
  ClaimOverrides,
  CognitoIdentity,
  CognitoTokenClaims,
  FlowMintOptions,
  IdTokenClaims,
  IdTokenOverrides,
  IssuerForm,
  M2mAccessTokenClaims,
  M2mTokenOverrides,
  MintOptions,
  ScopedMintOptions,
  SignInFlow,
  TestUser,
  UserMintOptions,
} from './claims.js';
export type { JwksFault } from './faults.js';
export { createTestIssuer } from './issuer.js';
export type { JwksServer, JwksServerOptions } from './jwks-server.js';
export { startJwksServer } from './jwks-server.js';
export type { GenerateSigningKeyOptions, Jwk, JwksDocument, PublicJwk, SigningKey } from './keys.js';
export { generateKid, generateSigningKey } from './keys.js';
export type { PrivateKeyInput, Segment } from './sign.js';
export { encodeSegments, signToken } from './sign.js';
export type {
  ListenOptions,
  RefreshOptions,
  RotateKeysOptions,
  SignInOptions,
  SignInSession,
  SignOptions,
  TestIssuer,
  TestIssuerOptions,
} from './test-issuer.js';
