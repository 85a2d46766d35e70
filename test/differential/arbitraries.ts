/**
 * fast-check arbitraries for the differential property: a `Plan` is plain, printable data (the
 * shrunk counterexample fast-check reports), and `buildCase` turns it into a token and a JWKS.
 * Values cluster around the boundaries: times within seconds of now, the two issuer forms and
 * near-misses of them, claims of the wrong type, headers with extensions, every kind of key the
 * policy refuses, and one-character mutations of the finished text.
 */
import fc from 'fast-check';
import type { Keyring } from './keyring.js';
import type { PeerCase, TokenUse } from './peers.js';
import {
  buildToken,
  CLIENT_ID,
  cognitoClaims,
  GLOBAL_ISSUER,
  ISSUER,
  type Jwk,
  NOW,
  OTHER_CLIENT_ID,
  omit,
  POOL_ID,
  RawJson,
  REGION,
  SEGMENT_SPELLINGS,
  type SegmentSpelling,
  withLeadingZero,
  withPadding,
  withTrailingBits,
} from './tokens.js';

export type SignerName = keyof Keyring;
const SIGNERS: readonly SignerName[] = ['good', 'other', 'small', 'eThree', 'eOne', 'ec', 'longKid'];

export type JwkVariant =
  | 'plain'
  | 'no-alg'
  | 'no-use'
  | 'key-ops-verify'
  | 'key-ops-sign-verify'
  | 'key-ops-encrypt'
  | 'key-ops-duplicate'
  | 'use-enc'
  | 'alg-rs512'
  | 'private'
  | 'n-leading-zero'
  | 'duplicate-kid-after'
  | 'duplicate-kid-before'
  | 'absent';

export type Mutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'replace' | 'insert'; readonly at: number; readonly char: string }
  | { readonly kind: 'delete' | 'respell'; readonly at: number }
  | { readonly kind: 'signature-padding' | 'signature-trailing-bits' | 'swap-segments' | 'drop-signature' };

export interface Plan {
  /** What the three verifiers are configured to accept. */
  readonly tokenUse: TokenUse;
  /** The claim set the token starts from. */
  readonly kind: TokenUse;
  readonly signer: SignerName;
  readonly signWith: string | undefined;
  readonly header: Record<string, unknown>;
  readonly headerKid: 'signer' | 'other' | 'missing' | 'unknown' | 'number' | 'empty';
  readonly claims: Record<string, unknown>;
  readonly extraClaims: Record<string, unknown>;
  readonly headerSpelling: SegmentSpelling;
  readonly payloadSpelling: SegmentSpelling;
  readonly jwksOthers: readonly SignerName[];
  readonly jwkVariant: JwkVariant;
  readonly mutation: Mutation;
  readonly nowOffsetMs: number;
}

const MISSING = undefined;

/** A value from `common` most of the time, else one of the `rare` ones. */
function mostly<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, weight = 5): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: common, weight }, { arbitrary: rare, weight: 1 });
}

const near = (base: number, spread: number) => fc.integer({ min: -spread, max: spread }).map((d) => base + d);
const fraction = fc.constantFrom(-0.75, -0.25, 0.25, 0.5, 0.75).map((f) => NOW + f);

/** Per claim: values a correct token may carry, and values around or past the edge. */
type ClaimValues = readonly [common: fc.Arbitrary<unknown>, rare: fc.Arbitrary<unknown>];

