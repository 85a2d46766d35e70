/**
 * Keys and token assembly for the differential suites. Everything is built by hand with node:crypto
 * so that a case can be anything a hostile client can send: any header, raw JSON (numbers such as
 * `1e400`, a byte-order mark, invalid UTF-8), non-canonical base64url, or a signature no honest
 * signer makes (ECDSA under an `RS256` header, a forgery for a key with `e = 1`).
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';

export const REGION = 'eu-west-1';
export const POOL_ID = `${REGION}_DiffPool01`;
export const CLIENT_ID = '5differentialclient0000001';
export const OTHER_CLIENT_ID = '5differentialclient0000002';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const GLOBAL_ISSUER = `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
/** The fixed clock of every generated case, in epoch seconds. */
export const NOW = 1_800_000_000;

export type Jwk = Record<string, unknown>;
export interface Jwks {
  readonly keys: readonly Jwk[];
}

/** A signing key and its public JWK. `sign` returns the signature segment for a signing input. */
export interface Signer {
  readonly kid: string;
  readonly jwk: Jwk;
  /** The private JWK members, for the "private key material in the JWKS" variant (RSA only). */
  readonly privateMembers: Jwk | undefined;
  sign(alg: string, input: string): string;
}

const HASHES: Readonly<Record<string, string>> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

function hashOf(alg: string): string {
  return HASHES[alg.slice(-3)] ?? 'sha256';
}

function rsaSigner(kid: string, privateKey: KeyObject, publicJwk: Jwk): Signer {
  const full = privateKey.export({ format: 'jwk' }) as Jwk;
  const privateMembers = Object.fromEntries(
    ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((name) => [name, full[name]] as const),
  );
  return {
    kid,
    jwk: { kty: 'RSA', kid, alg: 'RS256', use: 'sig', n: publicJwk.n, e: publicJwk.e },
    privateMembers,
    sign(alg, input) {
      if (alg === 'none') return '';
      if (alg.startsWith('HS')) {
        // The classic confusion: the public key's JSON as an HMAC secret.
        return createHmac(hashOf(alg), JSON.stringify(this.jwk)).update(input).digest('base64url');
      }
      return sign(hashOf(alg), Buffer.from(input), privateKey).toString('base64url');
    },
  };
}

/** A fresh RSA key pair (2048 bits and e = 65537 unless told otherwise). */
export function rsaKey(kid: string, modulusLength = 2048, publicExponent = 65537): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent });
  return rsaSigner(kid, privateKey, publicKey.export({ format: 'jwk' }) as Jwk);
}

/** An RSA signer from a private JWK (the Wycheproof ROCA key). */
export function rsaKeyFromJwk(kid: string, privateJwk: Jwk): Signer {
  const privateKey = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
  return rsaSigner(kid, privateKey, privateJwk);
}

/** A P-256 key. It signs ECDSA whatever the header says, as aws-jwt-verify verifies it. */
export function ecKey(kid: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { crv, x, y } = publicKey.export({ format: 'jwk' }) as Jwk;
  return {
    kid,
    jwk: { kty: 'EC', kid, crv, x, y, use: 'sig' },
    privateMembers: undefined,
    sign(alg, input) {
      if (alg === 'none') return '';
      return sign(hashOf(alg), Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString(
        'base64url',
      );
    },
  };
}

const DIGEST_INFO: Readonly<Record<string, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/**
 * A JWK with `e = 1` over another key's modulus, and a signer that needs no private key: with
 * e = 1 the "signature" of a message is its PKCS #1 v1.5 encoding itself, which anyone can compute.
 */
export function eOneForger(kid: string, modulusOf: Signer): Signer {
  const bytes = Buffer.from(String(modulusOf.jwk.n), 'base64url').length;
  return {
    kid,
    jwk: { kty: 'RSA', kid, alg: 'RS256', use: 'sig', n: modulusOf.jwk.n, e: 'AQ' },
    privateMembers: undefined,
    sign(alg, input) {
      if (alg === 'none') return '';
      const hash = hashOf(alg);
      const t = Buffer.concat([
        Buffer.from(DIGEST_INFO[hash]!, 'hex'),
        createHash(hash).update(input).digest(),
      ]);
      const padding = Buffer.alloc(bytes - t.length - 3, 0xff);
      return Buffer.concat([Buffer.from([0, 1]), padding, Buffer.from([0]), t]).toString('base64url');
    },
  };
}

/** The same key under another kid (for the over-long kid case). */
export function renamed(signer: Signer, kid: string): Signer {
  return {
    kid,
    jwk: { ...signer.jwk, kid },
    privateMembers: signer.privateMembers,
    sign: (alg, input) => signer.sign(alg, input),
  };
}

/** A JWK without some members. */
export function omit(jwk: Jwk, ...names: string[]): Jwk {
  const copy = { ...jwk };
  for (const name of names) delete copy[name];
  return copy;
}

/** `n` with a zero byte in front: the same number, a non-canonical encoding. */
export function withLeadingZero(jwk: Jwk): Jwk {
  const n = Buffer.concat([Buffer.from([0]), Buffer.from(String(jwk.n), 'base64url')]);
  return { ...jwk, n: n.toString('base64url') };
}

/** A number or any other JSON text spliced into a payload verbatim (`1e400`, `-0`, `1.5`). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except that `RawJson` values are written as their text. */
export function jsonText(value: Record<string, unknown>): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, member: unknown) => {
    if (member instanceof RawJson) {
      raws.push(member.text);
      return `@@raw${raws.length - 1}@@`;
    }
    return member;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_match, index: string) => raws[Number(index)]!);
}

