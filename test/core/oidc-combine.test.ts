import {
  AuthError,
  ConfigurationError,
  combineVerifiers,
  createOidcVerifier,
  createVerifier,
  type Verifier,
} from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, atClaims, makeOidcKey, OIDC_ISSUER, signOidc } from '../support/oidc-signer.js';
import { accessClaims, b64, CLIENT_ID, ISSUER, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

const cognitoKey = makeKey('cognito-kid');
const oidcRsa = makeOidcKey('RS256', 'partner-rsa');
const oidcEc = makeOidcKey('ES256', 'partner-ec');
const now = () => NOW * 1000;

function cognito(): Verifier {
  return createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    jwks: { keys: [cognitoKey.jwk], fetch: false },
    now,
  });
}

function partner(issuer = OIDC_ISSUER): Verifier {
  return createOidcVerifier({
    issuer,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    jwks: { keys: [oidcRsa.jwk, oidcEc.jwk], fetch: false },
    groupsClaim: 'groups',
    now,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
}

describe('combineVerifiers', () => {
  it('routes each token to the verifier of its issuer; the result says which issuer', async () => {
    const both = combineVerifiers([cognito(), partner()]);
    const fromCognito = await both.verify(
      signJwt({ alg: 'RS256', kid: cognitoKey.kid }, accessClaims(), cognitoKey),
    );
    expect(fromCognito.issuer).toBe(ISSUER);
    expect(fromCognito.userPoolId).toBe(POOL_ID);
    const fromPartner = await both.verify(signOidc({}, atClaims({ groups: ['ops'] }), oidcEc), {
      groups: 'ops',
    });
    expect(fromPartner.issuer).toBe(OIDC_ISSUER);
    expect(fromPartner.userPoolId).toBe('');
    expect(both.issuers).toEqual([
      ISSUER,
      ISSUER.replace('cognito-idp.', 'issuer-cognito-idp.'),
      OIDC_ISSUER,
    ]);
  });

  it('answers invalid_issuer for an issuer nobody declared, and malformed_token before routing', async () => {
    const both = combineVerifiers([cognito(), partner()]);
    expect(await codeOf(both.verify(signOidc({}, atClaims({ iss: 'https://other.example' }), oidcEc)))).toBe(
      'invalid_issuer',
    );
    expect(await codeOf(both.verify(signOidc({}, atClaims({ iss: undefined }), oidcEc)))).toBe(
      'invalid_issuer',
    );
    expect(await codeOf(both.verify(signOidc({}, atClaims({ iss: [OIDC_ISSUER] }), oidcEc)))).toBe(
      'invalid_issuer',
    );
    expect(await codeOf(both.verify('not.a.token'))).toBe('malformed_token');
    expect(() => both.verifySync('x')).toThrow(AuthError);
    expect(() => both.verifyDirect('x')).toThrow(AuthError);
    expect(await codeOf(both.verifyAuthorization('Basic abc'))).toBe('missing_token');
  });

  it('never verifies a partner-issued token with the Cognito key, nor the other way round', async () => {
    const both = combineVerifiers([cognito(), partner()]);
    // iss is the partner, signed by the Cognito key under its own kid: not in the partner's JWKS.
    const partnerByCognito = signJwt({ alg: 'RS256', kid: cognitoKey.kid }, atClaims(), cognitoKey);
    expect(await codeOf(both.verify(partnerByCognito))).toBe('unknown_key');
    // The same, claiming the partner's kid: the partner's key does not match the signature.
    const kidSwap = signJwt({ alg: 'RS256', kid: oidcRsa.kid }, atClaims(), cognitoKey);
    expect(await codeOf(both.verify(kidSwap))).toBe('invalid_signature');
    // iss is Cognito, signed by the partner's EC key: Cognito accepts RS256 only.
    const cognitoByPartnerEc = signOidc({}, accessClaims(), oidcEc);
    expect(await codeOf(both.verify(cognitoByPartnerEc))).toBe('unsupported_algorithm');
    // iss is Cognito, signed by the partner's RSA key, under the partner's kid and the Cognito kid.
    expect(await codeOf(both.verify(signOidc({}, accessClaims(), oidcRsa)))).toBe('unknown_key');
    const cognitoKid = signOidc({ kid: cognitoKey.kid }, accessClaims(), oidcRsa);
    expect(await codeOf(both.verify(cognitoKid))).toBe('invalid_signature');
  });

  it("applies only the owning verifier's claim rules (a Cognito token needs token_use, a partner token aud)", async () => {
    const both = combineVerifiers([cognito(), partner()]);
    // A partner-shaped token claiming the Cognito issuer, validly signed by the Cognito key.
    const partnerShaped = signJwt(
      { alg: 'RS256', kid: cognitoKey.kid },
      atClaims({ iss: ISSUER }),
      cognitoKey,
    );
    expect(await codeOf(both.verify(partnerShaped))).toBe('invalid_claims');
    // A Cognito-shaped token claiming the partner issuer, validly signed by the partner key: no aud.
    const cognitoShaped = signOidc({}, accessClaims({ iss: OIDC_ISSUER }), oidcRsa);
    expect(await codeOf(both.verify(cognitoShaped))).toBe('invalid_claims');
  });

  it('refuses duplicate issuers, the same verifier twice, custom verifiers without issuers and empty lists', () => {
    expect(() => combineVerifiers([partner(), partner()])).toThrow(/configured in two verifiers/);
    expect(() => combineVerifiers([cognito(), cognito()])).toThrow(ConfigurationError);
    const one = partner();
    expect(() => combineVerifiers([one, one])).toThrow(/twice/);
    const custom = { ...partner(), issuers: undefined } as unknown as Verifier;
    expect(() => combineVerifiers([custom])).toThrow(/does not declare its issuers/);
    expect(() => combineVerifiers([])).toThrow(ConfigurationError);
    expect(() => combineVerifiers([partner()], { max: 1 } as never)).toThrow(/max/);
  });

  it('can be nested, hydrates all, sums cached tokens and closes all', async () => {
    const inner = combineVerifiers([partner()]);
    const outer = combineVerifiers([cognito(), inner]);
    const token = signOidc({}, atClaims(), oidcRsa);
    expect(outer.verifySync(token).issuer).toBe(OIDC_ISSUER);
    expect(await outer.verifyAuthorization(`Bearer ${token}`)).toBe(outer.verifyDirect(token));
    expect(outer.cachedTokens).toBe(1);
    expect(await outer.hydrate()).toEqual({ ok: true, results: [] });
    expect(outer.jwksUris).toEqual(cognito().jwksUris);
    outer.close();
    expect(outer.cachedTokens).toBe(0);
  });

  it('caps the token length decoded for routing', async () => {
    const both = combineVerifiers([partner()], { maxTokenLength: 100 });
    expect(await codeOf(both.verify(signOidc({}, atClaims(), oidcEc)))).toBe('malformed_token');
    expect(await codeOf(both.verify(`${b64({ alg: 'none' })}.${b64({ iss: OIDC_ISSUER })}.e30`))).toBe(
      'unsupported_algorithm',
    );
  });
});
