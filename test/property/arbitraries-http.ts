/**
 * Shared pieces of the adapter property suites (Express, Fastify, Lambda):
 *
 * - a catalogue of real tokens from the test issuer: valid ones with every mix of groups and scopes
 *   (user, machine and ID tokens), and invalid ones (expired, another client, tampered, respelled
 *   with non-ASCII characters, another token use…) with the code the core gives them;
 * - the ways a client writes a credential (an `Authorization` value, a cookie pair, a query
 *   parameter) and arbitrary HTTP requests built from them, sent byte for byte over a loopback
 *   socket so repeated, differently cased, huge and non-ASCII headers arrive as a client sent them;
 * - the reference model the properties compare with: which credential a request carries for a
 *   given set of token sources, and what a route with given rules must answer for it. It is
 *   written from the READMEs and SECURITY.md, not from the adapters' code.
 */
import { METHODS } from 'node:http';
import { connect } from 'node:net';
import type { TestIssuer } from '@cognito-gate/testing';
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

export type TokenUse = 'access' | 'id';

/** Who a verified token says the caller is, as `req.auth` / `request.auth` must show it. */
export interface Identity {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly tokenUse: TokenUse;
}

/** A token of the catalogue, and what verifying it must give. */
export interface TokenSpec {
  readonly label: string;
  /** The token as a client sends it (a respelled one holds non-ASCII characters). */
  readonly token: string;
  /** Set when the token verifies with a verifier that accepts its token use. */
  readonly identity?: Identity;
  /** The core's code when it does not verify. */
  readonly code?: string;
}

export const GROUPS = ['admin', 'dev', 'finance'] as const;
export const SCOPES = ['orders/read', 'orders/write'] as const;

/** Every subset of `items`, in a fixed order (so a seed replays the same choices). */
function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++)
    out.push(items.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/** The claims of a minted token. */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * `token` with one character replaced by a non-ASCII one whose low byte is the original character
 * (`e` → `ť`): a lenient base64 decoder would read the same bytes, the core must not.
 */
export function respell(token: string, at: number): string {
  const code = token.charCodeAt(at);
  return token.slice(0, at) + String.fromCharCode(code + 0x100) + token.slice(at + 1);
}

/** Name a spec by its label in fast-check's counterexamples (tokens are long and say nothing). */
function labelled(spec: TokenSpec): TokenSpec {
  return Object.defineProperty(spec, fc.toStringMethod, { value: () => `<${spec.label}>` });
}

/** The catalogue: valid tokens first, then invalid ones. */
export interface Catalogue {
  /** Access tokens of the user, with every subset of GROUPS × SCOPES. */
  readonly users: readonly TokenSpec[];
  /** Client-credentials tokens (no groups), with every subset of SCOPES. */
  readonly machines: readonly TokenSpec[];
  /** ID tokens: valid only where `tokenUse` allows `id`. */
  readonly idTokens: readonly TokenSpec[];
  /** Tokens that never verify, each claiming every group and scope. */
  readonly invalid: readonly TokenSpec[];
  /** Every token, for look-ups. */
  readonly all: readonly TokenSpec[];
}

/** Mint the catalogue with `issuer` (a few dozen RS256 signatures). */
export async function mintCatalogue(issuer: TestIssuer): Promise<Catalogue> {
  const users: TokenSpec[] = [];
  for (const groups of subsets(GROUPS)) {
    for (const scopes of subsets(SCOPES)) {
      users.push({
        label: `user[${groups.join(',')}|${scopes.join(',')}]`,
        token: await issuer.accessToken({ groups, scopes }),
        identity: { sub: issuer.user.sub, groups, scopes, tokenUse: 'access' },
      });
    }
  }
  const machines: TokenSpec[] = [];
  for (const scopes of subsets(SCOPES).slice(1)) {
    machines.push({
      label: `m2m[${scopes.join(',')}]`,
      token: await issuer.m2mToken({ scopes }),
      identity: { sub: issuer.clientId, groups: [], scopes, tokenUse: 'access' },
    });
  }
  const idTokens: TokenSpec[] = [];
  for (const groups of [[], ['dev'], ['admin', 'dev', 'finance']]) {
    idTokens.push({
      label: `id[${groups.join(',')}]`,
      token: await issuer.idToken({ groups }),
      identity: { sub: issuer.user.sub, groups, scopes: [], tokenUse: 'id' },
      code: 'invalid_token_use',
    });
  }
  const all = { groups: [...GROUPS], scopes: [...SCOPES] };
  const now = Math.floor(Date.now() / 1000);
  const full = await issuer.accessToken(all);
  const [head, body, signature] = full.split('.') as [string, string, string];
  const weak = await issuer.accessToken({ groups: [], scopes: [] });
  const [weakHead, , weakSignature] = weak.split('.') as [string, string, string];
  // The payload of a token without groups, given every group; the signature is the original one.
  const forged = Buffer.from(JSON.stringify({ ...payloadOf(weak), 'cognito:groups': [...GROUPS] })).toString(
    'base64url',
  );
  const invalid: TokenSpec[] = [
    {
      label: 'expired',
      token: await issuer.accessToken({ ...all, issuedAt: now - 7200, expiresIn: 3600 }),
      code: 'expired',
    },
    {
      label: 'issued in the future',
      token: await issuer.accessToken({ ...all, issuedAt: now + 3600 }),
      code: 'issued_in_future',
    },
    {
      label: 'another client',
      token: await issuer.accessToken({ ...all, client_id: 'otherclient000000000000001' }),
      code: 'invalid_client',
    },
    {
      label: 'another pool',
      token: await issuer.accessToken({
        ...all,
        iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool9',
      }),
      code: 'invalid_issuer',
    },
    { label: 'tampered groups', token: `${weakHead}.${forged}.${weakSignature}`, code: 'invalid_signature' },
    {
      label: 'respelled payload',
      token: `${head}.${respell(body, 7)}.${signature}`,
      code: 'malformed_token',
    },
    {
      label: 'respelled signature',
      token: `${head}.${body}.${respell(signature, signature.length - 3)}`,
      code: 'malformed_token',
    },
    {
      label: 'unknown kid',
      token: await issuer.sign({ kid: 'not-a-published-kid', alg: 'RS256' }, payloadOf(full)),
      code: 'unknown_key',
    },
    {
      label: 'alg none',
      token: await issuer.sign({ kid: issuer.keyIds.access, alg: 'none' }, payloadOf(full)),
      code: 'unsupported_algorithm',
    },
    { label: 'not a JWT', token: 'not-a-token', code: 'malformed_token' },
  ];
  for (const spec of [...users, ...machines, ...idTokens, ...invalid]) labelled(spec);
  return { users, machines, idTokens, invalid, all: [...users, ...machines, ...idTokens, ...invalid] };
}

/** A synthetic token: a cookie or parameter value that is not a token at all. */
export const JUNK: TokenSpec = labelled({ label: 'junk', token: 'junk', code: 'malformed_token' });

/** Tokens weighted towards valid ones, whose rules decide the answer. */
export function tokenArb(catalogue: Catalogue): fc.Arbitrary<TokenSpec> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...catalogue.users) },
    { weight: 1, arbitrary: fc.constantFrom(...catalogue.machines) },
    { weight: 1, arbitrary: fc.constantFrom(...catalogue.idTokens) },
    { weight: 3, arbitrary: fc.constantFrom(...catalogue.invalid) },
  );
}