function claimTable(kind: TokenUse): Record<string, ClaimValues> {
  return {
    exp: [
      fc.oneof(fc.constant(NOW + 3600), near(NOW + 2, 1)),
      fc.oneof(
        near(NOW, 2),
        fraction,
        fc.constantFrom<unknown>(
          MISSING,
          -1e13,
          1e13,
          8.64e12,
          new RawJson('1e400'),
          new RawJson('-1e400'),
          String(NOW + 3600),
          null,
          0,
        ),
      ),
    ],
    nbf: [
      fc.oneof(fc.constant<unknown>(MISSING), near(NOW - 2, 2)),
      fc.oneof(
        near(NOW + 1, 1),
        fraction,
        fc.constantFrom<unknown>(1e13, -1e13, new RawJson('-1e400'), new RawJson('1e400'), '0'),
      ),
    ],
    iat: [
      fc.oneof(fc.constant<unknown>(NOW - 60), near(NOW - 1, 1), fc.constant<unknown>(MISSING)),
      fc.oneof(
        near(NOW + 1, 1),
        fraction,
        fc.constantFrom<unknown>(1e13, new RawJson('1e400'), new RawJson('-1e400'), 'now'),
      ),
    ],
    iss: [
      fc.constantFrom<unknown>(ISSUER, GLOBAL_ISSUER),
      fc.constantFrom<unknown>(
        `${ISSUER}/`,
        `${GLOBAL_ISSUER}/`,
        ISSUER.replace('cognito-idp', 'COGNITO-IDP'),
        ISSUER.replace(POOL_ID, POOL_ID.toLowerCase()),
        ISSUER.replace('https:', 'http:'),
        ISSUER.replace(REGION, 'us-east-1'),
        `https://issuer-cognito-idp.${REGION}.amazonaws.com.cn/${POOL_ID}`,
        `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool1`,
        ` ${ISSUER}`,
        MISSING,
        5,
        [ISSUER],
      ),
    ],
    token_use: [
      fc.constant<unknown>(kind),
      fc.constantFrom<unknown>(kind === 'id' ? 'access' : 'id', 'refresh', MISSING, '', 5, [kind], 'ID'),
    ],
    [kind === 'access' ? 'client_id' : 'aud']: [
      fc.constant<unknown>(CLIENT_ID),
      fc.constantFrom<unknown>(
        OTHER_CLIENT_ID,
        MISSING,
        '',
        [CLIENT_ID],
        [OTHER_CLIENT_ID, CLIENT_ID],
        5,
        CLIENT_ID.toUpperCase(),
      ),
    ],
    // The other one of the pair, which the token's kind does not use.
    [kind === 'access' ? 'aud' : 'client_id']: [
      fc.constant<unknown>(MISSING),
      fc.constantFrom<unknown>(CLIENT_ID, OTHER_CLIENT_ID, 5, [1], [CLIENT_ID], {}),
    ],
    sub: [
      fc.constant<unknown>('7c1f3a2e-91d0-4b6f-a0c4-5e2b8d9f0a11'),
      fc.constantFrom<unknown>(MISSING, '', 5, null),
    ],
    'cognito:groups': [
      fc.constantFrom<unknown>(['admin'], ['admin', 'staff'], MISSING, []),
      fc.constantFrom<unknown>('admin', ['admin', 1], null, {}, ''),
    ],
    scope: [
      fc.constantFrom<unknown>('aws.cognito.signin.user.admin', 'orders/read orders/write', MISSING),
      fc.constantFrom<unknown>('', ' a  b ', ['orders/read'], 5),
    ],
    [kind === 'access' ? 'username' : 'cognito:username']: [
      fc.constantFrom<unknown>('alice', MISSING),
      fc.constantFrom<unknown>(5, ['alice'], ''),
    ],
    auth_time: [
      fc.constantFrom<unknown>(NOW - 120, MISSING),
      fc.constantFrom<unknown>('1', null, new RawJson('1e400')),
    ],
    jti: [fc.constantFrom<unknown>('j-1', MISSING), fc.constantFrom<unknown>(5, {})],
    origin_jti: [fc.constantFrom<unknown>('o-1', MISSING), fc.constantFrom<unknown>(5, [])],
  };
}

function recordOf(table: Record<string, ClaimValues>, pick: (values: ClaimValues) => fc.Arbitrary<unknown>) {
  return fc.record(Object.fromEntries(Object.entries(table).map(([name, values]) => [name, pick(values)])));
}

const smallJson = fc.oneof(
  fc.string({ maxLength: 4 }),
  // Past the 16 KiB size cap.
  fc.constant('x'.repeat(17_000)),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

/** Extra claims, including registered names (they then override the planned value). */
const extraClaims = mostly(
  fc.constant({}),
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('custom:tier', 'email', 'event_id', 'version', 'x', '__proto__', 'constructor'),
      fc.constantFrom('exp', 'nbf', 'iat', 'sub', 'aud', 'scope', 'jti', 'cognito:groups', 'token_use'),
      fc.string({ minLength: 1, maxLength: 6 }),
    ),
    smallJson,
    { maxKeys: 2 },
  ),
  3,
);

const headerExtras = fc.record(
  {
    typ: fc.constantFrom<unknown>('JWT', 'at+jwt', 1, null, ['JWT']),
    cty: fc.constantFrom<unknown>('JWT', 'json'),
    crit: fc.constantFrom<unknown>(['exp'], ['b64'], [], 'b64', ['kid']),
    b64: fc.constantFrom<unknown>(true, false),
    jku: fc.constant<unknown>('https://attacker.example/jwks.json'),
    x5c: fc.constant<unknown>(['MIIB']),
  },
  { requiredKeys: [] },
);

const alg = mostly(
  fc.constant<unknown>('RS256'),
  fc.constantFrom<unknown>(
    'RS384',
    'RS512',
    'ES256',
    'HS256',
    'PS256',
    'none',
    'rs256',
    'RS256 ',
    MISSING,
    5,
  ),
  8,
);

