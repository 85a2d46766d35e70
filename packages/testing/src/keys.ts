/**
 * RSA signing keys shaped like the ones an Amazon Cognito user pool publishes.
 *
 * A user pool signs ID tokens and access tokens with two different RSA-2048 keys and names each with
 * a `kid` that is the standard (not URL-safe) base64 of 32 random bytes, `=` padding included. Verifiers
 * that assume a URL-safe or short `kid` break on real pools, so the test keys copy that shape exactly,
 * and the JWK members are listed in the order Cognito serves them.
 */
import { generateKeyPair as generateKeyPairCallback, type KeyObject, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsaKeyPair = promisify(generateKeyPairCallback);

/**
 * A JSON Web Key as it appears in a served JWKS. The issuer's own keys are always complete RSA public
 * keys ({@link PublicJwk}); keys added with `addKey` are served verbatim and may be anything.
 */
export interface Jwk {
  kty?: string;
  kid?: string;
  alg?: string;
  use?: string;
  e?: string;
  n?: string;
  [member: string]: unknown;
}

/** A JWKS document: `{ keys: [...] }`, what Cognito serves at `{iss}/.well-known/jwks.json`. */
export interface JwksDocument {
  keys: Jwk[];
}

/** The public half of a signing key, exactly the members Cognito publishes and nothing private. */
export interface PublicJwk extends Jwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

/** An RSA key pair with its key ID and public JWK. */
export interface SigningKey {
  /** The key ID written into token headers and the JWKS. */
  readonly kid: string;
  /** Node.js private key, usable with `node:crypto` and with `jose`. */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public JWK as it is served in the JWKS. */
  readonly jwk: PublicJwk;
}

/** Options for {@link generateSigningKey}. */
export interface GenerateSigningKeyOptions {
  /** Key ID; a Cognito-style random one by default. */
  kid?: string;
  /**
   * RSA modulus length in bits (default 2048, what Cognito uses). Smaller values are allowed on
   * purpose, so a test can check that a verifier refuses a weak key.
   */
  modulusLength?: number;
  /** RSA public exponent (default 65537). Other values exist to test that verifiers reject them. */
  publicExponent?: number;
}

/**
 * Returns a random key ID in Cognito's format: standard base64 of 32 bytes (44 characters, may
 * contain `+`, `/` and ends in `=`).
 *
 * @example
 * ```ts
 * const kid = generateKid(); // e.g. 'qJ3b6vN4Y+1vS0m1x/8dXk2c0w9Q0mB1h0m2sB5aYkE='
 * ```
 */
export function generateKid(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Generates an RSA signing key with a Cognito-style `kid`. The issuer uses it internally; tests use it
 * directly to sign with a key the JWKS does not contain, or to publish a weak key with `addKey`.
 *
 * @example
 * ```ts
 * const stranger = await generateSigningKey();
 * const token = await issuer.sign({ kid: stranger.kid, alg: 'RS256' }, claims, { key: stranger.privateKey });
 *
 * const weak = await generateSigningKey({ modulusLength: 1024 });
 * issuer.addKey(weak.jwk);
 * ```
 */
export async function generateSigningKey(options: GenerateSigningKeyOptions = {}): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: options.modulusLength ?? 2048,
    publicExponent: options.publicExponent ?? 65537,
  });
  const kid = options.kid ?? generateKid();
  const exported = publicKey.export({ format: 'jwk' });
  if (exported.n === undefined || exported.e === undefined) {
    throw new Error('the generated RSA public key exported without n or e');
  }
  // Alphabetical member order, as in Cognito's JWKS responses.
  const jwk: PublicJwk = { alg: 'RS256', e: exported.e, kid, kty: 'RSA', n: exported.n, use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}