// ---------------------------------------------------------------------------------------------
// Credentials as clients write them
// ---------------------------------------------------------------------------------------------

/** An `Authorization` value (or a TOKEN authorizer's `authorizationToken`). */
export type AuthValue =
  | { readonly kind: 'bearer'; readonly spec: TokenSpec; readonly scheme: string; readonly gap: string }
  | { readonly kind: 'bare'; readonly spec: TokenSpec }
  | { readonly kind: 'basic' }
  | { readonly kind: 'scheme-only' }
  | { readonly kind: 'tab'; readonly spec: TokenSpec }
  | { readonly kind: 'two'; readonly spec: TokenSpec }
  | { readonly kind: 'empty' };

export function renderAuth(value: AuthValue): string {
  switch (value.kind) {
    case 'bearer':
      return `${value.scheme}${value.gap}${value.spec.token}`;
    case 'bare':
      return value.spec.token;
    case 'basic':
      return 'Basic dXNlcjpwYXNzd29yZA==';
    case 'scheme-only':
      return 'Bearer';
    case 'tab':
      return `Bearer\t${value.spec.token}`;
    case 'two':
      return `Bearer ${value.spec.token} ${value.spec.token}`;
    case 'empty':
      return '';
  }
}

export function authValueArb(tokens: fc.Arbitrary<TokenSpec>): fc.Arbitrary<AuthValue> {
  return fc.oneof(
    {
      weight: 14,
      arbitrary: fc.record({
        kind: fc.constant('bearer' as const),
        spec: tokens,
        scheme: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR'),
        gap: fc.constantFrom(' ', ' ', '  '),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bare' as const), spec: tokens }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'basic' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'scheme-only' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tab' as const), spec: tokens }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('two' as const), spec: tokens }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  );
}

/**
 * What parsing one `Authorization` value gives (RFC 6750 §2.1 as the READMEs state it): a token, no
 * bearer token (absent, empty, another scheme, or — without `acceptBare` — a bare token), or a
 * malformed header.
 */
