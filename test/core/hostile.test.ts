/**
 * Hostile tokens: each row of the table (where aws-jwt-verify 5.2.1 is weak) and the
 * classic JWT attacks. Every one must end in a specific AuthError code.
 */
import { createHmac } from 'node:crypto';
import { AuthError, createVerifier } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import {
  accessClaims,
  b64,
  CLIENT_ID,
  makeKey,
  NOW,
  POOL_ID,
  signJwt,
  signSegments,
} from '../support/signer.js';

const good = makeKey('good');
const weak1024 = makeKey('weak-1024', 1024);
const weak512 = makeKey('weak-512', 512);
const eOne = { ...good.jwk, kid: 'e-one', e: 'AQ' };
const ecKey = {
  kty: 'EC',
  crv: 'P-256',
  kid: 'ec',
  x: 'WKn-ZIGevcwGIyyrzFoZNBdaq9_TsqzGl96oc0CWuis',
  y: 'y77t-RvAHRKTsSGdIYUfweuOvwrvDD-Q3Hv5J0fSKbE',
};
const jwks = { keys: [good.jwk, weak1024.jwk, weak512.jwk, eOne, ecKey] };

const verifier = createVerifier({
  userPoolId: POOL_ID,
  clientId: CLIENT_ID,
  jwks: { keys: jwks, fetch: false },
  now: () => NOW * 1000,
});

async function codeOf(token: unknown): Promise<string> {
  const error = await verifier.verify(token as string).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).unexpected).toBe(false);
  return (error as AuthError).code;
}

const valid = () => signJwt({ kid: 'good', alg: 'RS256' }, accessClaims(), good);

describe('the table of inputs aws-jwt-verify 5.2.1 accepts or throws on', () => {
  it('a JWKS key with e = 1 → invalid_key', async () => {
    // With e = 1 the "signature" is the padded message itself: anyone can forge it.
    expect(await codeOf(signJwt({ kid: 'e-one', alg: 'RS256' }, accessClaims(), good))).toBe('invalid_key');
  });

  it.each([
    ['1024', weak1024],
    ['512', weak512],
  ])('a %s-bit RSA key → invalid_key', async (_bits, key) => {
    expect(await codeOf(signJwt({ kid: key.kid, alg: 'RS256' }, accessClaims(), key))).toBe('invalid_key');
  });

  it('an RS256 header on an EC key with no alg → invalid_key', async () => {
    expect(await codeOf(signJwt({ kid: 'ec', alg: 'RS256' }, accessClaims(), good))).toBe('invalid_key');
  });

  it('an unknown crit header → malformed_token', async () => {
    expect(
      await codeOf(signJwt({ kid: 'good', alg: 'RS256', crit: ['exp'], exp: 1 }, accessClaims(), good)),
    ).toBe('malformed_token');
  });

  it('no exp → invalid_claims; iat an hour ahead → issued_in_future', async () => {
    expect(await codeOf(signJwt({ kid: 'good', alg: 'RS256' }, accessClaims({ exp: undefined }), good))).toBe(
      'invalid_claims',
    );
    expect(
      await codeOf(signJwt({ kid: 'good', alg: 'RS256' }, accessClaims({ iat: NOW + 3600 }), good)),
    ).toBe('issued_in_future');
  });

  it('exp -1e13 → expired and nbf 1e13 → not_yet_valid (no RangeError)', async () => {
    expect(await codeOf(signJwt({ kid: 'good', alg: 'RS256' }, accessClaims({ exp: -1e13 }), good))).toBe(
      'expired',
    );
    expect(await codeOf(signJwt({ kid: 'good', alg: 'RS256' }, accessClaims({ nbf: 1e13 }), good))).toBe(
      'not_yet_valid',
    );
  });

  it('a signature with = padding → malformed_token', async () => {
    const token = valid();
    const padded = `${token}${'='.repeat((4 - (token.split('.')[2]!.length % 4)) % 4)}`;
    expect(padded).not.toBe(token);
    expect(await codeOf(padded)).toBe('malformed_token');
  });

  it('a signature with altered unused trailing bits → malformed_token', async () => {
    const token = valid();
    // 256 bytes encode to 342 chars, so the last char carries 4 unused bits.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const altered = token.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    expect(Buffer.from(altered.split('.')[2]!, 'base64url')).toEqual(
      Buffer.from(token.split('.')[2]!, 'base64url'),
    );
    expect(await codeOf(altered)).toBe('malformed_token');
  });

  it('a 1 MiB token → malformed_token before decoding', async () => {
    const huge = `${b64({ kid: 'good', alg: 'RS256' })}.${'A'.repeat(1024 * 1024)}.sig`;
    expect(await codeOf(huge)).toBe('malformed_token');
  });

  it('cognito:groups as a string → invalid_claims', async () => {
    expect(
      await codeOf(signJwt({ kid: 'good', alg: 'RS256' }, accessClaims({ 'cognito:groups': 'admin' }), good)),
    ).toBe('invalid_claims');
  });

  it('invalid UTF-8 in the payload → malformed_token', async () => {
    const json = Buffer.from(JSON.stringify(accessClaims({ username: 'XX' })));
    const at = json.indexOf('XX');
    json[at] = 0xc3; // a lead byte followed by "X" is not UTF-8
    const token = signSegments(
      b64({ kid: 'good', alg: 'RS256' }),
      json.toString('base64url'),
      good.privateKey,
    );
    expect(await codeOf(token)).toBe('malformed_token');
  });
});

