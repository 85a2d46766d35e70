/**
 * Soundness: a token verifies only when it is exactly a token we signed with a key of the set AND
 * its header and claims satisfy the options — judged by an oracle written here from the README
 * ("Errors" and "Security guarantees" tables, packages/core/README.md), not from claims.ts. Claim
 * sets are generated around the boundaries (exp == now, iat == now + 1, nbf, tolerance), each token
 * is verified twice on a moving clock (the second call is a cache hit when the first succeeded), and
 * the error CODE must be one the oracle predicts: exactly it when only one rule is broken.
 */
import type { AuthErrorCode, VerifierOptions } from '@cognito-gate/core';
import { isVerifiedToken } from '@cognito-gate/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import type { TestKey } from '../support/signer.js';
import {
  CLIENT_ID,
  type Clock,
  DEFAULT_CAP,
  expectReached,
  generateKeys,
  globalIssuerOf,
  isDeeplyFrozen,
  KEYGEN_TIMEOUT_MS,
  keyA,
  keyB,
  makeVerifier,
  NOW,
  type Outcome,
  objectText,
  POOL_ID,
  regionalIssuerOf,
  signText,
  stranger,
  verdict,
  viaDirect,
  viaSync,
  viaVerify,
  weakKey,
} from './arbitraries-core.js';

const POOL_2 = 'eu-west-1_SecondPool2';
const OTHER_CLIENT = 'client-other-9';

// ---------------------------------------------------------------------------------------------
// The oracle.

type Signer = 'a' | 'b' | 'weak' | 'stranger';
const SIGNERS: Record<Signer, () => TestKey> = { a: keyA, b: keyB, weak: weakKey, stranger };

/** The standard JWKS as the README's key policy judges it: kid → whose key, or refused. */
const JWKS_TABLE = new Map<string, Signer | 'refused'>([
  ['key-a', 'a'],
  ['key-b', 'b'],
  ['weak', 'refused'], // 1024 bits: "RSA keys under 2048 bits → invalid_key"
  ['e-one', 'refused'], // "a JWKS key with e = 1 → invalid_key"
]);

/** Who signs when the test signs "as the kid says" (the refused keys' owners sign for themselves). */
const KID_SIGNER: Record<string, Signer> = { 'key-a': 'a', 'key-b': 'b', weak: 'weak' };

interface Config {
  readonly pools: readonly string[];
  readonly clientId: string | readonly string[] | null;
  readonly tokenUse: 'access' | 'id' | 'any' | undefined;
  readonly acceptGlobalIssuer: boolean | undefined;
  readonly tolerance: number | undefined;
  readonly cache: boolean;
}

const has = (object: object, name: string) => Object.hasOwn(object, name);
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Issuer → pool, as the README describes the two issuer forms. */
function acceptedIssuers(config: Config): Map<string, string> {
  const issuers = new Map<string, string>();
  for (const pool of config.pools) {
    issuers.set(regionalIssuerOf(pool), pool);
    if (config.acceptGlobalIssuer !== false) issuers.set(globalIssuerOf(pool), pool);
  }
  return issuers;
}

/**
 * Every documented rule the token breaks, as the code the README gives it. Empty: it must verify.
 * The README does not rank rules, so with several broken the verifier may report any of them.
 */