export function parseAuth(value: AuthValue, acceptBare: boolean): Credential {
  switch (value.kind) {
    case 'bearer':
      return { kind: 'token', spec: value.spec };
    case 'bare':
      return acceptBare ? { kind: 'token', spec: value.spec } : NONE;
    case 'basic':
    case 'empty':
      return NONE;
    default:
      return ERROR;
  }
}

/** A cookie's value. `encoded` percent-encodes every `.`, which the reader must undo. */
export type CookieValue =
  | { readonly kind: 'token'; readonly spec: TokenSpec; readonly form: 'raw' | 'quoted' | 'encoded' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'junk' };

export interface CookiePair {
  readonly name: string;
  readonly value: CookieValue;
}

/** The cookie that carries tokens in every suite. */
export const TOKEN_COOKIE = 'access_token';

export function renderCookieValue(value: CookieValue): string {
  if (value.kind === 'empty') return '';
  if (value.kind === 'junk') return JUNK.token;
  if (value.form === 'quoted') return `"${value.spec.token}"`;
  if (value.form === 'encoded') return encodeURIComponent(value.spec.token).replaceAll('.', '%2E');
  return value.spec.token;
}

export function renderCookiePairs(pairs: readonly CookiePair[]): string {
  return pairs.map((pair) => `${pair.name}=${renderCookieValue(pair.value)}`).join('; ');
}

const cookieValueArb = (tokens: fc.Arbitrary<TokenSpec>): fc.Arbitrary<CookieValue> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('token' as const),
        spec: tokens,
        form: fc.constantFrom('raw' as const, 'quoted' as const, 'encoded' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'junk' as const }) },
  );

const NOISE_COOKIES = ['theme', 'access_token2', 'xaccess_token', 'session', 'Access_Token'];

/** 1–3 pairs: the token cookie or other cookies (some with names that merely contain it). */
export function cookiePairsArb(tokens: fc.Arbitrary<TokenSpec>): fc.Arbitrary<CookiePair[]> {
  const pair = fc.oneof(
    { weight: 3, arbitrary: fc.record({ name: fc.constant(TOKEN_COOKIE), value: cookieValueArb(tokens) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        name: fc.constantFrom(...NOISE_COOKIES),
        value: fc.constant({ kind: 'junk' as const }),
      }),
    },
  );
  return fc.array(pair, { minLength: 1, maxLength: 3 });
}

/**
 * `Cookie` lines: mostly one token cookie among others; sometimes the same token twice in other
 * forms (fine), sometimes anything, different values of the token cookie included (cookie tossing).
 */
export function cookieLinesArb(tokens: fc.Arbitrary<TokenSpec>): fc.Arbitrary<CookiePair[][]> {
  const noise = fc.array(
    fc.record({ name: fc.constantFrom(...NOISE_COOKIES), value: fc.constant({ kind: 'junk' as const }) }),
    { maxLength: 2 },
  );
  const value = cookieValueArb(tokens);
  const form = fc.constantFrom('raw' as const, 'quoted' as const, 'encoded' as const);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(value, noise, fc.boolean())
        .map(([v, others, first]) => [
          first
            ? [{ name: TOKEN_COOKIE, value: v }, ...others]
            : [...others, { name: TOKEN_COOKIE, value: v }],
        ]),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(tokens, form, form, fc.boolean()).map(([spec, a, b, split]) => {
        const pairs = [
          { name: TOKEN_COOKIE, value: { kind: 'token' as const, spec, form: a } },
          { name: TOKEN_COOKIE, value: { kind: 'token' as const, spec, form: b } },
        ];
        return split ? pairs.map((pair) => [pair]) : [pairs];
      }),
    },
    { weight: 3, arbitrary: fc.array(cookiePairsArb(tokens), { minLength: 1, maxLength: 2 }) },
  );
}

/**
 * The value the server reads for a token cookie, as a key for "same value or not": what a socket
 * delivers is the UTF-8 bytes read as latin1 (except that percent-encoding is undone after that).
 */
function cookieKey(value: CookieValue, viaSocket: boolean): string | undefined {
  if (value.kind === 'empty') return undefined;
  if (value.kind === 'junk') return JUNK.token;
  return viaSocket && value.form !== 'encoded' ? wire(value.spec.token) : value.spec.token;
}

/**
 * The token cookie among `lines` (the pairs of each `Cookie` header or `cookies` element): absent,
 * one value, or a conflict (the same cookie with different values: cookie tossing). Empty values
 * count as absent.
 */
export function cookieCredential(lines: readonly (readonly CookiePair[])[], viaSocket: boolean): Credential {
  let found: { key: string; spec: TokenSpec } | undefined;
  for (const pair of lines.flat()) {
    if (pair.name !== TOKEN_COOKIE) continue;
    const key = cookieKey(pair.value, viaSocket);
    if (key === undefined) continue;
    if (found !== undefined && found.key !== key) return ERROR;
    found = { key, spec: pair.value.kind === 'token' ? pair.value.spec : JUNK };
  }
  return found === undefined ? NONE : { kind: 'token', spec: found.spec };
}

