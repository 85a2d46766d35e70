/**
 * Arbitrary JWKS documents: importing never throws, and a token signed by a member's private key
 * verifies exactly when that member passes the key policy as the README states it (RSA, 2048–8192
 * bits, e = 65537, `use` absent or `sig`, `key_ops` absent or a list of distinct strings allowing
 * `verify`, `alg` absent or RS256, no private members, a kid used once, `n` without a leading zero
 * byte (RFC 7518 §6.3.1.1), an odd modulus) — whatever junk, duplicates or refused keys sit next
 * to it.
 */
import { createVerifier, importJwks } from '@cognito-gate/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import { accessClaims, signJwt } from '../support/signer.js';
import {
  CLIENT_ID,
  type Clock,
  expectReached,
  generateKeys,
  KEYGEN_TIMEOUT_MS,
  keyA,
  keyB,
  NOW,
  POOL_ID,
  referenceBase64url,
  tinyKey,
  verdict,
  viaSync,
  viaVerify,
  weakKey,
} from './arbitraries-core.js';

beforeAll(() => generateKeys(keyA, keyB, weakKey, tinyKey), KEYGEN_TIMEOUT_MS);

/** Real key pairs a member can be built from: two good ones, and moduli of 1024 and 512 bits. */
const SOURCES = { a: keyA, b: keyB, w1024: weakKey, w512: tinyKey } as const;
type Source = keyof typeof SOURCES;
const KIDS = ['k1', 'k2', 'k3'] as const;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

// ---------------------------------------------------------------------------------------------
// The reference key policy, judged on the member object itself.

function bitLength(bytes: Uint8Array): number {
  let bits = bytes.length * 8;
  for (const byte of bytes) {
    if (byte !== 0) return bits - (Math.clz32(byte) - 24);
    bits -= 8;
  }
  return 0;
}

/** True when the README's key policy accepts this JWKS member. */
function policyAccepts(jwk: Record<string, unknown>): boolean {
  if (jwk.kty !== 'RSA') return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  // key_ops: "a list of distinct strings allowing verify" (RFC 7517 §4.3).
  const ops = jwk.key_ops;
  const distinctStrings =
    Array.isArray(ops) && ops.every((op) => typeof op === 'string') && new Set(ops).size === ops.length;
  if (ops !== undefined && !(distinctStrings && ops.includes('verify'))) return false;
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') return false;
  if (PRIVATE_MEMBERS.some((name) => jwk[name] !== undefined)) return false;
  // e = 65537 in its one base64urlUInt spelling.
  if (jwk.e !== 'AQAB' || typeof jwk.n !== 'string') return false;
  const n = referenceBase64url(jwk.n);
  if (n === undefined || n.length === 0 || n[0] === 0) return false;
  const bits = bitLength(n);
  return bits >= 2048 && bits <= 8192 && (n[n.length - 1]! & 1) === 1;
}

/** A member the verifier can select: a JSON object with a usable kid. */
const selectable = (member: unknown): member is Record<string, unknown> =>
  typeof member === 'object' &&
  member !== null &&
  !Array.isArray(member) &&
  typeof (member as { kid?: unknown }).kid === 'string' &&
  (member as { kid: string }).kid !== '';

// ---------------------------------------------------------------------------------------------
// Members: a real public key with some of its fields changed, or junk.

const MODULUS_CHANGES = [
  'none',
  'swap',
  'leadingZero',
  'even',
  'drop',
  'padded',
  'number',
  'missing',
] as const;

function modulus(n: string, change: (typeof MODULUS_CHANGES)[number]): unknown {
  // Another good key's modulus: passes the policy, but is not the signer's key.
  if (change === 'swap') return keyA().jwk.n === n ? keyB().jwk.n : keyA().jwk.n;
  const bytes = Buffer.from(n, 'base64url');
  switch (change) {
    case 'none':
      return n;
    case 'leadingZero':
      return Buffer.concat([Buffer.from([0]), bytes]).toString('base64url');
    case 'even':
      return Buffer.from(bytes.map((b, i) => (i === bytes.length - 1 ? b & 0xfe : b))).toString('base64url');
    case 'drop': // one byte shorter: another (odd or even) number, 8 bits smaller
      return bytes.subarray(1).toString('base64url');
    case 'padded':
      return `${n}=`;
    case 'number':
      return 12345;
    case 'missing':
      return undefined;
  }
}

/** A field that is usually left alone, sometimes set to one of `values` (undefined: removed). */
const field = (values: readonly unknown[]) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant('keep' as const) }, fc.constantFrom(...values));