function brokenRules(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signer: Signer,
  config: Config,
  nowMs: number,
): Set<AuthErrorCode> {
  const broken = new Set<AuthErrorCode>();
  // Header: "no kid, any crit or cty, a non-string typ" → malformed; alg other than RS256 → unsupported.
  const { alg, kid } = header;
  if (typeof alg !== 'string') broken.add('malformed_token');
  else if (alg !== 'RS256') broken.add('unsupported_algorithm');
  if (has(header, 'crit') || has(header, 'cty')) broken.add('malformed_token');
  if (has(header, 'typ') && typeof header.typ !== 'string') broken.add('malformed_token');
  if (typeof kid !== 'string' || kid === '') broken.add('malformed_token');
  // Issuer: one of the configured pools, in an accepted form.
  if (typeof payload.iss !== 'string' || !acceptedIssuers(config).has(payload.iss))
    broken.add('invalid_issuer');
  // Key and signature.
  if (typeof kid === 'string' && kid !== '') {
    const owner = JWKS_TABLE.get(kid);
    if (owner === undefined) broken.add('unknown_key');
    else if (owner === 'refused') broken.add('invalid_key');
    else if (owner !== signer) broken.add('invalid_signature');
  }
  // Times (RFC 7519 §4.1.4–6 with the tolerance): exp required; valid while now < exp + tolerance.
  // Compared in integer milliseconds, so the oracle does not share the verifier's arithmetic.
  const toleranceMs = (config.tolerance ?? 0) * 1000;
  const { exp, nbf, iat } = payload;
  if (!finite(exp)) broken.add('invalid_claims');
  else {
    if (nowMs >= exp * 1000 + toleranceMs) broken.add('expired');
    // expiresAt is a Date: an exp no Date can hold is not a valid claim.
    if (exp > 8.64e12) broken.add('invalid_claims');
  }
  if (has(payload, 'nbf')) {
    if (!finite(nbf)) broken.add('invalid_claims');
    else if (nowMs + toleranceMs < nbf * 1000) broken.add('not_yet_valid');
  }
  if (has(payload, 'iat')) {
    if (!finite(iat)) broken.add('invalid_claims');
    else if (iat * 1000 > nowMs + toleranceMs) broken.add('issued_in_future');
  }
  // token_use, client and the claims typed by token kind.
  const use = payload.token_use;
  if (use !== 'id' && use !== 'access') {
    broken.add(typeof use === 'string' ? 'invalid_token_use' : 'invalid_claims');
  } else {
    const wanted = config.tokenUse ?? 'access';
    if (wanted !== 'any' && wanted !== use) broken.add('invalid_token_use');
    const client = use === 'access' ? payload.client_id : payload.aud;
    if (typeof client !== 'string') broken.add('invalid_claims');
    else if (config.clientId !== null && ![config.clientId].flat().includes(client))
      broken.add('invalid_client');
    // An access token's aud (resource binding, RFC 8707) is a string or a list of strings.
    const aud = payload.aud;
    const audList = Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string');
    if (use === 'access' && has(payload, 'aud') && typeof aud !== 'string' && !audList)
      broken.add('invalid_claims');
    const userClaim = use === 'id' ? 'cognito:username' : 'username';
    if (has(payload, userClaim) && typeof payload[userClaim] !== 'string') broken.add('invalid_claims');
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') broken.add('invalid_claims');
  if (has(payload, 'auth_time') && !finite(payload.auth_time)) broken.add('invalid_claims');
  for (const name of ['jti', 'origin_jti', 'scope']) {
    if (has(payload, name) && typeof payload[name] !== 'string') broken.add('invalid_claims');
  }
  const groups = payload['cognito:groups'];
  if (
    has(payload, 'cognito:groups') &&
    !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
  ) {
    broken.add('invalid_claims');
  }
  return broken;
}

/** What a successful result must say, from the payload alone. */
function expectedResult(
  token: string,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  config: Config,
) {
  const use = payload.token_use as 'id' | 'access';
  const clientId = (use === 'access' ? payload.client_id : payload.aud) as string;
  const username = payload[use === 'id' ? 'cognito:username' : 'username'] as string | undefined;
  const issuer = payload.iss as string;
  return {
    token,
    header,
    claims: payload,
    sub: payload.sub,
    tokenUse: use,
    clientId,
    username,
    groups: (payload['cognito:groups'] as string[] | undefined) ?? [],
    // "Cognito separates scopes with single spaces"; empty parts of hand-made tokens carry nothing.
    scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => s !== '') : [],
    isMachine: use === 'access' && username === undefined && payload.sub === clientId,
    issuer,
    userPoolId: acceptedIssuers(config).get(issuer),
    expiresAt: Math.trunc((payload.exp as number) * 1000),
  };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: a token valid for the configuration, then 0–3 faults (a member replaced, removed
// or repeated later with another value), signed by the kid's key or by another; the clock lands
// on the boundaries around exp, iat and nbf.

const q = JSON.stringify;
/** Seconds around NOW: whole, and the halves and quarters that make tolerance boundaries exact. */
const nearNow = fc
  .tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 0, 0, 0.5, -0.5, 0.25))
  .map(([s, f]) => String(NOW + s + f));
const ODD_TIMES = ['1e400', '-1e13', '1e13', '8.64e12', '8640000000001', q(String(NOW)), 'null', `[${NOW}]`];

const issuers = [
  regionalIssuerOf(POOL_ID),
  globalIssuerOf(POOL_ID),
  regionalIssuerOf(POOL_2),
  globalIssuerOf(POOL_2),
];