/** A query parameter. */
export type QueryParam =
  | { readonly name: 'access_token'; readonly value: CookieValue }
  | { readonly name: string; readonly value: { readonly kind: 'junk' } };

export function queryParamsArb(tokens: fc.Arbitrary<TokenSpec>): fc.Arbitrary<QueryParam[]> {
  const param: fc.Arbitrary<QueryParam> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ name: fc.constant('access_token' as const), value: cookieValueArb(tokens) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        name: fc.constantFrom('x', 'ACCESS_TOKEN', 'access_token_x', 'token'),
        value: fc.constant({ kind: 'junk' as const }),
      }),
    },
  );
  return fc.tuple(fc.array(param, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([params, twin]) => {
    const first = params.find((p) => p.name === 'access_token');
    return twin && first !== undefined ? [...params, first] : params;
  });
}

/** The query string for `params` (percent-encoded UTF-8), with its `?`, or '' for none. */
export function renderQuery(params: readonly QueryParam[]): string {
  if (params.length === 0) return '';
  return `?${params
    .map((p) => {
      const value = p.value.kind === 'token' ? p.value.spec.token : renderCookieValue(p.value);
      return `${p.name}=${encodeURIComponent(value)}`;
    })
    .join('&')}`;
}

// ---------------------------------------------------------------------------------------------
// The reference model
// ---------------------------------------------------------------------------------------------

/** The credential a request carries for one middleware: none, one token, or an ambiguous request. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'error' }
  | { readonly kind: 'token'; readonly spec: TokenSpec };

const NONE: Credential = { kind: 'none' };
const ERROR: Credential = { kind: 'error' };

/** Where one Express middleware or Fastify context reads tokens. */
export interface Sources {
  readonly header: boolean;
  readonly cookie: boolean;
  readonly query: boolean;
}

/**
 * The credential of an HTTP request for `sources` (README "Token sources"): several different
 * `Authorization` headers, the cookie twice with different values, the parameter twice, or a token
 * in two places are all `invalid_request`; identical repeats of a header are fine.
 */
export function httpCredential(request: HttpCase, sources: Sources): Credential {
  const found: Credential[] = [];
  if (sources.header && request.authorization.length > 0) {
    const values = new Set(request.authorization.map((line) => wire(renderAuth(line.value))));
    if (values.size > 1) return ERROR;
    found.push(parseAuth(request.authorization[0]!.value, false));
  }
  if (sources.cookie) found.push(cookieCredential(request.cookies, true));
  if (sources.query) {
    const values = request.query.filter((p) => p.name === 'access_token' && p.value.kind !== 'empty');
    if (values.length > 1) return ERROR;
    const value = values[0]?.value;
    if (value !== undefined) found.push({ kind: 'token', spec: value.kind === 'token' ? value.spec : JUNK });
  }
  if (found.some((c) => c.kind === 'error')) return ERROR;
  const tokens = found.filter((c) => c.kind === 'token');
  if (tokens.length > 1) return ERROR;
  return tokens[0] ?? NONE;
}

/** A rule requirement: all of `values`, or any one of them. */
export interface Requirement {
  readonly any: boolean;
  readonly values: readonly string[];
}

/** Route rules, in a form the model reads and `toAuthRules` turns into the library's. */
export interface RuleModel {
  readonly groups?: Requirement;
  readonly scopes?: Requirement;
  readonly tokenUse?: TokenUse;
}

/** The library's `AuthRules` for a model (a fresh object: compiling freezes it). */
export function toAuthRules(rules: RuleModel): {
  groups?: string[] | { anyOf: string[] };
  scopes?: string[] | { anyOf: string[] };
  tokenUse?: TokenUse;
} {
  const requirement = (r: Requirement) => (r.any ? { anyOf: [...r.values] } : [...r.values]);
  return {
    ...(rules.groups === undefined ? {} : { groups: requirement(rules.groups) }),
    ...(rules.scopes === undefined ? {} : { scopes: requirement(rules.scopes) }),
    ...(rules.tokenUse === undefined ? {} : { tokenUse: rules.tokenUse }),
  };
}

function meets(requirement: Requirement | undefined, held: readonly string[]): boolean {
  if (requirement === undefined) return true;
  return requirement.any
    ? requirement.values.some((v) => held.includes(v))
    : requirement.values.every((v) => held.includes(v));
}

/** Why `identity` fails `rules` (checked in the documented order), or `undefined`. */
export function ruleFailure(identity: Identity, rules: RuleModel | undefined): string | undefined {
  if (rules === undefined) return undefined;
  if (rules.tokenUse !== undefined && identity.tokenUse !== rules.tokenUse) return 'invalid_token_use';
  if (!meets(rules.groups, identity.groups)) return 'insufficient_group';
  if (!meets(rules.scopes, identity.scopes)) return 'insufficient_scope';
  return undefined;
}

