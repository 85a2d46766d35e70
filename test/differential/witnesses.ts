/**
 * For each row of divergences.ts: a predicate that recognises its input in any case (`applies`,
 * used by the property in peers.test.ts to explain a divergence), and concrete tokens that show it
 * (`examples`, run against all three verifiers by readme-table.test.ts). A case is looked at the
 * way a lenient decoder sees it (Node's base64 decoder, a byte-order mark skipped), so the predicate
 * still sees the claims of a token only we refuse to decode.
 */
import { isUtf8 } from 'node:buffer';
import type { DivergenceId, LooserId } from './divergences.js';
import type { Keyring } from './keyring.js';
import type { PeerCase, TokenUse } from './peers.js';
import {
  buildToken,
  CLIENT_ID,
  cognitoClaims,
  type Jwk,
  NOW,
  omit,
  RawJson,
  rsaKeyFromJwk,
  type Signer,
  type TokenRecipe,
  withLeadingZero,
  withPadding,
  withTrailingBits,
} from './tokens.js';

/** A case as the predicates see it. */
export interface CaseView {
  readonly token: string;
  readonly segments: readonly string[];
  readonly headerBytes: Buffer | undefined;
  readonly payloadBytes: Buffer | undefined;
  readonly header: Record<string, unknown> | undefined;
  readonly payload: Record<string, unknown> | undefined;
  /** The JWKS members whose kid is the header's (all of them when the header has none: jose then tries each). */
  readonly members: readonly Jwk[];
  readonly tokenUse: TokenUse;
  readonly nowSeconds: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function lenientJson(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  const text = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3).toString('utf8') : bytes.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function viewOf(c: PeerCase): CaseView {
  const segments = c.token.split('.');
  const bytes = (index: number) =>
    segments.length === 3 ? Buffer.from(segments[index]!, 'base64') : undefined;
  const headerBytes = bytes(0);
  const header = lenientJson(headerBytes);
  const kid = header?.kid;
  return {
    token: c.token,
    segments,
    headerBytes,
    payloadBytes: bytes(1),
    header,
    payload: lenientJson(bytes(1)),
    members:
      header !== undefined && !Object.hasOwn(header, 'kid')
        ? c.jwks.keys
        : c.jwks.keys.filter((key) => key.kid !== undefined && key.kid === kid),
    tokenUse: c.tokenUse,
    nowSeconds: (c.nowMs ?? NOW * 1000) / 1000,
  };
}

/** What examples are built from: the keyring, and the Wycheproof ROCA key when ../shared has it. */
export interface ExampleContext {
  readonly keys: Keyring;
  /** The private JWK of json_web_key_test.json, group `jws_rsa_roca_key`. */
  readonly rocaJwk: Jwk | undefined;
}

/** A concrete token showing one row, and how to build it. */
export interface Example {
  readonly name: string;
  /** `undefined` when the example needs ../shared and it is absent. */
  readonly build: (context: ExampleContext) => PeerCase | undefined;
}

export interface Witness {
  readonly applies: (view: CaseView) => boolean;
  readonly examples: readonly Example[];
}

const has = (object: Record<string, unknown> | undefined, name: string): boolean =>
  object !== undefined && Object.hasOwn(object, name);

function claim(view: CaseView, name: string): unknown {
  return view.payload?.[name];
}

function modulusBits(jwk: Jwk): number {
  if (typeof jwk.n !== 'string') return 0;
  const n = Buffer.from(jwk.n, 'base64url');
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

function isCanonical(segment: string): boolean {
  return (
    /^[A-Za-z0-9_-]*$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment
  );
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const MAX_DATE_SECONDS = 8.64e12;

/** The usual good case: an access token signed by `good`, both good keys in the JWKS. */
function base(
  keys: Keyring,
  change: Partial<TokenRecipe> & {
    claims?: Record<string, unknown>;
    tokenUse?: TokenUse;
    jwks?: Jwk[];
    nowMs?: number;
  } = {},
): PeerCase {
  const tokenUse = change.tokenUse ?? 'access';
  const signer = change.signer ?? keys.good;
  const token = buildToken({
    header: change.header ?? { alg: 'RS256', kid: signer.kid },
    payload: change.payload ?? cognitoClaims(tokenUse, change.claims),
    signer,
    ...(change.signWith === undefined ? {} : { signWith: change.signWith }),
    ...(change.headerSpelling === undefined ? {} : { headerSpelling: change.headerSpelling }),
    ...(change.payloadSpelling === undefined ? {} : { payloadSpelling: change.payloadSpelling }),
  });
  return {
    token,
    jwks: { keys: change.jwks ?? [keys.good.jwk, keys.other.jwk] },
    tokenUse,
    ...(change.nowMs === undefined ? {} : { nowMs: change.nowMs }),
  };
}

const withSigner = (name: string, pick: (keys: Keyring) => Signer): Example => ({
  name,
  build: ({ keys }) => {
    const signer = pick(keys);
    return base(keys, { signer, jwks: [keys.good.jwk, signer.jwk] });
  },
});

const withClaims = (
  name: string,
  claims: Record<string, unknown>,
  tokenUse: TokenUse = 'access',
): Example => ({
  name,
  build: ({ keys }) => base(keys, { claims, tokenUse }),
});

const withHeader = (name: string, header: Record<string, unknown>): Example => ({
  name,
  build: ({ keys }) => base(keys, { header: { alg: 'RS256', kid: keys.good.kid, ...header } }),
});

/** Replace the signature segment of a case's token. */
function respellSignature(c: PeerCase, respell: (signature: string) => string): PeerCase {
  const at = c.token.lastIndexOf('.');
  return { ...c, token: c.token.slice(0, at + 1) + respell(c.token.slice(at + 1)) };
}

export const ROCA_KID = 'kid-rsa-roca-sign';

/** A header that needs `=` padding (its JSON length is not a multiple of 3). */
function headerNeedingPadding(kid: string): Record<string, unknown> {
  const header: Record<string, unknown> = { alg: 'RS256', kid, x: '' };
  while (JSON.stringify(header).length % 3 === 0) header.x += 'x';
  return header;
}

export const WITNESSES: Readonly<Record<DivergenceId, Witness>> = {
  'e-one': {
    applies: (v) => v.members.some((m) => m.e === 'AQ'),
    examples: [withSigner('a signature forged without any private key', (k) => k.eOne)],
  },
  'e-not-65537': {
    applies: (v) => v.members.some((m) => m.kty === 'RSA' && m.e !== 'AQAB' && m.e !== 'AQ'),
    examples: [withSigner('e = 3', (k) => k.eThree)],
  },
  'small-key': {
    applies: (v) => v.members.some((m) => m.kty === 'RSA' && modulusBits(m) < 2048),
    examples: [withSigner('1024 bits', (k) => k.small)],
  },
  roca: {
    applies: (v) => v.members.some((m) => m.kid === ROCA_KID),
    examples: [
      {
        name: 'the Wycheproof ROCA key',
        build: ({ keys, rocaJwk }) => {
          if (rocaJwk === undefined) return undefined;
          const signer = rsaKeyFromJwk(ROCA_KID, rocaJwk);
          return base(keys, { signer, jwks: [keys.good.jwk, signer.jwk] });
        },
      },
    ],
  },
  'ec-key-rs256': {
    applies: (v) => v.header?.alg === 'RS256' && v.members.some((m) => m.kty === 'EC'),
    examples: [withSigner('ECDSA P-256 with SHA-256', (k) => k.ec)],
  },
  'ec-signature-length': {
    applies: (v) =>
      v.members.some((m) => m.kty === 'EC') &&
      v.segments.length === 3 &&
      Buffer.from(v.segments[2]!, 'base64').length !== 64,
    examples: [
      {
        name: '60 bytes instead of 64',
        build: ({ keys }) =>
          respellSignature(base(keys, { signer: keys.ec, jwks: [keys.good.jwk, keys.ec.jwk] }), (s) =>
            s.slice(0, 80),
          ),
      },
    ],
  },
  'other-alg': {
    applies: (v) => ['RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'].includes(String(v.header?.alg)),
    examples: [
      ...['RS384', 'RS512'].map((alg) => ({
        name: alg,
        build: ({ keys }: ExampleContext) =>
          base(keys, { header: { alg, kid: keys.good.kid }, jwks: [omit(keys.good.jwk, 'alg')] }),
      })),
      {
        name: 'ES256',
        build: ({ keys }) =>
          base(keys, {
            signer: keys.ec,
            header: { alg: 'ES256', kid: keys.ec.kid },
            jwks: [keys.good.jwk, keys.ec.jwk],
          }),
      },
    ],
  },
  'key-ops': {
    applies: (v) =>
      v.members.some(
        (m) => m.key_ops !== undefined && !(Array.isArray(m.key_ops) && m.key_ops.includes('verify')),
      ),
    examples: [
      {
        name: 'key_ops ["encrypt"]',
        build: ({ keys }) => base(keys, { jwks: [{ ...keys.good.jwk, key_ops: ['encrypt'] }] }),
      },
    ],
  },
  'key-ops-duplicates': {
    applies: (v) =>
      v.members.some((m) => Array.isArray(m.key_ops) && new Set(m.key_ops).size !== m.key_ops.length),
    examples: [
      {
        name: 'key_ops ["verify", "verify"]',
        build: ({ keys }) => base(keys, { jwks: [{ ...keys.good.jwk, key_ops: ['verify', 'verify'] }] }),
      },
    ],
  },
  'private-jwk': {
    applies: (v) => v.members.some((m) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].some((name) => has(m, name))),
    examples: [
      {
        name: 'the whole private JWK',
        build: ({ keys }) => base(keys, { jwks: [{ ...keys.good.jwk, ...keys.good.privateMembers }] }),
      },
    ],
  },
  'n-leading-zero': {
    applies: (v) => v.members.some((m) => typeof m.n === 'string' && Buffer.from(m.n, 'base64url')[0] === 0),
    examples: [
      {
        name: 'one zero byte',
        build: ({ keys }) => base(keys, { jwks: [withLeadingZero(keys.good.jwk)] }),
      },
    ],
  },
  'duplicate-kid': {
    applies: (v) => v.members.length >= 2,
    examples: [
      {
        name: 'the signing key first',
        build: ({ keys }) => base(keys, { jwks: [keys.good.jwk, { ...keys.other.jwk, kid: keys.good.kid }] }),
      },
    ],
  },
  'no-kid': {
    applies: (v) => v.header !== undefined && !has(v.header, 'kid'),
    examples: [
      {
        name: 'one key in the JWKS',
        build: ({ keys }) => base(keys, { header: { alg: 'RS256' }, jwks: [keys.good.jwk] }),
      },
    ],
  },
  'long-kid': {
    applies: (v) => typeof v.header?.kid === 'string' && v.header.kid.length > 256,
    examples: [withSigner('300 characters', (k) => k.longKid)],
  },
  crit: {
    applies: (v) => has(v.header, 'crit'),
    examples: [withHeader('crit ["exp"]', { crit: ['exp'], exp: NOW + 3600 })],
  },
  'crit-b64': {
    applies: (v) =>
      Array.isArray(v.header?.crit) &&
      v.header.crit.length === 1 &&
      v.header.crit[0] === 'b64' &&
      v.header.b64 === true,
    examples: [withHeader('crit ["b64"], b64 true', { crit: ['b64'], b64: true })],
  },
  cty: {
    applies: (v) => has(v.header, 'cty'),
    examples: [withHeader('cty "JWT"', { cty: 'JWT' })],
  },
  'typ-not-string': {
    applies: (v) => has(v.header, 'typ') && typeof v.header?.typ !== 'string',
    examples: [withHeader('typ 1', { typ: 1 }), withHeader('typ ["JWT"]', { typ: ['JWT'] })],
  },
  'non-canonical': {
    applies: (v) =>
      v.segments.length === 3 && v.segments.some((s) => !isCanonical(s) && /^[A-Za-z0-9_-]+={0,2}$/.test(s)),
    examples: [
      { name: 'a padded signature', build: ({ keys }) => respellSignature(base(keys), withPadding) },
      {
        name: 'signature trailing bits',
        build: ({ keys }) => respellSignature(base(keys), withTrailingBits),
      },
      {
        name: 'a padded header, signed as sent',
        build: ({ keys }) =>
          base(keys, { header: headerNeedingPadding(keys.good.kid), headerSpelling: 'padded' }),
      },
      {
        name: 'header trailing bits, signed as sent',
        build: ({ keys }) =>
          base(keys, { header: headerNeedingPadding(keys.good.kid), headerSpelling: 'trailing-bits' }),
      },
    ],
  },
  whitespace: {
    applies: (v) => v.segments.length === 3 && v.segments.some((s) => /[\t\n\f\r ]/.test(s)),
    examples: [
      {
        name: 'a space in the header, signed as sent',
        build: ({ keys }) => base(keys, { headerSpelling: 'whitespace' }),
      },
      {
        name: 'a tab in the signature',
        build: ({ keys }) => respellSignature(base(keys), (sig) => `${sig.slice(0, 9)}\t${sig.slice(9)}`),
      },
    ],
  },
  bom: {
    applies: (v) => [v.headerBytes, v.payloadBytes].some((b) => b?.subarray(0, 3).equals(BOM) === true),
    examples: [
      { name: 'before the payload', build: ({ keys }) => base(keys, { payloadSpelling: 'bom' }) },
      { name: 'before the header', build: ({ keys }) => base(keys, { headerSpelling: 'bom' }) },
    ],
  },
  'invalid-utf8': {
    applies: (v) => [v.headerBytes, v.payloadBytes].some((b) => b !== undefined && !isUtf8(b)),
    examples: [
      { name: 'in the payload', build: ({ keys }) => base(keys, { payloadSpelling: 'invalid-utf8' }) },
      {
        name: 'in the header (in its typ)',
        build: ({ keys }) =>
          base(keys, {
            header: { alg: 'RS256', kid: keys.good.kid, typ: 'JWT' },
            headerSpelling: 'invalid-utf8',
          }),
      },
    ],
  },
  'size-cap': {
    applies: (v) => v.token.length > 16 * 1024,
    examples: [withClaims('a 17,000-character claim', { padding: 'x'.repeat(17_000) })],
  },
  'no-exp': {
    applies: (v) => v.payload !== undefined && claim(v, 'exp') === undefined,
    examples: [withClaims('no exp', { exp: undefined })],
  },
  'exp-now': {
    applies: (v) => claim(v, 'exp') === v.nowSeconds,
    examples: [
      { name: 'exp = now', build: ({ keys }) => base(keys, { claims: { exp: NOW }, nowMs: NOW * 1000 }) },
    ],
  },
  'exp-fraction': {
    applies: (v) => {
      const exp = claim(v, 'exp');
      return isFiniteNumber(exp) && exp <= v.nowSeconds && exp > Math.floor(v.nowSeconds);
    },
    examples: [
      {
        name: 'exp = now - 0.25 s',
        build: ({ keys }) => base(keys, { claims: { exp: NOW + 0.25 }, nowMs: NOW * 1000 + 500 }),
      },
    ],
  },
  'iat-future': {
    applies: (v) => {
      const iat = claim(v, 'iat');
      return isFiniteNumber(iat) && iat > v.nowSeconds;
    },
    examples: [withClaims('iat a minute ahead', { iat: NOW + 60 }), withClaims('iat 1e13', { iat: 1e13 })],
  },
  'exp-beyond-dates': {
    applies: (v) => {
      const exp = claim(v, 'exp');
      return isFiniteNumber(exp) && exp > MAX_DATE_SECONDS;
    },
    examples: [withClaims('exp 1e13', { exp: 1e13 })],
  },
  'exp-absurd-past': {
    applies: (v) => {
      const exp = claim(v, 'exp');
      return isFiniteNumber(exp) && exp < -MAX_DATE_SECONDS;
    },
    examples: [withClaims('exp -1e13', { exp: -1e13 })],
  },
  'nbf-absurd-future': {
    applies: (v) => {
      const nbf = claim(v, 'nbf');
      return isFiniteNumber(nbf) && nbf > MAX_DATE_SECONDS;
    },
    examples: [withClaims('nbf 1e13', { nbf: 1e13 })],
  },
  'time-infinite': {
    applies: (v) => {
      const [exp, nbf, iat] = ['exp', 'nbf', 'iat'].map((name) => claim(v, name));
      return exp === Infinity || nbf === -Infinity || iat === Infinity || iat === -Infinity;
    },
    examples: [
      withClaims('exp 1e400', { exp: new RawJson('1e400') }),
      withClaims('iat 1e400', { iat: new RawJson('1e400') }),
      withClaims('iat -1e400', { iat: new RawJson('-1e400') }),
      withClaims('nbf -1e400', { nbf: new RawJson('-1e400') }),
    ],
  },
  'cognito-claim-types': {
    applies: (v) => {
      const groups = claim(v, 'cognito:groups');
      const username = claim(v, claim(v, 'token_use') === 'id' ? 'cognito:username' : 'username');
      const originJti = claim(v, 'origin_jti');
      const authTime = claim(v, 'auth_time');
      return (
        (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) ||
        (username !== undefined && typeof username !== 'string') ||
        (originJti !== undefined && typeof originJti !== 'string') ||
        (authTime !== undefined && !isFiniteNumber(authTime))
      );
    },
    examples: [
      withClaims('cognito:groups "admin"', { 'cognito:groups': 'admin' }),
      withClaims('cognito:groups [1]', { 'cognito:groups': [1] }),
      withClaims('username 5', { username: 5 }),
      withClaims('cognito:username 5', { 'cognito:username': 5 }, 'id'),
      withClaims('origin_jti 5', { origin_jti: 5 }),
      withClaims('auth_time "1"', { auth_time: '1' }),
    ],
  },
  'registered-claim-types': {
    applies: (v) =>
      ['sub', 'jti', 'scope'].some(
        (name) => claim(v, name) !== undefined && typeof claim(v, name) !== 'string',
      ),
    examples: [
      withClaims('sub 5', { sub: 5 }),
      withClaims('jti 5', { jti: 5 }),
      withClaims('scope ["openid"]', { scope: ['openid'] }),
    ],
  },
  'sub-missing': {
    applies: (v) => v.payload !== undefined && (claim(v, 'sub') === undefined || claim(v, 'sub') === ''),
    examples: [withClaims('no sub', { sub: undefined }), withClaims('sub ""', { sub: '' })],
  },
  'aud-on-access-token': {
    applies: (v) => {
      const aud = claim(v, 'aud');
      return (
        claim(v, 'token_use') === 'access' &&
        aud !== undefined &&
        typeof aud !== 'string' &&
        !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))
      );
    },
    examples: [withClaims('aud 5', { aud: 5 }), withClaims('aud [1]', { aud: [1] })],
  },
  'aud-array': {
    applies: (v) => v.tokenUse === 'id' && Array.isArray(claim(v, 'aud')),
    examples: [withClaims('aud [client]', { aud: [CLIENT_ID] }, 'id')],
  },
};

/** The same for the LOOSER entries: how to recognise and show each. */
export const LOOSER_WITNESSES: Readonly<Record<LooserId, Witness>> = {
  'key-ops-sign-verify': {
    applies: (v) =>
      v.members.some(
        (m) => Array.isArray(m.key_ops) && m.key_ops.includes('sign') && m.key_ops.includes('verify'),
      ),
    examples: [
      {
        name: 'key_ops ["sign", "verify"]',
        build: ({ keys }) => base(keys, { jwks: [{ ...keys.good.jwk, key_ops: ['sign', 'verify'] }] }),
      },
    ],
  },
  'nbf-fraction': {
    applies: (v) => {
      const nbf = claim(v, 'nbf');
      return isFiniteNumber(nbf) && nbf <= v.nowSeconds && nbf > Math.floor(v.nowSeconds);
    },
    examples: [
      {
        name: 'nbf = now - 0.25 s',
        build: ({ keys }) => base(keys, { claims: { nbf: NOW + 0.25 }, nowMs: NOW * 1000 + 500 }),
      },
    ],
  },
};
