/**
 * @cognito-gate/core: verify Amazon Cognito ID and access tokens, strictly and fast.
 */
export type { OidcAlgorithm } from './algorithms.js';
export { parseBearer } from './bearer.js';
export { type CombineOptions, combineVerifiers } from './combine-verifiers.js';
export { COOKIE_NAME, type CookieLookup, cookieToken, readCookie } from './cookie.js';
export { readCustomToken } from './custom-token.js';
export { type DecodedToken, decodeToken } from './decode.js';
export {
  createDenyList,
  type DenyList,
  type DenyListEvent,
  type DenyListOptions,
  type DenyListState,
} from './deny-list.js';
export type { DenyEntry, DenyListStore, DenyStoreListener, DenyStoreStatus } from './deny-list-store.js';
export { type EmulatorKind, type EmulatorPoolOptions, emulatorPool } from './emulators.js';
export {
  AUTH_ERROR_CODES,
  AuthError,
  type AuthErrorCode,
  type AuthErrorOptions,
  type BearerErrorAttribute,
  isAuthError,
} from './errors.js';
export type { JwksEvent, JwksEventType, JwksFetchReason } from './events.js';
export { type ImportedKey, importJwk, importJwks, type KeySet } from './jwk.js';
export type { HydrateResult } from './jwks-cache.js';
export type { JwksFailureCause, JwksFailureCauseKind } from './jwks-failure.js';
export { type JwksFetchFunction, readCappedText } from './jwks-fetch.js';
export { importOidcJwk, importOidcJwks } from './key-policy.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export type { OidcVerifierOptions } from './oidc-options.js';
export { createOidcVerifier } from './oidc-verifier.js';
export {
  ConfigurationError,
  type JwksOptions,
  type PoolOptions,
  type TokenUseOption,
  type VerifierOptions,
} from './options.js';
export { globalIssuer, jwksUriOf, partitionDomain, poolRegion, regionalIssuer } from './pools.js';
export { singleHeaderValue } from './raw-headers.js';
export {
  type AuthRules,
  type ClaimRule,
  type CompiledRules,
  checkRules,
  compileRules,
  type Requirement,
} from './rules.js';
export { ignoreRejection, isThenable } from './thenable.js';
export type {
  CognitoAccessTokenClaims,
  CognitoClaims,
  CognitoCommonClaims,
  CognitoIdentity,
  CognitoIdTokenClaims,
  JwtHeader,
  JwtPayload,
  TokenUse,
  VerifiedToken,
} from './types.js';
export { isVerifiedToken } from './verified-token.js';
export { createVerifier, type HydrateReport, type Verifier } from './verifier.js';
export {
  authErrorHeaders,
  type ChallengeOptions,
  quoteHeaderValue,
  realmProblem,
  wwwAuthenticate,
} from './www-authenticate.js';