/**
 * A verifier: `'access'` (the default token use), `'any'` (ID tokens too), or `'down'` (access, with
 * no keys and a JWKS endpoint that cannot be reached).
 */
export type VerifierKind = 'access' | 'any' | 'down';

/** Refusals decided from the token alone, before any key is needed (the issuer names the JWKS). */
const KEYLESS_CODES = new Set(['malformed_token', 'unsupported_algorithm', 'invalid_issuer']);

/** What verifying `spec` gives: the identity, or the code. */
export function verifyModel(spec: TokenSpec, verifier: VerifierKind): Identity | string {
  if (verifier === 'down') {
    return spec.code !== undefined && KEYLESS_CODES.has(spec.code) ? spec.code : 'jwks_unavailable';
  }
  const identity = spec.identity;
  if (identity === undefined) return spec.code ?? 'malformed_token';
  if (verifier === 'access' && identity.tokenUse !== 'access') return 'invalid_token_use';
  return identity;
}

/** A guard's answer: through (with the identity handlers must see), or the AuthError code. */
export type Verdict =
  | { readonly pass: true; readonly identity: Identity | undefined }
  | { readonly pass: false; readonly code: string };

/** What one authenticating step answers for `credential`. */
export function verdict(
  credential: Credential,
  options: { readonly verifier: VerifierKind; readonly optional: boolean; readonly rules?: RuleModel },
): Verdict {
  if (credential.kind === 'error') return { pass: false, code: 'invalid_request' };
  if (credential.kind === 'none') {
    return options.optional ? { pass: true, identity: undefined } : { pass: false, code: 'missing_token' };
  }
  const verified = verifyModel(credential.spec, options.verifier);
  if (typeof verified === 'string') return { pass: false, code: verified };
  const failure = ruleFailure(verified, options.rules);
  return failure === undefined ? { pass: true, identity: verified } : { pass: false, code: failure };
}

/** The HTTP status of an AuthError code. */
export function statusOf(code: string): number {
  if (code === 'invalid_request') return 400;
  if (code === 'insufficient_scope' || code === 'insufficient_group' || code === 'forbidden') return 403;
  if (code === 'jwks_unavailable' || code === 'revocation_unavailable') return 503;
  return 401;
}

const TOKEN_CODES = new Set([
  'malformed_token',
  'unsupported_algorithm',
  'unknown_key',
  'invalid_key',
  'invalid_signature',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'invalid_issuer',
  'invalid_client',
  'invalid_token_use',
  'invalid_claims',
  'revoked',
]);

/**
 * What is wrong with an auth rejection's status, challenge and body code, or `undefined`
 * (README "Errors"): 401 `Bearer realm="api"` (+ `error="invalid_token"` unless missing_token), 400
 * `error="invalid_request"`, 403 `error="insufficient_scope"`, 503 no challenge but `Retry-After`.
 * `code` is the body's code when there is a body (not for HEAD).
 */
export function rejectionProblem(
  status: number,
  headers: Readonly<Record<string, string>>,
  code: string | undefined,
): string | undefined {
  const challenge = headers['www-authenticate'];
  if (status === 503) {
    if (challenge !== undefined) return '503 with a WWW-Authenticate challenge';
    if (!/^\d+$/.test(headers['retry-after'] ?? '')) return '503 without a numeric Retry-After';
    return code === undefined || code === 'jwks_unavailable' || code === 'revocation_unavailable'
      ? undefined
      : `503 with code ${code}`;
  }
  if (challenge === undefined) return `${status} without WWW-Authenticate`;
  if (!challenge.startsWith('Bearer realm="api"')) return `challenge ${challenge}`;
  const error = /error="([^"]*)"/.exec(challenge)?.[1];
  if (status === 401) {
    if (error === undefined)
      return code === undefined || code === 'missing_token' ? undefined : `401 ${code} without error=`;
    if (error !== 'invalid_token') return `401 with error="${error}"`;
    return code === undefined || TOKEN_CODES.has(code) ? undefined : `401 invalid_token with code ${code}`;
  }
  if (status === 400) {
    if (error !== 'invalid_request') return `400 with error="${error}"`;
    return code === undefined || code === 'invalid_request' ? undefined : `400 with code ${code}`;
  }
  if (status === 403) {
    if (error !== 'insufficient_scope') return `403 with error="${error}"`;
    return code === undefined || statusOf(code) === 403 ? undefined : `403 with code ${code}`;
  }
  return `status ${status} is not an auth rejection`;
}

// ---------------------------------------------------------------------------------------------
// HTTP requests on the wire
// ---------------------------------------------------------------------------------------------

