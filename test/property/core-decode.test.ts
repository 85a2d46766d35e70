/**
 * Decoding, compared with a reference decoder written from RFC 4648/7515 and the README
 * (arbitraries-core.ts): on valid and on mangled input both must agree on the value *and* on
 * rejecting, and a rejection is always `malformed_token` (scure-base's native-parity pattern).
 */
import { AuthError, decodeToken } from '@cognito-gate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../packages/core/src/base64url.js';
import { propertyParameters } from '../support/property.js';
import {
  b64Text,
  DEFAULT_CAP,
  hostileChar,
  jsonText,
  referenceBase64url,
  referenceDecode,
} from './arbitraries-core.js';

const bytes = fc.uint8Array({ maxLength: 48 });

/** Base64url text, valid or nearly so: the spellings a permissive decoder would also accept. */
const base64ish = fc.oneof(
  bytes.map((b) => Buffer.from(b).toString('base64url')),
  bytes.map((b) => Buffer.from(b).toString('base64')), // `+`, `/` and `=` padding
  // Unused low bits of the last character set: same bytes under Node's decoder, another spelling.
  fc
    .tuple(
      bytes.filter((b) => b.length % 3 !== 0),
      fc.integer({ min: 1, max: 15 }),
    )
    .map(([b, bits]) => {
      const text = Buffer.from(b).toString('base64url');
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(text.at(-1)!);
      return text.slice(0, -1) + alphabet[(last ^ (bits & (b.length % 3 === 1 ? 15 : 3))) & 63];
    }),
  // A valid spelling with one character replaced by anything, or respelled above U+00FF.
  fc
    .tuple(
      bytes.filter((b) => b.length > 0),
      fc.nat(),
      hostileChar,
      fc.integer({ min: 1, max: 255 }),
      fc.boolean(),
    )
    .map(([b, at, char, high, respell]) => {
      const text = Buffer.from(b).toString('base64url');
      const i = at % text.length;
      const replacement = respell ? String.fromCharCode(text.charCodeAt(i) + 0x100 * high) : char;
      return text.slice(0, i) + replacement + text.slice(i + 1);
    }),
  fc.string({ unit: hostileChar, maxLength: 16 }),
);

/** A JWS segment: JSON text (any value) encoded, or raw base64ish text. */
const segment = fc.oneof(jsonText.map(b64Text), base64ish, fc.constant(b64Text('{"alg":"RS256","kid":"k"}')));

/** Strings shaped like tokens (1–5 segments) and strings that are not at all. */
const tokenLike = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(segment, segment, segment).map((parts) => parts.join('.')) },
  { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')) },
  { weight: 1, arbitrary: fc.string({ unit: hostileChar, maxLength: 40 }) },
);

describe('decodeBase64url against the RFC 4648 reference', () => {
  it('agrees on every spelling: the same bytes, or both refuse', () => {
    fc.assert(
      fc.property(base64ish, (text) => {
        // Prepare: the reference decodes bit by bit and knows nothing of Node's forgiving decoder.
        const expected = referenceBase64url(text);
        // Act
        const actual = decodeBase64url(text);
        // Assess: one spelling per byte string, so any disagreement is a second spelling accepted.
        if (expected === undefined) expect(actual).toBeUndefined();
        else expect(actual && Uint8Array.from(actual)).toEqual(expected);
      }),
      propertyParameters(5000, 2000),
    );
  });

  it('round-trips every byte string through its one canonical spelling', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        const text = Buffer.from(input).toString('base64url');
        expect(Uint8Array.from(decodeBase64url(text) ?? [-1])).toEqual(input);
      }),
      propertyParameters(500, 1000),
    );
  });
});

describe('decodeToken against the reference decoder', () => {
  it('accepts exactly what the reference accepts, with equal parts; otherwise malformed_token', () => {
    fc.assert(
      fc.property(tokenLike, (token) => {
        // Prepare
        const expected = referenceDecode(token);
        // Act
        let decoded: ReturnType<typeof decodeToken> | undefined;
        let error: unknown;
        try {
          decoded = decodeToken(token);
        } catch (caught) {
          error = caught;
        }
        // Assess: parity on rejecting, and the rejection is a verdict, never a wrapped exception.
        if (expected === undefined) {
          expect(error).toBeInstanceOf(AuthError);
          expect((error as AuthError).code).toBe('malformed_token');
          expect((error as AuthError).unexpected).toBe(false);
          return;
        }
        expect(error).toBeUndefined();
        expect(decoded!.header).toEqual(expected.header);
        expect(decoded!.payload).toEqual(expected.payload);
        expect(Uint8Array.from(decoded!.signature)).toEqual(expected.signature);
        expect(decoded!.signingInput).toBe(token.slice(0, token.lastIndexOf('.')));
        // An own "__proto__" member never reaches the result, so copying claims cannot re-prototype.
        expect(Object.hasOwn(decoded!.payload, '__proto__')).toBe(false);
        expect(Object.getPrototypeOf(decoded!.payload)).toBe(Object.prototype);
      }),
      propertyParameters(5000, 3000),
    );
  });

  it('refuses anything over the cap before decoding, and never throws anything but an AuthError', () => {
    fc.assert(
      fc.property(
        fc.oneof(tokenLike, fc.anything()),
        fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        (input, cap) => {
          // Prepare: non-strings too, since JavaScript callers can pass anything.
          const expected = typeof input === 'string' ? referenceDecode(input, cap ?? DEFAULT_CAP) : undefined;
          // Act
          let error: unknown;
          try {
            decodeToken(input, cap);
          } catch (caught) {
            error = caught;
          }
          // Assess
          if (expected !== undefined) expect(error).toBeUndefined();
          else
            expect({ code: (error as AuthError).code, unexpected: (error as AuthError).unexpected }).toEqual({
              code: 'malformed_token',
              unexpected: false,
            });
        },
      ),
      propertyParameters(1500, 2000),
    );
  });
});
