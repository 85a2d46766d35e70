/**
 * `@cognito-gate/core/cognito`: sign-out helpers that call Cognito and write the deny-list entry,
 * and a live `GetUser` check for high-risk routes. A separate entry point so that importing
 * `@cognito-gate/core` never loads the AWS SDK (an optional peer dependency).
 */
export { createLiveCheck, type LiveCheck, type LiveCheckOptions } from './live-check.js';
export {
  type AdminSignOutOptions,
  adminSignOut,
  type GlobalSignOutOptions,
  globalSignOut,
  type RevokeRefreshTokenOptions,
  revokeRefreshToken,
  type SignOutDenyList,
  SignOutError,
  type SignOutErrorCode,
} from './sign-out.js';
