/**
 * Raw JWS compact serialisation for tests that need tokens a well-behaved library refuses to make.
 *
 * JWT libraries (jose included) validate the header before signing: they insist that `alg` matches
 * the key and reject `crit` they do not understand. A verifier test needs exactly those tokens (an
 * `alg: 'none'` header over a valid RS256 signature, a header with `jku`, a payload that is not
 * JSON), so this module signs the bytes it is given and adds or checks nothing.
 */
import {
  createPrivateKey,
  sign as cryptoSign,
  type JsonWebKey,
  KeyObject,
  type webcrypto,
} from 'node:crypto';
import { types } from 'node:util';

/**
 * One token segment: a `Uint8Array` is base64url-encoded as is, a `string` is used verbatim as the
 * already-encoded segment (so a test can write non-canonical base64url), anything else is
 * base64url-encoded JSON.
 */
export type Segment = Uint8Array | string | Record<string, unknown> | unknown[] | number | boolean | null;

/**
 * A private key to sign with: a `node:crypto` `KeyObject`, a WebCrypto `CryptoKey` (what
 * `jose.generateKeyPair` returns), or a private RSA JWK (with `d`).
 */
export type PrivateKeyInput = KeyObject | webcrypto.CryptoKey | JsonWebKey;

/**
 * Joins a header, a payload and an optional signature into a compact token, without signing.
 * Without a signature the token ends in a dot, the shape of an unsecured (`alg: 'none'`) JWT.
 *
 * @example
 * ```ts
 * const unsigned = encodeSegments({ alg: 'none' }, { sub: 'attacker', token_use: 'access' });
 * // 'eyJhbGciOiJub25lIn0.eyJzdWIiOi...In0.'
 * const stolenSignature = token.split('.')[2];
 * const spliced = encodeSegments({ kid, alg: 'RS256' }, { ...claims, 'cognito:groups': ['admin'] }, stolenSignature);
 * ```
 */
export function encodeSegments(header: Segment, payload: Segment, signature?: Uint8Array | string): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}.${encodeSignature(signature)}`;
}

/**
 * Signs `base64url(JSON(header)).base64url(JSON(payload))` with RSASSA-PKCS1-v1_5 SHA-256 (RS256),
 * whatever the header says. Nothing is added to or checked in the header or payload.
 *
 * @example
 * ```ts
 * // A validly RS256-signed token whose header claims alg 'none': a verifier must still reject it.
 * const token = await signToken({ kid: issuer.keyIds.access, alg: 'none' }, claims, privateKey);
 * ```
 */
export async function signToken(header: Segment, payload: Segment, key: PrivateKeyInput): Promise<string> {
  const privateKey = toPrivateKeyObject(key);
  const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = cryptoSign('RSA-SHA256', Buffer.from(input, 'ascii'), privateKey);
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

function encodeSegment(segment: Segment): string {
  if (typeof segment === 'string') return segment;
  if (segment instanceof Uint8Array) return Buffer.from(segment).toString('base64url');
  return Buffer.from(JSON.stringify(segment)).toString('base64url');
}

function encodeSignature(signature: Uint8Array | string | undefined): string {
  if (signature === undefined) return '';
  return typeof signature === 'string' ? signature : Buffer.from(signature).toString('base64url');
}

/** Normalises the accepted key forms to a `KeyObject`, the only form `crypto.sign` takes for RSA. */
function toPrivateKeyObject(key: PrivateKeyInput): KeyObject {
  let keyObject: KeyObject;
  if (key instanceof KeyObject) {
    keyObject = key;
  } else if (types.isCryptoKey(key)) {
    // Node's global CryptoKey is not reachable as a constructor on every version; util.types is.
    keyObject = KeyObject.from(key as webcrypto.CryptoKey);
  } else {
    keyObject = createPrivateKey({ key, format: 'jwk' });
  }
  if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'rsa') {
    throw new TypeError('signToken needs an RSA private key');
  }
  return keyObject;
}