/** A JS string as the latin1 "byte string" of its UTF-8 encoding: what a socket carries. */
export function wire(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A request target, derived from one of the app's canonical paths. */
export interface Target {
  /** The path as written (JS string; non-ASCII only in `raw-unicode`). */
  readonly path: string;
  /** Index of the canonical path it was derived from. */
  readonly sample: number;
  readonly variant: PathVariant;
}

export type PathVariant =
  | 'exact'
  | 'trailing-slash'
  | 'upper-case'
  | 'encoded-letter'
  | 'double-slash'
  | 'dot-segment'
  | 'unicode-encoded'
  | 'raw-unicode'
  | 'bad-encoding'
  | 'long'
  | 'star';

function variantOf(path: string, variant: PathVariant, length: number): string {
  switch (variant) {
    case 'exact':
      return path;
    case 'trailing-slash':
      return `${path}/`;
    case 'upper-case':
      return path.toUpperCase();
    case 'encoded-letter':
      return `/%${path.charCodeAt(1).toString(16).toUpperCase()}${path.slice(2)}`;
    case 'double-slash':
      return `/${path}`;
    case 'dot-segment':
      return `/.${path}`;
    case 'unicode-encoded':
      return `${path}/${encodeURIComponent('été\u200b😀')}`;
    case 'raw-unicode':
      return `${path}/été`;
    case 'bad-encoding':
      return `${path}/%E2%zz`;
    case 'long':
      return `${path}/${'x'.repeat(length)}`;
    case 'star':
      return '*';
  }
}

/** Targets: mostly an app's canonical paths as they are, else a variant of one. */
export function targetArb(samples: readonly string[]): fc.Arbitrary<Target> {
  const variant = fc.oneof(
    { weight: 14, arbitrary: fc.constant<PathVariant>('exact') },
    {
      weight: 10,
      arbitrary: fc.constantFrom<PathVariant>(
        'trailing-slash',
        'upper-case',
        'encoded-letter',
        'double-slash',
        'dot-segment',
        'unicode-encoded',
        'raw-unicode',
        'bad-encoding',
        'long',
        'star',
      ),
    },
  );
  return fc
    .tuple(fc.nat(samples.length - 1), variant, fc.integer({ min: 100, max: 12_000 }))
    .map(([sample, v, length]) => ({ path: variantOf(samples[sample]!, v, length), sample, variant: v }));
}

/** Methods: the usual ones, OPTIONS often (preflights), and tokens Node's parser knows or refuses. */
export const methodArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('GET') },
  { weight: 4, arbitrary: fc.constant('OPTIONS') },
  { weight: 2, arbitrary: fc.constantFrom('HEAD', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'TRACE') },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'MKCOL', 'QUERY', 'M-SEARCH') },
  { weight: 1, arbitrary: fc.constantFrom('get', 'Options', 'FOO', 'BREW') },
);

/** Does Node's HTTP parser accept this method at all? */
export function parserKnows(method: string): boolean {
  return METHODS.includes(method);
}

/** A header line the app does not interpret. Values are latin1 byte strings. */
export interface NoiseHeader {
  readonly name: string;
  readonly value: string;
}

const noiseArb: fc.Arbitrary<NoiseHeader> = fc.record({
  name: fc.constantFrom('X-Noise', 'x-noise', 'X-NOISE', 'Accept', 'Origin', 'User-Agent', 'X-Forwarded-For'),
  value: fc.oneof(
    fc.constantFrom('', 'text/html', 'https://app.example.com', '1.2.3.4, 5.6.7.8'),
    // obs-text: bytes 0x80–0xFF, as a client sends non-ASCII in a header value.
    fc
      .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 40 })
      .map((bytes) => String.fromCharCode(...bytes)),
    fc.integer({ min: 100, max: 3000 }).map((n) => 'v'.repeat(n)),
  ),
});

/** An arbitrary HTTP request, as the app under test receives it. */
export interface HttpCase {
  readonly method: string;
  readonly target: Target;
  readonly authorization: readonly { readonly name: string; readonly value: AuthValue }[];
  /** One `Cookie` header per entry. */
  readonly cookies: readonly (readonly CookiePair[])[];
  readonly cookieNames: readonly string[];
  readonly query: readonly QueryParam[];
  /** `Access-Control-Request-Method`, present or not on any method. */
  readonly acrm: { readonly name: string; readonly value: string } | undefined;
  readonly noise: readonly NoiseHeader[];
  /** Total size the head is padded to with a filler header (0: none): near and over Node's 16 KB. */
  readonly padTo: number;
}

const authNames = fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn');

