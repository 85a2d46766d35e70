/**
 * Builds the claim sets of Cognito tokens and applies overrides to them.
 *
 * Claims are built in an order seen in real Cognito tokens, so a decoded test token reads like one;
 * Cognito's own order varies, so nothing should depend on it.
 * An override replaces a claim in place, adds a new one at the end, or (with the value `undefined`)
 * removes it: that is how a test makes a token without `exp` or with a foreign `iss`. A token minted
 * alone gets fresh `jti`, `origin_jti` and `event_id` values, as if it came from a sign-in of its
 * own; the tokens of one `signIn()` share a {@link SessionClaims}.
 */
import { randomUUID } from 'node:crypto';
import type {
  AccessTokenOverrides,
  FlowMintOptions,
  IdTokenOverrides,
  IssuerForm,
  M2mTokenOverrides,
  MintOptions,
  ScopedMintOptions,
  TestUser,
  UserMintOptions,
} from './claims.js';

/** What the builders need from the issuer. */
export interface MintContext {
  issuerFor(form: IssuerForm | undefined): string;
  clientId: string;
  user: TestUser;
  /** The issuer clock, in epoch seconds. */
  nowSeconds: number;
  lifetimeSeconds: number;
  /** Set for the tokens of one sign-in: they share these values. */
  session?: SessionClaims;
}

/** What the ID and access token of one sign-in (and its refreshes) have in common. */
export interface SessionClaims {
  originJti: string;
  eventId: string;
  authTime: number;
  /** The ID token's `at_hash` (OAuth flows): the left half of SHA-256 of the access token. */
  atHash?: string;
}

/** The scope Cognito puts in access tokens from `InitiateAuth`. */
export const DEFAULT_USER_SCOPES: readonly string[] = ['aws.cognito.signin.user.admin'];
/** Scopes of an access token from the OAuth endpoints when the app asked for no others. */
export const DEFAULT_OAUTH_SCOPES: readonly string[] = ['openid', 'email'];
/** A custom scope, the only kind an M2M token carries. */
export const DEFAULT_M2M_SCOPES: readonly string[] = ['default-m2m-resource-server/read'];

const OPTION_KEYS = new Set([
  'expiresIn',
  'issuedAt',
  'header',
  'issuerForm',
  'claims',
  'groups',
  'scopes',
  'flow',
]);

type AnyOverrides = MintOptions &
  UserMintOptions &
  ScopedMintOptions &
  FlowMintOptions &
  Record<string, unknown>;

/** Builds an ID token's claims: `aud` and `cognito:username`, no `client_id`. */
export function buildIdTokenClaims(
  ctx: MintContext,
  overrides: IdTokenOverrides = {},
): Record<string, unknown> {
  const o = overrides as AnyOverrides;
  const t = times(ctx, o);
  const session = ctx.session;
  return finish(
    {
      ...(session?.atHash === undefined ? {} : { at_hash: session.atHash }),
      sub: ctx.user.sub,
      ...groupsClaim(o.groups),
      email_verified: true,
      iss: ctx.issuerFor(o.issuerForm),
      'cognito:username': ctx.user.username,
      origin_jti: session?.originJti ?? randomUUID(),
      aud: ctx.clientId,
      event_id: session?.eventId ?? randomUUID(),
      token_use: 'id',
      auth_time: session?.authTime ?? t.iat,
      exp: t.exp,
      iat: t.iat,
      jti: randomUUID(),
      email: ctx.user.email,
    },
    o,
  );
}

/**
 * Builds a user access token's claims: `client_id`, `username`, `scope`, no `aud`. `version` only
 * for `flow: 'oauth'` (hosted UI / managed login): password sign-ins (`InitiateAuth`) carry none.
 */
export function buildAccessTokenClaims(
  ctx: MintContext,
  overrides: AccessTokenOverrides = {},
): Record<string, unknown> {
  const o = overrides as AnyOverrides;
  const t = times(ctx, o);
  const oauth = o.flow === 'oauth';
  const session = ctx.session;
  return finish(
    {
      sub: ctx.user.sub,
      ...groupsClaim(o.groups),
      iss: ctx.issuerFor(o.issuerForm),
      ...(oauth ? { version: 2 } : {}),
      client_id: ctx.clientId,
      origin_jti: session?.originJti ?? randomUUID(),
      event_id: session?.eventId ?? randomUUID(),
      token_use: 'access',
      scope: (o.scopes ?? (oauth ? DEFAULT_OAUTH_SCOPES : DEFAULT_USER_SCOPES)).join(' '),
      auth_time: session?.authTime ?? t.iat,
      exp: t.exp,
      iat: t.iat,
      jti: randomUUID(),
      username: ctx.user.username,
    },
    o,
  );
}

/** Builds an M2M access token's claims: `sub` = `client_id`, custom scopes, no user or session claims. */
export function buildM2mTokenClaims(
  ctx: MintContext,
  overrides: M2mTokenOverrides = {},
): Record<string, unknown> {
  const o = overrides as AnyOverrides;
  const t = times(ctx, o);
  return finish(
    {
      sub: ctx.clientId,
      token_use: 'access',
      scope: (o.scopes ?? DEFAULT_M2M_SCOPES).join(' '),
      auth_time: t.iat,
      iss: ctx.issuerFor(o.issuerForm),
      exp: t.exp,
      iat: t.iat,
      version: 2,
      jti: randomUUID(),
      client_id: ctx.clientId,
    },
    o,
  );
}

/**
 * Applies overrides to a copy of `base`: replaces in place, appends new members, removes members
 * whose override is `undefined`. Members are defined, not assigned, so a `__proto__` override lands
 * in the JSON as an ordinary member instead of changing the object's prototype.
 */
export function applyOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) define(result, key, value);
  if (overrides === undefined) return result;
  for (const key of Object.keys(overrides)) {
    const value = overrides[key];
    if (value === undefined) delete result[key];
    else define(result, key, value);
  }
  return result;
}

function finish(base: Record<string, unknown>, o: AnyOverrides): Record<string, unknown> {
  const claimOverrides: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) define(claimOverrides, key, o[key]);
  }
  return applyOverrides(applyOverrides(base, claimOverrides), o.claims);
}

function times(ctx: MintContext, o: MintOptions): { iat: number; exp: number } {
  const iat = o.issuedAt ?? ctx.nowSeconds;
  return { iat, exp: iat + (o.expiresIn ?? ctx.lifetimeSeconds) };
}

function groupsClaim(groups: string[] | undefined): Record<string, unknown> {
  return groups !== undefined && groups.length > 0 ? { 'cognito:groups': [...groups] } : {};
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