const CHARS = [
  'A',
  'f',
  '0',
  '-',
  '_',
  '=',
  '.',
  ' ',
  '\t',
  '+',
  '/',
  '\u00c1',
  '\u0141',
  '\uff21',
  '\u0000',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant<Mutation>({ kind: 'none' }), weight: 12 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('replace' as const, 'insert' as const),
      at: fc.nat(),
      char: fc.constantFrom(...CHARS),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'respell' as const), at: fc.nat() }),
    weight: 2,
  },
  {
    arbitrary: fc
      .constantFrom(
        'signature-padding' as const,
        'signature-trailing-bits' as const,
        'swap-segments' as const,
        'drop-signature' as const,
      )
      .map((kind): Mutation => ({ kind })),
    weight: 2,
  },
);

const jwkVariant = mostly(
  fc.constant<JwkVariant>('plain'),
  fc.constantFrom<JwkVariant>(
    'no-alg',
    'no-use',
    'key-ops-verify',
    'key-ops-sign-verify',
    'key-ops-encrypt',
    'key-ops-duplicate',
    'use-enc',
    'alg-rs512',
    'private',
    'n-leading-zero',
    'duplicate-kid-after',
    'duplicate-kid-before',
    'absent',
  ),
  3,
);

/** The parts of a plan that `near` cases take from a wild plan (at most two of them). */
const COMPONENTS = [
  'kind',
  'signer',
  'signWith',
  'header',
  'headerKid',
  'extraClaims',
  'headerSpelling',
  'payloadSpelling',
  'jwkVariant',
  'mutation',
] as const;

/**
 * Half the plans are wild (every part drawn, each mostly valid); the other half are near-valid: a
 * correct token with at most two claims set to edge values and at most two other parts drawn, so
 * acceptances, and single deviations from them, are common.
 */
export const planArbitrary: fc.Arbitrary<Plan> = fc
  .constantFrom<TokenUse>('access', 'id')
  .chain((tokenUse) =>
    fc.record({
      tokenUse: fc.constant(tokenUse),
      kind: mostly(fc.constant(tokenUse), fc.constant<TokenUse>(tokenUse === 'id' ? 'access' : 'id'), 4),
    }),
  )
  .chain(({ tokenUse, kind }) => {
    const table = claimTable(kind);
    const wild = fc.record({
      tokenUse: fc.constant(tokenUse),
      kind: fc.constant(kind),
      signer: mostly(fc.constant<SignerName>('good'), fc.constantFrom(...SIGNERS), 3),
      signWith: mostly(fc.constant(undefined), fc.constantFrom('RS256', 'RS384', 'ES256'), 8),
      header: fc
        .record({ alg, extras: mostly(fc.constant({}), headerExtras, 3) })
        .map(({ alg: a, extras }) => (a === undefined ? { ...extras } : { alg: a, ...extras })),
      headerKid: mostly(
        fc.constant('signer' as const),
        fc.constantFrom(
          'other' as const,
          'missing' as const,
          'unknown' as const,
          'number' as const,
          'empty' as const,
        ),
        8,
      ),
      claims: recordOf(table, ([common, rare]) => mostly(common, rare)),
      extraClaims,
      headerSpelling: mostly(
        fc.constant<SegmentSpelling>('canonical'),
        fc.constantFrom(...SEGMENT_SPELLINGS),
        10,
      ),
      payloadSpelling: mostly(
        fc.constant<SegmentSpelling>('canonical'),
        fc.constantFrom(...SEGMENT_SPELLINGS),
        10,
      ),
      jwksOthers: fc.subarray([...SIGNERS], { maxLength: 3 }),
      jwkVariant,
      mutation,
      nowOffsetMs: mostly(fc.constant(0), fc.integer({ min: 1, max: 999 }), 3),
    });
    return fc
      .record({
        wild,
        near: fc.boolean(),
        edges: recordOf(table, ([, rare]) => rare),
        edgeClaims: fc.subarray(Object.keys(table), { maxLength: 2 }),
        components: fc.subarray([...COMPONENTS], { maxLength: 2 }),
        iss: fc.constantFrom(ISSUER, GLOBAL_ISSUER),
      })
      .map(({ wild: plan, near: isNear, edges, edgeClaims, components, iss }): Plan => {
        if (!isNear) return plan;
        const nearPlan: Record<string, unknown> = {
          ...plan,
          kind: tokenUse,
          signer: 'good',
          signWith: undefined,
          header: { alg: 'RS256' },
          headerKid: 'signer',
          claims: { iss, ...Object.fromEntries(edgeClaims.map((name) => [name, edges[name]])) },
          extraClaims: {},
          headerSpelling: 'canonical',
          payloadSpelling: 'canonical',
          jwkVariant: 'plain',
          mutation: { kind: 'none' },
        };
        for (const component of components) nearPlan[component] = plan[component];
        return nearPlan as unknown as Plan;
      });
  });

