/**
 * `@cognito-gate/testing`: a local issuer that looks exactly like an Amazon Cognito user pool to a
 * JWT verifier, a loopback JWKS server with fault injection, and raw signing for hostile tokens.
 */
export type {
  AccessTokenClaims,
  AccessTokenOverrides,
  ClaimOverrides,
  CognitoIdentity,
  CognitoTokenClaims,
  IdTokenClaims,
  IdTokenOverrides,
  IssuerForm,
  M2mAccessTokenClaims,
  M2mTokenOverrides,
  MintOptions,
  ScopedMintOptions,
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
  RotateKeysOptions,
  SignOptions,
  TestIssuer,
  TestIssuerOptions,
} from './test-issuer.js';