describe('classic attacks', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s → unsupported_algorithm', async (alg) => {
    const token = `${b64({ kid: 'good', alg })}.${b64(accessClaims())}.`;
    expect(await codeOf(token)).toBe('malformed_token'); // empty signature segment
    const signed = `${b64({ kid: 'good', alg })}.${b64(accessClaims())}.${b64('x')}`;
    expect(await codeOf(signed)).toBe('unsupported_algorithm');
  });

  it('HS256 signed with the public key as the secret → unsupported_algorithm', async () => {
    const header = b64({ kid: 'good', alg: 'HS256' });
    const payload = b64(accessClaims());
    const secret = JSON.stringify(good.jwk);
    const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(await codeOf(`${header}.${payload}.${mac}`)).toBe('unsupported_algorithm');
  });

  it('an embedded jwk / jku / x5u / x5c is never used', async () => {
    const attacker = makeKey('good');
    for (const extra of [
      { jwk: attacker.jwk },
      { jku: 'https://evil.example/jwks.json' },
      { x5u: 'https://evil.example/cert' },
      { x5c: ['MIIB'] },
    ]) {
      expect(await codeOf(signJwt({ kid: 'good', alg: 'RS256', ...extra }, accessClaims(), attacker))).toBe(
        'invalid_signature',
      );
    }
  });

  it.each(['../../etc/passwd', 'good/../good', '%2e%2e%2f', 'x'.repeat(300)])(
    'kid %s finds no key and reads no file',
    async (kid) => {
      const code = await codeOf(signJwt({ kid, alg: 'RS256' }, accessClaims(), good));
      expect(['unknown_key', 'malformed_token']).toContain(code);
    },
  );

  it('a tampered payload → invalid_signature', async () => {
    const [h, , s] = valid().split('.');
    expect(await codeOf(`${h}.${b64(accessClaims({ 'cognito:groups': ['root'] }))}.${s}`)).toBe(
      'invalid_signature',
    );
  });

  it('prototype-pollution keys in header and payload are inert', async () => {
    const header = '{"kid":"good","alg":"RS256","__proto__":{"alg":"none","polluted":1}}';
    const payload = JSON.stringify(accessClaims()).replace(
      /^\{/,
      '{"__proto__":{"isAdmin":true,"cognito:groups":["root"]},"constructor":{"prototype":{"polluted":1}},',
    );
    const token = signSegments(b64(header), b64(payload), good.privateKey);
    const auth = await verifier.verify(token);
    expect(auth.groups).toEqual(['admin', 'staff']);
    expect((auth.claims as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(auth.claims)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect({ ...auth.claims }).not.toHaveProperty('isAdmin');
    // Object.assign runs the __proto__ setter where a spread would not: the key must be gone.
    const copy = Object.assign({}, auth.claims) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy.isAdmin).toBeUndefined();
    expect(Object.hasOwn(auth.claims, '__proto__')).toBe(false);
    expect(Object.hasOwn(auth.header, '__proto__')).toBe(false);
  });

  it('a valid token over maxTokenLength is refused by the cap, and verifies at exactly the cap', async () => {
    const token = valid();
    const capped = (max: number) =>
      createVerifier({
        userPoolId: POOL_ID,
        clientId: CLIENT_ID,
        jwks: { keys: jwks, fetch: false },
        now: () => NOW * 1000,
        maxTokenLength: max,
      });
    await expect(capped(token.length).verify(token)).resolves.toMatchObject({ tokenUse: 'access' });
    await expect(capped(token.length - 1).verify(token)).rejects.toMatchObject({
      code: 'malformed_token',
      detail: 'token exceeds the size cap',
    });
  });

  it('an RSA key over 8192 bits → invalid_key', async () => {
    const huge = {
      ...good.jwk,
      kid: 'huge',
      n: Buffer.concat([Buffer.from([0xc1]), Buffer.alloc(1024, 0xff)]).toString('base64url'),
    };
    const v = createVerifier({
      userPoolId: POOL_ID,
      clientId: CLIENT_ID,
      jwks: { keys: { keys: [huge] }, fetch: false },
      now: () => NOW * 1000,
    });
    await expect(
      v.verify(signJwt({ kid: 'huge', alg: 'RS256' }, accessClaims(), good)),
    ).rejects.toMatchObject({
      code: 'invalid_key',
      detail: expect.stringMatching(/8200 bits/),
    });
  });

  it.each([
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
    ['a header that is an array', `${b64('[1]')}.${b64({})}.${b64('s')}`],
    ['a header that is not JSON', `${b64('{')}.${b64({})}.${b64('s')}`],
    ['whitespace inside a segment', `${b64({ kid: 'good', alg: 'RS256' })} .${b64({})}.${b64('s')}`],
    ['standard base64 characters', `${b64({ kid: 'good', alg: 'RS256' })}.${b64({})}.ab+/`],
    ['a kid that is a number', `${b64({ kid: 1, alg: 'RS256' })}.${b64(accessClaims())}.${b64('s')}`],
    ['no alg', `${b64({ kid: 'good' })}.${b64(accessClaims())}.${b64('s')}`],
  ])('%s → malformed_token', async (_name, token) => {
    expect(await codeOf(token)).toBe('malformed_token');
  });

  it('a kid that is not in the JWKS → unknown_key', async () => {
    expect(await codeOf(signJwt({ kid: 'nope', alg: 'RS256' }, accessClaims(), good))).toBe('unknown_key');
  });

  it('a wrong-length signature → invalid_signature', async () => {
    const [h, p] = valid().split('.');
    expect(await codeOf(`${h}.${p}.${b64('short')}`)).toBe('invalid_signature');
  });
});