/** Replacement values a fault may write into each payload member (undefined: remove it). */
const PAYLOAD_FAULTS: Record<string, readonly (string | undefined)[]> = {
  iss: [
    ...issuers.map((issuer) => q(issuer)),
    q(regionalIssuerOf('us-east-1_Unconfigured')),
    q(`${issuers[0]}/`),
    q(issuers[0]!.toUpperCase()),
    q(issuers[0]!.replace('https:', 'http:')),
    '1',
    undefined,
  ],
  token_use: ['"access"', '"id"', '"refresh"', '"Access"', '1', 'null', undefined],
  sub: ['"user-1"', q(CLIENT_ID), '""', '1', '["user-1"]', undefined],
  client_id: [q(CLIENT_ID), q(OTHER_CLIENT), '"unknown"', '1', `[${q(CLIENT_ID)}]`, undefined],
  aud: [q(CLIENT_ID), q(OTHER_CLIENT), '"unknown"', '1', `[${q(CLIENT_ID)}]`, undefined],
  username: ['"alice"', '1', 'null', undefined],
  'cognito:username': ['"alice"', '1', 'null', undefined],
  exp: [...ODD_TIMES, String(NOW + 3600), String(NOW - 3600), undefined],
  iat: [...ODD_TIMES, String(NOW + 1), String(NOW), undefined],
  nbf: [...ODD_TIMES, String(NOW + 1), String(NOW), undefined],
  auth_time: ['"yesterday"', '1e400', String(NOW), undefined],
  jti: ['1', 'null', '"jti-2"', undefined],
  origin_jti: ['{}', '"o"', undefined],
  'cognito:groups': ['"admin"', '[1]', '["admin",null]', '[]', '{"0":"admin"}', undefined],
  scope: ['["orders/read"]', '7', '""', '"  "', undefined],
};

const HEADER_FAULTS: Record<string, readonly (string | undefined)[]> = {
  alg: ['"none"', '"HS256"', '"RS512"', '"rs256"', '"RS256 "', '1', 'null', undefined],
  kid: ['"key-a"', '"key-b"', '"weak"', '"e-one"', '"nope"', '""', '7', '["key-a"]', undefined],
  typ: ['"JWT"', '"at+jwt"', '1', 'null', '{"a":1}', undefined],
  cty: ['"JWT"', '""', 'null'],
  crit: ['["exp"]', '[]', '["b64"]'],
  x5u: ['"https://evil.example/cert"'],
};

type Fault = readonly ['header' | 'payload', 'replace' | 'repeat', string, string | undefined];

function faultIn(where: 'header' | 'payload', table: Record<string, readonly (string | undefined)[]>) {
  return fc
    .constantFrom(...Object.keys(table))
    .chain((name) =>
      fc.tuple(
        fc.constant(where),
        fc.constantFrom<'replace' | 'repeat'>('replace', 'replace', 'repeat'),
        fc.constant(name),
        fc.constantFrom(...table[name]!),
      ),
    );
}

const faults: fc.Arbitrary<readonly Fault[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant([]) },
  {
    weight: 6,
    arbitrary: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: faultIn('payload', PAYLOAD_FAULTS) },
        faultIn('header', HEADER_FAULTS),
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
  },
);

/** Apply faults to ordered members: replace in place (or remove), or repeat the name later. */
function withFaults(
  members: Array<readonly [string, string]>,
  where: 'header' | 'payload',
  list: readonly Fault[],
) {
  let result = [...members];
  for (const [place, mode, name, value] of list) {
    if (place !== where) continue;
    if (mode === 'repeat') {
      if (value !== undefined) result.push([name, value]);
    } else {
      result = result.filter(([n]) => n !== name);
      if (value !== undefined) result.push([name, value]);
    }
  }
  return result;
}

const config: fc.Arbitrary<Config> = fc.record({
  pools: fc.constantFrom([POOL_ID], [POOL_ID, POOL_2]),
  clientId: fc.constantFrom(CLIENT_ID, [OTHER_CLIENT, CLIENT_ID], null, OTHER_CLIENT),
  tokenUse: fc.constantFrom(undefined, 'access', 'id', 'any'),
  acceptGlobalIssuer: fc.constantFrom(undefined, true, false),
  tolerance: fc.constantFrom(undefined, 0, 0.5, 1, 30),
  cache: fc.boolean(),
});

/** Optional member: present (with one of `values`) or not. */
const maybe = (name: string, ...values: string[]) =>
  fc.option(
    fc.constantFrom(...values).map((v) => [name, v] as const),
    { nil: undefined },
  );

