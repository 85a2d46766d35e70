/**
 * Totality: whatever string arrives, `verify`, `verifyDirect` and `verifySync` end in a verified
 * token or an AuthError — never another error type, never an AuthError that wraps a bug
 * (`unexpected`), never a hang — and the three agree. Inputs range from arbitrary Unicode (lone
 * surrogates included) and lengths around the 16 KiB cap to correctly *signed* tokens whose header
 * or payload is arbitrary JSON text, so the pipeline past the signature sees hostile data too.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { propertyParameters } from '../support/property.js';
import { accessClaims } from '../support/signer.js';
import {
  b64Text,
  type Clock,
  DEFAULT_CAP,
  deepJson,
  expectReached,
  generateKeys,
  hostileChar,
  isDeeplyFrozen,
  jsonText,
  KEYGEN_TIMEOUT_MS,
  keyA,
  makeVerifier,
  NOW,
  type Outcome,
  objectText,
  referenceDecode,
  signText,
  trickyKey,
  verdict,
  viaDirect,
  viaSync,
  viaVerify,
} from './arbitraries-core.js';

const clock: Clock = { ms: NOW * 1000 };
// One verifier for the whole run, cache on: later cases may hit entries earlier ones left behind,
// which is part of what must stay total.
const verifier = makeVerifier(clock, { tokenUse: 'any' });

const GOOD_HEADER = '{"alg":"RS256","kid":"key-a"}';
const goodClaims = () => Object.entries(accessClaims()).map(([k, v]) => [k, JSON.stringify(v)] as const);

/** Run all three entry points on one token and check the contract on each. */
async function allThree(token: string): Promise<Outcome> {
  // Act: verifyDirect first, while the token may still be uncached.
  const direct = await viaDirect(verifier, token);
  const promised = await viaVerify(verifier, token);
  const sync = viaSync(verifier, token);
  // Assess: same verdict everywhere (a cache hit included); a promise from verifyDirect only where
  // the key had to be looked for, which with shipped keys and no fetch means an unknown kid.
  expect([verdict(promised), verdict(sync)]).toEqual([verdict(direct.outcome), verdict(direct.outcome)]);
  if (direct.async) expect(verdict(direct.outcome)).toBe('unknown_key');
  // What the reference decoder calls malformed must be refused as malformed, before anything else.
  if (referenceDecode(token) === undefined) expect(verdict(direct.outcome)).toBe('malformed_token');
  if (direct.outcome.ok) {
    // A success is a real, deeply frozen result for exactly this string.
    expect(direct.outcome.token.token).toBe(token);
    expect(isDeeplyFrozen(direct.outcome.token)).toBe(true);
  }
  return direct.outcome;
}

/** Fill `length` characters by repeating `pattern`. */
const filled = (pattern: string, length: number) =>
  pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);

const bytes = fc.uint8Array({ maxLength: 300 });

/** A segment built from arbitrary bytes: encoded, raw (latin1), or raw UTF-8 decoded lossily. */
const byteSegment = fc.oneof(
  bytes.map((b) => Buffer.from(b).toString('base64url')),
  bytes.map((b) => Buffer.from(b).toString('latin1')),
  bytes.map((b) => Buffer.from(b).toString('utf8')),
);

const unsignedInputs = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: hostileChar, maxLength: 200 }),
  // Many dots, empty segments included.
  fc.array(fc.string({ unit: hostileChar, maxLength: 8 }), { maxLength: 12 }).map((parts) => parts.join('.')),
  fc.tuple(byteSegment, byteSegment, byteSegment).map((parts) => parts.join('.')),
  // A good header, then arbitrary bytes where the payload or the signature goes.
  fc.tuple(byteSegment, byteSegment).map(([payload, sig]) => `${b64Text(GOOD_HEADER)}.${payload}.${sig}`),
  // A well-formed, unsigned token: any kid (unknown ones take verifyDirect's asynchronous path) and
  // a random signature of the right length, so the RSA check itself runs on garbage.
  fc
    .tuple(
      fc.oneof(trickyKey, fc.constantFrom('key-a', 'key-b', 'weak')),
      fc.uint8Array({ minLength: 256, maxLength: 256 }),
    )
    .map(
      ([kid, sig]) =>
        `${b64Text(JSON.stringify({ alg: 'RS256', kid }))}.${b64Text(JSON.stringify(accessClaims()))}.${Buffer.from(sig).toString('base64url')}`,
    ),
  // Lengths around the cap, and far past it (must be refused before any work).
  fc
    .tuple(
      fc.constantFrom('A', 'A.', '.', '\u00e9', '\ud800', 'AAAA.AAAA.', 'eyJ'),
      fc.oneof(fc.integer({ min: DEFAULT_CAP - 3, max: DEFAULT_CAP + 3 }), fc.constant(1_000_000)),
    )
    .map(([pattern, length]) => filled(pattern, length)),
);

/** Payload JSON text: arbitrary, or the good claims with arbitrary members after (duplicates win). */
const payloadText = fc.oneof(
  jsonText,
  fc
    .array(fc.tuple(trickyKey, jsonText), { maxLength: 4 })
    .map((extra) => objectText([...goodClaims(), ...extra])),
  // Deep nesting inside an otherwise valid payload, up to and past the size cap.
  fc
    .tuple(fc.integer({ min: 1, max: 6500 }), fc.boolean())
    .map(([depth, objects]) => objectText([...goodClaims(), ['deep', deepJson(depth, objects)]])),
);

const headerText = fc.oneof(
  { weight: 3, arbitrary: fc.constant(GOOD_HEADER) },
  { weight: 1, arbitrary: jsonText },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(trickyKey, jsonText), { maxLength: 3 })
      .map((extra) => objectText([['alg', '"RS256"'], ['kid', '"key-a"'], ...extra])),
  },
);

beforeAll(() => generateKeys(), KEYGEN_TIMEOUT_MS);

describe('verify, verifyDirect and verifySync are total', () => {
  it('end in a verified token or an honest AuthError for arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(unsignedInputs, async (token) => {
        // Prepare: nothing; the input is the hostile part. Act + Assess:
        const outcome = await allThree(token);
        // None of these is signed by a key in the set, so none may verify.
        expect(outcome.ok).toBe(false);
      }),
      propertyParameters(2000, 3000),
    );
  }, 60_000);

  it('end in a verified token or an honest AuthError for signed arbitrary JSON headers and payloads', async () => {
    let verified = 0;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(headerText, payloadText, async (header, payload) => {
        // Prepare: a correct signature, so the header and claim checks see the arbitrary JSON.
        const token = signText(header, payload, keyA());
        cases++;
        // Act + Assess
        const outcome = await allThree(token);
        if (outcome.ok) verified++;
      }),
      propertyParameters(1500, 5000),
    );
    expectReached(verified, 'a verified token', cases);
  }, 60_000);
});