/** How a header or payload segment is spelled. */
export type SegmentSpelling =
  | 'canonical'
  | 'padded'
  | 'trailing-bits'
  | 'bom'
  | 'invalid-utf8'
  | 'whitespace';

export const SEGMENT_SPELLINGS: readonly SegmentSpelling[] = [
  'canonical',
  'padded',
  'trailing-bits',
  'bom',
  'invalid-utf8',
  'whitespace',
];

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Sets the unused low bits of the last character, when the length leaves any. */
export function withTrailingBits(segment: string): string {
  const rest = segment.length % 4;
  if (rest === 0) return segment;
  const last = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[last | (rest === 2 ? 0x0f : 0x03)];
}

/** Adds the `=` padding RFC 4648 §4 would have, when the length needs any. */
export function withPadding(segment: string): string {
  return segment + '='.repeat((4 - (segment.length % 4)) % 4);
}

/** Encode one JSON segment in the given spelling. */
export function encodeSegment(json: string, spelling: SegmentSpelling): string {
  let bytes = Buffer.from(json, 'utf8');
  if (spelling === 'bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  if (spelling === 'invalid-utf8') {
    // A lone continuation byte inside the last string value: not UTF-8.
    const at = bytes.lastIndexOf(0x22, bytes.lastIndexOf(0x22) - 1) + 1;
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0x80]), bytes.subarray(at)]);
  }
  const text = bytes.toString('base64url');
  switch (spelling) {
    case 'padded':
      return withPadding(text);
    case 'trailing-bits':
      return withTrailingBits(text);
    case 'whitespace':
      return `${text.slice(0, 8)} ${text.slice(8)}`;
    default:
      return text;
  }
}

export interface TokenRecipe {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signer: Signer;
  /** The algorithm the signature is computed with (usually the header's `alg`). */
  readonly signWith?: string;
  readonly headerSpelling?: SegmentSpelling;
  readonly payloadSpelling?: SegmentSpelling;
}

/** Assemble and sign a compact JWS exactly as the recipe says. */
export function buildToken(recipe: TokenRecipe): string {
  const header = encodeSegment(jsonText(recipe.header), recipe.headerSpelling ?? 'canonical');
  const payload = encodeSegment(jsonText(recipe.payload), recipe.payloadSpelling ?? 'canonical');
  const alg = recipe.signWith ?? (typeof recipe.header.alg === 'string' ? recipe.header.alg : 'RS256');
  return `${header}.${payload}.${recipe.signer.sign(alg, `${header}.${payload}`)}`;
}

/** Claims of a Cognito access or ID token for CLIENT_ID, valid at NOW, with overrides (undefined removes). */
export function cognitoClaims(
  tokenUse: 'id' | 'access',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const common: Record<string, unknown> = {
    sub: '7c1f3a2e-91d0-4b6f-a0c4-5e2b8d9f0a11',
    'cognito:groups': ['admin'],
    iss: ISSUER,
    origin_jti: 'b0d1e2f3-0000-4000-8000-000000000001',
    event_id: 'e0d1e2f3-0000-4000-8000-000000000002',
    token_use: tokenUse,
    auth_time: NOW - 120,
    exp: NOW + 3600,
    iat: NOW - 60,
    jti: 'j0d1e2f3-0000-4000-8000-000000000003',
  };
  const specific: Record<string, unknown> =
    tokenUse === 'access'
      ? { client_id: CLIENT_ID, scope: 'aws.cognito.signin.user.admin', username: 'alice', version: 2 }
      : { aud: CLIENT_ID, 'cognito:username': 'alice', email: 'alice@example.com', email_verified: true };
  const claims: Record<string, unknown> = { ...common, ...specific, ...overrides };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}