/** Header and payload members of a token valid for `c` (before faults and the clock). */
function validToken(c: Config) {
  const accepted = [...acceptedIssuers(c).keys()];
  const clients = c.clientId === null ? [CLIENT_ID, OTHER_CLIENT, 'any-client'] : [c.clientId].flat();
  const uses = c.tokenUse === 'id' ? ['id'] : c.tokenUse === 'any' ? ['id', 'access'] : ['access'];
  const header = fc
    .tuple(
      fc.constantFrom('"key-a"', '"key-b"'),
      maybe('typ', '"JWT"'),
      maybe('jwk', '{"kty":"RSA","n":{"deep":[1,{"x":2}]}}'),
    )
    .map(([kid, ...rest]) =>
      [['alg', '"RS256"'] as const, ['kid', kid] as const, ...rest].filter((m) => m !== undefined),
    );
  const payload = fc
    .tuple(
      fc.constantFrom(...uses),
      fc.constantFrom(...accepted),
      fc.constantFrom(...clients),
      fc.constantFrom('"user-1"', 'machine'),
      fc.oneof({ weight: 3, arbitrary: nearNow }, fc.constant(String(NOW + 3600))),
      fc.tuple(
        fc.option(nearNow, { nil: undefined }), // iat
        fc.option(nearNow, { freq: 2, nil: undefined }), // nbf: Cognito omits it; half the cases here
        maybe('auth_time', String(NOW - 60)),
        maybe('jti', '"jti-1"'),
        maybe('origin_jti', '"origin-1"'),
        maybe('cognito:groups', '["admin","staff"]', '[]', '["x y"]'),
        maybe('scope', '"orders/read  orders/write"', '""', '" a "'),
        // Nested claims: a successful result must be frozen all the way down.
        maybe('nested', '{"a":{"b":[1,{"c":true}]},"d":[[]]}'),
        fc.boolean(), // a username (absent on machine tokens)
      ),
    )
    .map(([use, iss, client, sub, exp, [iat, nbf, ...optional]]) => {
      const withUser = optional.pop() as boolean;
      const members: Array<readonly [string, string] | undefined> = [
        ['iss', q(iss)],
        ['token_use', q(use)],
        ['sub', sub === 'machine' ? q(client) : sub],
        [use === 'access' ? 'client_id' : 'aud', q(client)],
        withUser || use === 'id' ? [use === 'id' ? 'cognito:username' : 'username', '"alice"'] : undefined,
        ['exp', exp],
        iat === undefined ? undefined : ['iat', iat],
        nbf === undefined ? undefined : ['nbf', nbf],
        ...(optional as Array<readonly [string, string] | undefined>),
      ];
      return members.filter((m) => m !== undefined);
    });
  return fc.tuple(header, payload);
}

/** The signing key: usually the one the kid names, sometimes another (a forgery). */
const signer = fc.oneof(
  { weight: 10, arbitrary: fc.constant('kid' as const) },
  { weight: 1, arbitrary: fc.constantFrom<Signer>('a', 'b', 'weak', 'stranger') },
);

/**
 * Two clock readings, the second not earlier: a cache hit sees the later one. A clock stepping
 * back is out of scope: a hit re-checks only exp (packages/core/README.md), so a token cached at
 * t1 still passes at t1 - 3 s although its iat is then in the future.
 */
const clockPair = fc
  .tuple(
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0, 1, -1, 250, 500, 999),
    fc.constantFrom(0, 1, 250, 499, 500, 1000, 1000, 1500, 2000, 2000, 3000, 30_000, 31_000),
  )
  .map(([s, ms, later]) => [(NOW + s) * 1000 + ms, (NOW + s) * 1000 + ms + later] as const);

const method = fc.constantFrom('verify', 'direct', 'sync');

function optionsOf(c: Config): Partial<VerifierOptions> {
  return {
    userPoolId: c.pools,
    clientId: c.clientId,
    ...(c.tokenUse === undefined ? {} : { tokenUse: c.tokenUse }),
    ...(c.acceptGlobalIssuer === undefined ? {} : { acceptGlobalIssuer: c.acceptGlobalIssuer }),
    ...(c.tolerance === undefined ? {} : { clockToleranceSeconds: c.tolerance }),
    ...(c.cache ? {} : { cache: false }),
  };
}

async function run(how: string, verifier: ReturnType<typeof makeVerifier>, token: string): Promise<Outcome> {
  if (how === 'verify') return viaVerify(verifier, token);
  if (how === 'direct') return (await viaDirect(verifier, token)).outcome;
  return viaSync(verifier, token);
}

beforeAll(() => generateKeys(keyA, keyB, weakKey, stranger), KEYGEN_TIMEOUT_MS);