function memberFor(keys: Keyring, name: SignerName, variant: JwkVariant): Jwk[] {
  const signer = keys[name];
  const jwk = signer.jwk;
  const twin = { ...keys[name === 'other' ? 'good' : 'other'].jwk, kid: jwk.kid };
  switch (variant) {
    case 'plain':
      return [jwk];
    case 'no-alg':
      return [omit(jwk, 'alg')];
    case 'no-use':
      return [omit(jwk, 'use')];
    case 'key-ops-verify':
      return [{ ...jwk, key_ops: ['verify'] }];
    case 'key-ops-sign-verify':
      return [{ ...jwk, key_ops: ['sign', 'verify'] }];
    case 'key-ops-encrypt':
      return [{ ...jwk, key_ops: ['encrypt'] }];
    case 'key-ops-duplicate':
      return [{ ...jwk, key_ops: ['verify', 'verify'] }];
    case 'use-enc':
      return [{ ...jwk, use: 'enc' }];
    case 'alg-rs512':
      return [{ ...jwk, alg: 'RS512' }];
    case 'private':
      return [{ ...jwk, ...signer.privateMembers }];
    case 'n-leading-zero':
      return jwk.kty === 'RSA' ? [withLeadingZero(jwk)] : [jwk];
    case 'duplicate-kid-after':
      return [jwk, twin];
    case 'duplicate-kid-before':
      return [twin, jwk];
    case 'absent':
      return [];
  }
}

function applyMutation(token: string, m: Mutation): string {
  const segments = token.split('.');
  switch (m.kind) {
    case 'none':
      return token;
    case 'replace':
      return token.slice(0, m.at % token.length) + m.char + token.slice((m.at % token.length) + 1);
    case 'insert':
      return token.slice(0, m.at % (token.length + 1)) + m.char + token.slice(m.at % (token.length + 1));
    case 'delete':
      return token.slice(0, m.at % token.length) + token.slice((m.at % token.length) + 1);
    case 'respell': {
      // The same low byte, above U+00FF: Node's decoder would read it as the original character.
      const at = m.at % token.length;
      return token.slice(0, at) + String.fromCharCode(token.charCodeAt(at) + 0x100) + token.slice(at + 1);
    }
    case 'signature-padding':
      return `${segments.slice(0, 2).join('.')}.${withPadding(segments[2] ?? '')}`;
    case 'signature-trailing-bits':
      return `${segments.slice(0, 2).join('.')}.${withTrailingBits(segments[2] ?? '')}`;
    case 'swap-segments':
      return [segments[1], segments[0], ...segments.slice(2)].join('.');
    case 'drop-signature':
      return segments.slice(0, 2).join('.');
  }
}

/** Own properties only, even for `__proto__` (assignment would set the prototype instead). */
function merge(...parts: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.keys(part)) {
      Object.defineProperty(out, name, {
        value: part[name],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  for (const name of Object.keys(out)) if (out[name] === undefined) delete out[name];
  return out;
}

export function buildCase(plan: Plan, keys: Keyring): PeerCase {
  const signer = keys[plan.signer];
  const kid =
    plan.headerKid === 'signer'
      ? signer.kid
      : plan.headerKid === 'other'
        ? keys[plan.signer === 'other' ? 'good' : 'other'].kid
        : plan.headerKid === 'unknown'
          ? 'k-unknown'
          : plan.headerKid === 'number'
            ? 1
            : plan.headerKid === 'empty'
              ? ''
              : undefined;
  const header = merge(plan.header, kid === undefined ? {} : { kid });
  const payload = merge(cognitoClaims(plan.kind), plan.claims, plan.extraClaims);
  const token = buildToken({
    header,
    payload,
    signer,
    ...(plan.signWith === undefined ? {} : { signWith: plan.signWith }),
    headerSpelling: plan.headerSpelling,
    payloadSpelling: plan.payloadSpelling,
  });
  const members = [
    ...memberFor(keys, plan.signer, plan.jwkVariant),
    ...plan.jwksOthers
      .filter((name) => name !== plan.signer && keys[name].kid !== signer.kid)
      .map((name) => keys[name].jwk),
  ];
  return {
    token: applyMutation(token, plan.mutation),
    jwks: { keys: members },
    tokenUse: plan.tokenUse,
    nowMs: NOW * 1000 + plan.nowOffsetMs,
  };
}
