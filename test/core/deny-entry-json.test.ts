/**
 * The text form of deny-list entries in Redis: a round trip keeps every field, the encoding is
 * canonical, and decoding refuses (with a reason that never quotes the input) rather than throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDenyEntry,
  encodeDenyEntry,
  MAX_DENY_ID_LENGTH,
  MAX_ENCODED_ENTRY_LENGTH,
} from '../../packages/core/src/deny-entry-json.js';
import type { DenyEntry } from '../../packages/core/src/deny-list-store.js';
import { propertyParameters } from '../support/property.js';

const T = 1_767_225_600;

const id = fc.string({ minLength: 1, maxLength: 64, unit: 'binary' });
const seconds = fc.double({ min: 1, max: 253_402_300_799, noNaN: true });
const entry: fc.Arbitrary<DenyEntry> = fc.oneof(
  fc.record({ kind: fc.constant('token' as const), jti: id, expiresAt: seconds }),
  fc.record({ kind: fc.constant('session' as const), originJti: id, expiresAt: seconds }),
  fc.record({ kind: fc.constant('user' as const), sub: id, before: seconds, expiresAt: seconds }),
);

describe('deny-list entries as JSON', () => {
  it('decodes what it encodes, field for field, for every kind', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const decoded = decodeDenyEntry(encodeDenyEntry(e));
        expect(decoded).toEqual({ ok: true, entry: e });
      }),
      propertyParameters(300),
    );
  });

  it('encodes the same entry to the same text whatever the key order it was built with', () => {
    const a = encodeDenyEntry({ kind: 'user', sub: 's', before: T, expiresAt: T + 60 });
    const b = encodeDenyEntry({ expiresAt: T + 60, before: T, sub: 's', kind: 'user' } as DenyEntry);

    expect(a).toBe(b);
    expect(a).toBe(`{"kind":"user","sub":"s","before":${T},"expiresAt":${T + 60}}`);
  });

  it('carries writtenAt only when asked (messages), and keeps a valid one on decode', () => {
    const e: DenyEntry = { kind: 'token', jti: 'j', expiresAt: T, writtenAt: T * 1000 + 5 };

    expect(encodeDenyEntry(e)).not.toContain('writtenAt');
    expect(decodeDenyEntry(encodeDenyEntry(e, true))).toEqual({ ok: true, entry: e });
    expect(decodeDenyEntry(`{"kind":"token","jti":"j","expiresAt":${T},"writtenAt":"soon"}`)).toEqual({
      ok: true,
      entry: { kind: 'token', jti: 'j', expiresAt: T },
    });
  });

  it('never throws on arbitrary input, and never quotes it in the reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (input) => {
        const decoded = decodeDenyEntry(input);
        if (!decoded.ok && typeof input === 'string' && input.length > 3) {
          expect(decoded.reason).not.toContain(input);
        }
      }),
      propertyParameters(500),
    );
  });

  it.each([
    ['not text', 42],
    ['too long', `{"kind":"token","jti":"${'x'.repeat(MAX_ENCODED_ENTRY_LENGTH)}","expiresAt":${T}}`],
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['unknown kind', `{"kind":"everyone","expiresAt":${T}}`],
    ['bad expiresAt', '{"kind":"token","jti":"j","expiresAt":-1}'],
    ['bad expiresAt', '{"kind":"token","jti":"j","expiresAt":253402300800}'],
    ['bad jti', `{"kind":"token","jti":"","expiresAt":${T}}`],
    ['bad jti', `{"kind":"token","jti":"${'x'.repeat(MAX_DENY_ID_LENGTH + 1)}","expiresAt":${T}}`],
    ['bad originJti', `{"kind":"session","originJti":["a"],"expiresAt":${T}}`],
    ['bad sub', `{"kind":"user","before":${T},"expiresAt":${T}}`],
    ['bad before', `{"kind":"user","sub":"s","before":"yesterday","expiresAt":${T}}`],
  ])('refuses %s', (reason, input) => {
    expect(decodeDenyEntry(input)).toEqual({ ok: false, reason });
  });

  it('refuses to encode an entry it would not decode', () => {
    expect(() => encodeDenyEntry({ kind: 'session', originJti: '', expiresAt: T })).toThrow(TypeError);
    expect(() => encodeDenyEntry({ kind: 'token', jti: 'j', expiresAt: Number.NaN })).toThrow(TypeError);
  });

  it('ignores a __proto__ key instead of taking a prototype from it', () => {
    const decoded = decodeDenyEntry(
      `{"__proto__":{"kind":"token"},"kind":"token","jti":"j","expiresAt":${T}}`,
    );

    expect(decoded).toEqual({ ok: true, entry: { kind: 'token', jti: 'j', expiresAt: T } });
  });
});