const derivedMember = fc
  .record({
    source: fc.constantFrom<Source>('a', 'a', 'b', 'b', 'w1024', 'w512'),
    kid: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...KIDS) },
      fc.constantFrom('', 7, null, undefined),
    ),
    kty: field(['EC', 'oct', 'rsa', 1, undefined]),
    e: field(['AQ', 'Aw', 'AAEAAQ', 'AQAC', '', 65537, undefined]),
    n: fc.oneof(
      { weight: 6, arbitrary: fc.constant('none' as const) },
      { weight: 2, arbitrary: fc.constant('swap' as const) },
      { weight: 3, arbitrary: fc.constantFrom(...MODULUS_CHANGES) },
    ),
    alg: field(['RS256', 'RS512', 'none', 'rs256', 'HS256', null]),
    use: field(['sig', 'enc', '', null]),
    key_ops: field([
      ['verify'],
      ['sign'],
      [],
      'verify',
      ['encrypt', 'verify'],
      ['verify', 'verify'],
      ['verify', 1],
      null,
    ]),
    secrets: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      fc.subarray(PRIVATE_MEMBERS, { maxLength: 2 }),
    ),
    secretValue: fc.constantFrom<unknown>('AQAB', '', null, 0),
    extra: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  })
  .map((spec) => {
    const { kid: _kid, ...publicJwk } = SOURCES[spec.source]().jwk;
    const member: Record<string, unknown> = {
      ...spec.extra,
      ...publicJwk,
      n: modulus(String(publicJwk.n), spec.n),
    };
    if (spec.kid !== undefined) member.kid = spec.kid;
    for (const name of ['kty', 'e', 'alg', 'use', 'key_ops'] as const) {
      const value = spec[name];
      if (value === 'keep') continue;
      if (value === undefined) delete member[name];
      else member[name] = value;
    }
    for (const name of spec.secrets) member[name] = spec.secretValue;
    if (member.n === undefined) delete member.n;
    return { source: spec.source as Source | undefined, member: member as unknown };
  });

const junkMember = fc
  .oneof(fc.anything({ maxDepth: 2 }), fc.record({ kid: fc.constantFrom(...KIDS), kty: fc.constant('RSA') }))
  .map((member) => ({ source: undefined as Source | undefined, member }));

const documentArb = fc.array(fc.oneof({ weight: 3, arbitrary: derivedMember }, junkMember), { maxLength: 6 });

/** Tokens are deterministic (PKCS#1 v1.5): sign each (kid, key) pair once. */
const signed = new Map<string, string>();
function tokenFor(kid: string, source: Source): string {
  const name = `${kid}/${source}`;
  let token = signed.get(name);
  if (token === undefined) {
    token = signJwt({ alg: 'RS256', kid }, accessClaims(), SOURCES[source]());
    signed.set(name, token);
  }
  return token;
}

describe('arbitrary JWKS documents', () => {
  it('import without throwing, and each kid verifies exactly when its one member passes the key policy', async () => {
    const seen = { ok: 0, invalid_key: 0, unknown_key: 0, invalid_signature: 0 };
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(documentArb, fc.boolean(), async (members, bare) => {
        // Prepare: the document, as `{ keys }` or as a bare array.
        cases++;
        const document = bare ? members.map((m) => m.member) : { keys: members.map((m) => m.member) };
        const clock: Clock = { ms: NOW * 1000 };
        // Act: importing judges every member; it must not throw on any of them.
        expect(importJwks(document)).toBeInstanceOf(Map);
        const verifier = createVerifier({
          userPoolId: POOL_ID,
          clientId: CLIENT_ID,
          now: () => clock.ms,
          jwks: { keys: document, fetch: false },
        });
        for (const kid of KIDS) {
          // The members the verifier could select for this kid.
          const named = members.filter((m) => selectable(m.member) && m.member.kid === kid);
          const only = named.length === 1 ? named[0]! : undefined;
          const source = only?.source ?? 'a';
          const token = tokenFor(kid, source);
          // Assess (reference): none → unknown_key; several → invalid_key ("a kid used twice disables
          // both"); one the policy refuses → invalid_key; one whose material is not the signer's
          // (a changed n or e that still passes) → invalid_signature; else it verifies.
          let expected: string;
          if (named.length === 0) expected = 'unknown_key';
          else if (only === undefined || !policyAccepts(only.member as Record<string, unknown>))
            expected = 'invalid_key';
          else if (
            only.source === undefined ||
            (only.member as { n?: unknown }).n !== SOURCES[only.source]().jwk.n
          )
            expected = 'invalid_signature';
          else expected = 'ok';
          const outcome = await viaVerify(verifier, token);
          expect(verdict(outcome), `kid ${kid}`).toBe(expected);
          // verifySync needs nothing fetched here: shipped keys answer it too.
          expect(verdict(viaSync(verifier, token))).toBe(expected);
          seen[expected as keyof typeof seen]++;
        }
      }),
      propertyParameters(800, 4000),
    );
    for (const [what, count] of Object.entries(seen)) expectReached(count, what, cases);
  }, 60_000);

  it('never makes importJwks or createVerifier throw anything but a ConfigurationError for a bad shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ keys: fc.anything() })), (document) => {
        // Act
        let imported: unknown;
        expect(() => {
          imported = importJwks(document);
        }).not.toThrow();
        // Assess: a JWKS shape gives a Map; a wrong shape gives undefined, and only then does
        // createVerifier refuse it, with its documented error.
        const shaped =
          Array.isArray(document) ||
          (typeof document === 'object' &&
            document !== null &&
            Array.isArray((document as { keys?: unknown }).keys));
        expect(imported instanceof Map).toBe(shaped);
        const build = () =>
          createVerifier({
            userPoolId: POOL_ID,
            clientId: CLIENT_ID,
            jwks: { keys: document, fetch: false },
          });
        if (shaped || document === undefined) expect(build).not.toThrow();
        else expect(build).toThrow(/jwks\.keys must be a JWKS/);
      }),
      propertyParameters(1000, 2000),
    );
  });
});