/** `Authorization` lines: none, one, the same value repeated in other casings, or several values. */
function authorizationArb(tokens: fc.Arbitrary<TokenSpec>) {
  const value = authValueArb(tokens);
  const line = fc.record({ name: authNames, value });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 10, arbitrary: line.map((l) => [l]) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(value, fc.array(authNames, { minLength: 2, maxLength: 3 }))
        .map(([v, names]) => names.map((name) => ({ name, value: v }))),
    },
    { weight: 1, arbitrary: fc.array(line, { minLength: 2, maxLength: 3 }) },
  );
}

/**
 * Where a request carries its credential: mostly one place, sometimes none, sometimes several (each
 * source may still hold repeats, conflicting or not).
 */
type Carrier = 'header' | 'cookie' | 'query' | 'none' | 'mixed';

const carrierArb: fc.Arbitrary<Carrier> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Carrier>('header') },
  { weight: 3, arbitrary: fc.constant<Carrier>('cookie') },
  { weight: 1, arbitrary: fc.constant<Carrier>('query') },
  { weight: 1, arbitrary: fc.constant<Carrier>('none') },
  { weight: 1, arbitrary: fc.constant<Carrier>('mixed') },
);

/** A canonical path of the app under test, and the method its route is for (none: any). */
export interface PathSample {
  readonly path: string;
  readonly method?: string;
}

/**
 * Arbitrary requests to an app whose canonical paths are `samples`; half of them use the method of
 * the sample's route, so that handlers are reached often.
 */
export function httpCaseArb(catalogue: Catalogue, samples: readonly PathSample[]): fc.Arbitrary<HttpCase> {
  const tokens = tokenArb(catalogue);
  return fc
    .record({
      carrier: carrierArb,
      method: methodArb,
      natural: fc.boolean(),
      target: targetArb(samples.map((sample) => sample.path)),
      authorization: authorizationArb(tokens),
      cookies: cookieLinesArb(tokens),
      cookieNames: fc.array(fc.constantFrom('Cookie', 'cookie', 'COOKIE'), { minLength: 4, maxLength: 4 }),
      query: queryParamsArb(tokens),
      acrm: fc.option(
        fc.record({
          name: fc.constantFrom('Access-Control-Request-Method', 'access-control-request-method'),
          value: fc.constantFrom('GET', 'post', 'DELETE', ''),
        }),
        { freq: 2, nil: undefined },
      ),
      noise: fc.array(noiseArb, { maxLength: 4 }),
      padTo: fc.oneof(
        { weight: 24, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 16_300 }) },
        { weight: 1, arbitrary: fc.integer({ min: 17_500, max: 24_000 }) },
      ),
    })
    .map(({ carrier, natural, ...request }) => ({
      ...request,
      method: (natural ? samples[request.target.sample]!.method : undefined) ?? request.method,
      authorization: carrier === 'header' || carrier === 'mixed' ? request.authorization : [],
      cookies: carrier === 'cookie' || carrier === 'mixed' ? request.cookies : [],
      query: carrier === 'query' || carrier === 'mixed' ? request.query : [],
    }));
}

/** True for a CORS preflight: `OPTIONS` with `Access-Control-Request-Method` (any value). */
export function isPreflight(request: HttpCase): boolean {
  return request.method === 'OPTIONS' && request.acrm !== undefined;
}

/** Node's limit on the request head. */
const MAX_HEADER_SIZE = 16 * 1024;