describe('soundness against the documented rules', () => {
  it('verifies exactly the signed tokens whose header and claims pass, with a predicted error code otherwise', async () => {
    const seen = { ok: 0, cacheHitsOk: 0, cacheHitsRejected: 0, cases: 0 };
    await fc.assert(
      fc.asyncProperty(
        config.chain((c) => fc.tuple(fc.constant(c), validToken(c))),
        faults,
        signer,
        clockPair,
        fc.tuple(method, method),
        async ([c, [headerBase, payloadBase]], list, signedBy, [t1, t2], [m1, m2]) => {
          // Prepare: hand-written JSON text (duplicates, 1e400), parsed back for the oracle, and a
          // fresh verifier per case so no earlier case's cache entry can answer for this one.
          const headerText = objectText(withFaults(headerBase, 'header', list));
          const payloadText = objectText(withFaults(payloadBase, 'payload', list));
          const header = JSON.parse(headerText) as Record<string, unknown>;
          const payload = JSON.parse(payloadText) as Record<string, unknown>;
          const kid = String(header.kid);
          const whoKey: Signer =
            signedBy !== 'kid' ? signedBy : Object.hasOwn(KID_SIGNER, kid) ? KID_SIGNER[kid]! : 'a';
          const token = signText(headerText, payloadText, SIGNERS[whoKey]());
          seen.cases++;
          const clock: Clock = { ms: t1 };
          const verifier = makeVerifier(clock, optionsOf(c));

          for (const [nowMs, how, second] of [
            [t1, m1, false],
            [t2, m2, true],
          ] as const) {
            // Act
            clock.ms = nowMs;
            const hit = second && c.cache && verifier.cachedTokens === 1;
            const outcome = await run(how, verifier, token);
            // Assess
            const broken = brokenRules(header, payload, whoKey, c, nowMs);
            if (broken.size === 0) {
              expect(verdict(outcome), `expected success at ${nowMs}`).toBe('ok');
              const result = (outcome as Extract<Outcome, { ok: true }>).token;
              expect({ ...result, expiresAt: result.expiresAt.getTime() }).toEqual(
                expectedResult(token, header, payload, c),
              );
              expect(isVerifiedToken(result)).toBe(true);
              expect(isDeeplyFrozen(result)).toBe(true);
              expect(() => result.expiresAt.setTime(0)).toThrow(TypeError);
              seen.ok++;
              if (hit) seen.cacheHitsOk++;
            } else {
              expect([...broken], `at ${nowMs}`).toContain(verdict(outcome));
              if (hit) seen.cacheHitsRejected++;
            }
          }
        },
      ),
      propertyParameters(3000, 12_000),
    );
    expectReached(seen.ok, 'a verified token', seen.cases);
    expectReached(seen.cacheHitsOk, 'a cache hit that still verifies', seen.cases);
    expectReached(seen.cacheHitsRejected, 'a cache hit past exp', seen.cases);
  }, 60_000);

  it('accepts a valid token of exactly the size cap and refuses one character more', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 900, max: 17_000 }), { nil: undefined }),
        fc.integer({ min: -3, max: 3 }),
        async (cap, offset) => {
          // Prepare: pad the payload (and, for lengths base64url cannot reach, the header's typ) until
          // the token is exactly cap + offset characters long.
          const limit = cap ?? DEFAULT_CAP;
          const token = tokenOfLength(limit + offset);
          const verifier = makeVerifier({ ms: NOW * 1000 }, cap === undefined ? {} : { maxTokenLength: cap });
          // Act
          const outcome = await viaVerify(verifier, token);
          // Assess: the cap is inclusive and counts characters.
          expect(token.length).toBe(limit + offset);
          expect(verdict(outcome)).toBe(offset <= 0 ? 'ok' : 'malformed_token');
        },
      ),
      propertyParameters(100, 3000),
    );
  }, 30_000);
});

/** A valid token of exactly `length` characters. */
function tokenOfLength(length: number): string {
  const claims = objectText([
    ['sub', '"user-1"'],
    ['iss', q(issuers[0])],
    ['client_id', q(CLIENT_ID)],
    ['token_use', '"access"'],
    ['exp', String(NOW + 60)],
  ]);
  const sigLength = 342; // 256 bytes
  for (let typ = 0; typ < 4; typ++) {
    const header = `{"alg":"RS256","kid":"key-a","typ":"${'J'.repeat(typ)}"}`;
    const headerLength = Buffer.from(header).toString('base64url').length;
    const payloadLength = length - headerLength - sigLength - 2;
    const bytes = Math.floor((payloadLength * 3) / 4);
    const base = Buffer.byteLength(`${claims.slice(0, -1)},"pad":""}`);
    if (Math.ceil((bytes * 4) / 3) !== payloadLength || bytes < base) continue;
    const payload = `${claims.slice(0, -1)},"pad":"${'x'.repeat(bytes - base)}"}`;
    return signText(header, payload, keyA());
  }
  throw new Error(`no valid token of length ${length}`);
}
