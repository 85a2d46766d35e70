/**
 * `getAuth(event)`: who is calling, for a Lambda behind any API Gateway authorizer, read from
 * wherever API Gateway put it (spec §3.2) and returned in one shape with groups and scopes parsed.
 *
 * The block API Gateway wrote (`jwt`, `lambda`, `claims`, or a REST Lambda context) is the only
 * place read: a block that names no caller gives `undefined`, never a fallback to another field.
 *
 * It verifies NOTHING. It trusts `requestContext.authorizer` because API Gateway writes it after its
 * authorizer has accepted the request and a client cannot set it. That trust holds only when the
 * function is reachable solely through that API Gateway route: an event from a Lambda function URL,
 * a direct `Invoke` or another trigger can carry any `requestContext`. Use the verifier (or the
 * middy middleware) when the function can be reached any other way.
 */
import { GROUP_SPLIT, normalizeClaims, parseList, SCOPE_SPLIT } from './claim-values.js';

/** Which authorizer the identity came from. */
export type AuthSource =
  /** A REST or WebSocket Lambda authorizer (ours or another): `requestContext.authorizer.<key>`. */
  | 'lambda-authorizer'
  /** The REST `COGNITO_USER_POOLS` authorizer: `requestContext.authorizer.claims`, all strings. */
  | 'cognito-user-pools'
  /** The HTTP API JWT authorizer: `requestContext.authorizer.jwt.claims` / `.scopes`. */
  | 'jwt-authorizer'
  /** An HTTP API Lambda authorizer: `requestContext.authorizer.lambda.<key>`. */
  | 'http-lambda-authorizer';

/** The caller as the authorizer described it, normalised. */
export interface GatewayAuth {
  /** The principal: `sub`, or the `principalId` of a Lambda authorizer without a `sub` field. */
  readonly sub: string;
  readonly username?: string;
  readonly clientId?: string;
  readonly tokenUse?: 'id' | 'access';
  readonly groups: string[];
  readonly scopes: string[];
  /** The claims (or Lambda authorizer context) with times, flags and lists re-typed. */
  readonly claims: Record<string, unknown>;
  readonly source: AuthSource;
}

type Bag = Readonly<Record<string, unknown>>;

/** An own property: inherited ones (`Object.create({ principalId })`) are not what API Gateway sent. */
function own(bag: Bag, key: string): unknown {
  return Object.hasOwn(bag, key) ? bag[key] : undefined;
}

function objectAt(value: unknown, key: string): Bag | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = own(value as Bag, key);
  return typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as Bag) : undefined;
}

/** A non-empty string, or a finite number as a string (stringified contexts go both ways). */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function tokenUseOf(value: unknown): 'id' | 'access' | undefined {
  return value === 'id' || value === 'access' ? value : undefined;
}

function withOptional(
  base: Omit<GatewayAuth, 'username' | 'clientId' | 'tokenUse'>,
  username: string | undefined,
  clientId: string | undefined,
  tokenUse: 'id' | 'access' | undefined,
): GatewayAuth {
  const auth: { -readonly [K in keyof GatewayAuth]: GatewayAuth[K] } = { ...base };
  if (username !== undefined) auth.username = username;
  if (clientId !== undefined) auth.clientId = clientId;
  if (tokenUse !== undefined) auth.tokenUse = tokenUse;
  return auth;
}

/** Token claims, from the REST Cognito authorizer or the HTTP JWT authorizer. */
function fromClaims(raw: Bag, source: AuthSource, scopeList: unknown): GatewayAuth | undefined {
  const sub = text(own(raw, 'sub'));
  if (sub === undefined) return undefined;
  const claims = normalizeClaims(raw);
  const tokenUse = tokenUseOf(own(raw, 'token_use'));
  const listed = parseList(scopeList, SCOPE_SPLIT);
  return withOptional(
    {
      sub,
      groups: (claims['cognito:groups'] as string[] | undefined) ?? [],
      scopes: listed.length > 0 ? listed : parseList(own(raw, 'scope'), SCOPE_SPLIT),
      claims,
      source,
    },
    text(own(raw, 'username')) ?? text(own(raw, 'cognito:username')),
    text(own(raw, 'client_id')) ?? (tokenUse === 'id' ? text(own(raw, 'aud')) : undefined),
    tokenUse,
  );
}

/** A Lambda authorizer context: ours (`sub`, `groups`, `scopes`, …) or anyone's (`principalId`). */
function fromContext(raw: Bag, source: AuthSource, principalId: unknown): GatewayAuth | undefined {
  const sub = text(own(raw, 'sub')) ?? text(own(raw, 'principalId')) ?? text(principalId);
  if (sub === undefined) return undefined;
  return withOptional(
    {
      sub,
      groups: parseList(own(raw, 'groups') ?? own(raw, 'cognito:groups'), GROUP_SPLIT),
      scopes: parseList(own(raw, 'scopes') ?? own(raw, 'scope'), SCOPE_SPLIT),
      claims: normalizeClaims(raw),
      source,
    },
    text(own(raw, 'username')) ?? text(own(raw, 'cognito:username')),
    text(own(raw, 'clientId')) ?? text(own(raw, 'client_id')),
    tokenUseOf(own(raw, 'tokenUse') ?? own(raw, 'token_use')),
  );
}

/**
 * The caller of a proxy integration, or `undefined` when no authorizer identified one. Never
 * throws, whatever the event. Does not verify anything: see the module comment.
 *
 * @example
 * export const handler = async (event) => {
 *   const auth = getAuth(event);
 *   if (auth === undefined || !auth.groups.includes('admin')) return { statusCode: 403, body: '' };
 *   return { statusCode: 200, body: JSON.stringify({ hello: auth.username ?? auth.sub }) };
 * };
 */
export function getAuth(event: unknown): GatewayAuth | undefined {
  try {
    const authorizer = objectAt(objectAt(event, 'requestContext'), 'authorizer');
    if (authorizer === undefined) return undefined;
    // The block API Gateway wrote decides where the caller is; when it names none, there is none.
    // Falling back to another place would let a stray `principalId` or `sub` pass as a caller.
    const jwt = objectAt(authorizer, 'jwt');
    if (jwt !== undefined) {
      const claims = objectAt(jwt, 'claims');
      return claims && fromClaims(claims, 'jwt-authorizer', own(jwt, 'scopes'));
    }
    const lambda = objectAt(authorizer, 'lambda');
    if (lambda !== undefined) {
      return fromContext(lambda, 'http-lambda-authorizer', own(authorizer, 'principalId'));
    }
    const claims = objectAt(authorizer, 'claims');
    if (claims !== undefined) return fromClaims(claims, 'cognito-user-pools', own(authorizer, 'scopes'));
    return fromContext(authorizer, 'lambda-authorizer', undefined);
  } catch {
    // Getters or proxies in a hand-made event: no identity rather than a 500.
    return undefined;
  }
}