/** The request head as bytes (a latin1 string), without the final empty line, and its size class. */
export function renderHead(
  request: HttpCase,
  caseId: string,
): { head: string; size: 'fits' | 'edge' | 'over' } {
  const { target } = request;
  const path = target.variant === 'star' ? '*' : wire(target.path) + renderQuery(request.query);
  const lines = [`${request.method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `X-Case: ${caseId}`];
  for (const line of request.authorization) lines.push(`${line.name}: ${wire(renderAuth(line.value))}`);
  request.cookies.forEach((pairs, i) => {
    lines.push(`${request.cookieNames[i % request.cookieNames.length]}: ${wire(renderCookiePairs(pairs))}`);
  });
  if (request.acrm !== undefined) lines.push(`${request.acrm.name}: ${request.acrm.value}`);
  for (const noise of request.noise) lines.push(`${noise.name}: ${noise.value}`);
  lines.push('Connection: close');
  let head = lines.join('\r\n');
  const filler = request.padTo - head.length - 16;
  if (filler > 0) head += `\r\nX-Filler: ${'f'.repeat(filler)}`;
  // Node counts names and values (not every separator): within the limit is certainly accepted,
  // well over it certainly refused with 431; in between, either.
  const total = head.length + 4;
  const size = total <= MAX_HEADER_SIZE ? 'fits' : total >= MAX_HEADER_SIZE + 1024 ? 'over' : 'edge';
  return { head, size };
}

/** What came back: status, lower-cased headers (repeats joined with ", ") and the body. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Send `head` byte for byte to 127.0.0.1:`port` and read the answer until the server closes the
 * connection (the head asks it to). Rejects when nothing complete arrives within `timeoutMs`:
 * a hang is a failure like any other.
 */
export function sendRaw(port: number, head: string, timeoutMs = 5_000): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {
      // A reset after the answer was written (Node closes at once on parse errors): judged below.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) {
        reject(new Error(`connection closed without an answer (${JSON.stringify(text.slice(0, 80))})`));
        return;
      }
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.end(Buffer.from(`${head}\r\n\r\n`, 'latin1'));
  });
}

/** The `code` / `error` field of a JSON body, if it has one. */
export function bodyField(body: string, field: string): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Compare identities as sets of groups and scopes. */
export function sameIdentity(a: Identity | undefined, b: Identity | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && [...x].sort().join('\n') === [...y].sort().join('\n');
  return a.sub === b.sub && a.tokenUse === b.tokenUse && same(a.groups, b.groups) && same(a.scopes, b.scopes);
}

/** The identity a handler saw in `req.auth` / `request.auth`. */
export function identityOf(auth: unknown): Identity | undefined {
  if (auth === undefined || auth === null) return undefined;
  const a = auth as { sub: string; groups: readonly string[]; scopes: readonly string[]; tokenUse: TokenUse };
  return { sub: a.sub, groups: [...a.groups], scopes: [...a.scopes], tokenUse: a.tokenUse };
}

/** A short, readable description of a request for failure messages. */
export function describeCase(request: HttpCase): string {
  const auth = request.authorization.map(
    (l) => `${l.name}: ${l.value.kind}${'spec' in l.value ? `(${l.value.spec.label})` : ''}`,
  );
  const cookies = request.cookies.map((pairs) =>
    pairs
      .map(
        (p) =>
          `${p.name}=${p.value.kind === 'token' ? `${p.value.spec.label}/${p.value.form}` : p.value.kind}`,
      )
      .join('; '),
  );
  const query = request.query.map(
    (p) => `${p.name}=${p.value.kind === 'token' ? p.value.spec.label : p.value.kind}`,
  );
  const path = request.target.path.length > 60 ? `${request.target.path.slice(0, 60)}…` : request.target.path;
  return [
    `${request.method} ${path} (${request.target.variant})`,
    ...auth,
    ...cookies.map((c) => `Cookie: ${c}`),
    query.length > 0 ? `query: ${query.join('&')}` : '',
    request.acrm === undefined ? '' : `${request.acrm.name}: ${request.acrm.value}`,
    request.padTo > 0 ? `padded to ${request.padTo}` : '',
  ]
    .filter((s) => s.length > 0)
    .join(' | ');
}

// ---------------------------------------------------------------------------------------------
// IAM policies
// ---------------------------------------------------------------------------------------------

/**
 * IAM resource matching: `*` any run of characters (`/` included), `?` exactly one character, the
 * rest literal; characters are code points. Iterative, with the last `*` remembered (no
 * backtracking blow-up on long ARNs).
 */
export function iamGlobMatches(pattern: string, text: string): boolean {
  const p = [...pattern];
  const t = [...text];
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < t.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === t[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star !== -1) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** The statements of an authorizer policy. */
export interface PolicyLike {
  readonly policyDocument: {
    readonly Statement: readonly { readonly Effect: string; readonly Resource: string | readonly string[] }[];
  };
}

/** IAM's answer for `arn`: an explicit Deny wins, else some Allow must match. */
export function iamAllows(policy: PolicyLike, arn: string): boolean {
  const matches = (resource: string | readonly string[]) =>
    (typeof resource === 'string' ? [resource] : resource).some((glob) => iamGlobMatches(glob, arn));
  const statements = policy.policyDocument.Statement;
  if (statements.some((s) => s.Effect === 'Deny' && matches(s.Resource))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s.Resource));
}

/**
 * The checks every HTTP property makes before looking at routes: one handler at most, Node's own
 * 400 for a request line its parser refuses, 431 for an oversized head. Returns a problem, `'ok'`
 * when Node answered as it should and nothing else applies, or `undefined` to go on judging.
 */
export function transportProblem(
  request: HttpCase,
  response: WireResponse,
  handlersRun: number,
  size: 'fits' | 'edge' | 'over',
): string | 'ok' | undefined {
  const { status, headers } = response;
  if (handlersRun > 1) return `${handlersRun} handlers ran`;
  if (!parserKnows(request.method) || request.target.variant === 'raw-unicode') {
    // Node's parser refuses the request line before any middleware runs.
    return status === 400 && handlersRun === 0 && headers['www-authenticate'] === undefined
      ? 'ok'
      : `Node's parser should have answered 400, got ${status}`;
  }
  if (size === 'over' || (size === 'edge' && status === 431)) {
    return status === 431 && handlersRun === 0 ? 'ok' : `expected 431 for an oversized head, got ${status}`;
  }
  return undefined;
}
