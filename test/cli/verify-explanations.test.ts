import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import {
  type CliFixture,
  createCliFixture,
  json,
  NOW_SECONDS,
  payloadOf,
  type RunOptions,
  run,
  withSegment,
} from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

/** Verify offline against the fixture's JWKS file and return the parsed --json output. */
async function rejection(token: string, extra: readonly string[] = [], args = f.args, options?: RunOptions) {
  const result = await run(['verify', token, ...args, ...extra, '--json'], options);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  const body = json<VerifyJson>(result);
  expect(body.valid).toBe(false);
  return body;
}

const poolArgs = () => ['--user-pool-id', f.issuer.userPoolId, '--client-id', f.issuer.clientId];

describe('verify explains every rejection, exit code 1', () => {
  it('prints REJECTED with the code, the status and the reason', async () => {
    const token = await f.issuer.idToken();
    const { code, stdout } = await run(['verify', token, ...f.args]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('REJECTED  invalid_token_use (401)');
    expect(lines[1]).toBe('  token_use is id but this API expects access tokens');
    expect(stdout).toContain('Claims (of the rejected token)');
    expect(stdout).toMatch(/^ {2}token_use\s+id$/m);
  });

  it('expired: when, and how long ago', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 11_520 - 3600, expiresIn: 3600 });
    const body = await rejection(token);
    expect(body).toMatchObject({ code: 'expired', status: 401 });
    expect(body.explanation).toBe('expired at 2026-11-26T06:48:00Z, 3 h 12 min ago');
    expect(body.claims?.exp).toBe(NOW_SECONDS - 11_520);
  });

  it('expired: mentions the clock tolerance that was applied', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 3720, expiresIn: 3600 });
    const body = await rejection(token, ['--clock-tolerance', '60']);
    expect(body.explanation).toBe('expired at 2026-11-26T09:58:00Z, 2 min ago (clock tolerance 1 min)');
  });

  it('not_yet_valid: the nbf date and how far ahead it is', async () => {
    const body = await rejection(await f.issuer.accessToken({ nbf: NOW_SECONDS + 300 }));
    expect(body.code).toBe('not_yet_valid');
    expect(body.explanation).toBe('not valid before 2026-11-26T10:05:00Z (nbf), in 5 min');
  });

  it('issued_in_future: the iat date and a hint about clocks', async () => {
    const body = await rejection(await f.issuer.accessToken({ issuedAt: NOW_SECONDS + 600 }));
    expect(body.code).toBe('issued_in_future');
    expect(body.explanation).toBe(
      'issued in the future, at 2026-11-26T10:10:00Z (iat), in 10 min: a clock is off (--clock-tolerance allows for skew)',
    );
  });

  it('invalid_token_use: which token_use the token has and which the API expects', async () => {
    const id = await rejection(await f.issuer.idToken());
    const access = await rejection(await f.issuer.accessToken(), ['--token-use', 'id']);
    const odd = await rejection(await f.issuer.accessToken({ claims: { token_use: 'refresh' } }));
    expect(id.explanation).toBe('token_use is id but this API expects access tokens');
    expect(access.explanation).toBe('token_use is access but this API expects id tokens');
    expect(odd).toMatchObject({ code: 'invalid_token_use' });
    expect(odd.explanation).toBe('token_use is refresh; Cognito tokens say id or access');
  });

  it('invalid_client: the client the token was issued to, and the expected ones', async () => {
    const access = await rejection(await f.issuer.accessToken({ client_id: 'otherclient' }));
    const id = await rejection(await f.issuer.idToken({ aud: 'otherclient' }), ['--token-use', 'id']);
    const several = await rejection(
      await f.issuer.accessToken({ client_id: 'otherclient' }),
      [],
      ['--user-pool-id', f.issuer.userPoolId, '--client-id', 'one,two', '--jwks-file', f.jwksFile],
    );
    expect(access.code).toBe('invalid_client');
    expect(access.explanation).toBe(
      `issued to client otherclient (client_id), expected ${f.issuer.clientId}`,
    );
    expect(id.explanation).toBe(`issued to client otherclient (aud), expected ${f.issuer.clientId}`);
    expect(several.explanation).toBe('issued to client otherclient (client_id), expected one or two');
  });

  it("invalid_issuer: the token's iss and every accepted issuer", async () => {
    const foreign = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other';
    const body = await rejection(await f.issuer.accessToken({ iss: foreign }));
    expect(body.code).toBe('invalid_issuer');
    expect(body.explanation).toBe(
      `issued by ${foreign}, expected ${f.issuer.issuer} or ${f.issuer.globalIssuer}`,
    );
    const none = await rejection(await f.issuer.accessToken({ iss: undefined }));
    expect(none.explanation).toMatch(/^the token has no iss claim; expected https:\/\/cognito-idp\./);
  });

  it('unknown_key: the kid of the token and the kids of the JWKS file', async () => {
    const token = await f.issuer.accessToken({ header: { kid: 'not-in-the-jwks' } });
    const body = await rejection(token);
    expect(body.code).toBe('unknown_key');
    const { id, access } = f.issuer.keyIds;
    expect(body.explanation).toBe(
      `the token names key not-in-the-jwks, which is not in the JWKS (${f.jwksFile}): it holds ${id}, ${access}`,
    );
  });

  it('unknown_key: the kids of a downloaded JWKS and its URL', async () => {
    const token = await f.issuer.accessToken({ header: { kid: 'not-in-the-jwks' } });
    const body = await rejection(token, [], poolArgs(), { fetch: async () => Response.json(f.issuer.jwks) });
    const { id, access } = f.issuer.keyIds;
    expect(body.explanation).toBe(
      `the token names key not-in-the-jwks, which is not in the JWKS (${f.issuer.issuer}/.well-known/jwks.json): it holds ${id}, ${access}`,
    );
  });

  it('unknown_key: says so when the JWKS file is empty', async () => {
    const empty = f.write('no-keys.json', { keys: [] });
    const args = [...poolArgs(), '--jwks-file', empty];
    const body = await rejection(await f.issuer.accessToken(), [], args);
    expect(body.explanation).toBe(
      `the token names key ${f.issuer.keyIds.access}, which is not in the JWKS (${empty}): that JWKS holds no keys`,
    );
  });

  it('invalid_key: which key was refused and why', async () => {
    const jwks = f.issuer.jwks;
    for (const key of jwks.keys) key.e = 'AwAB';
    const file = f.write('weak.json', jwks);
    const body = await rejection(await f.issuer.accessToken(), [], [...poolArgs(), '--jwks-file', file]);
    expect(body.code).toBe('invalid_key');
    expect(body.explanation).toBe(
      `key ${f.issuer.keyIds.access} in the JWKS (${file}) is refused: public exponent is not 65537`,
    );
  });

  it('invalid_signature: a token signed by another key, or altered', async () => {
    const claims = payloadOf(await f.issuer.accessToken());
    const wrongKey = await f.issuer.sign({ kid: f.issuer.keyIds.access, alg: 'RS256' }, claims, {
      key: 'id',
    });
    const altered = withSegment(await f.issuer.accessToken(), 1, { ...claims, 'cognito:groups': ['admin'] });
    const expected = `the signature does not match key ${f.issuer.keyIds.access} (${f.jwksFile}): the token was altered, or signed by another key`;
    for (const token of [wrongKey, altered]) {
      const body = await rejection(token);
      expect(body.code).toBe('invalid_signature');
      expect(body.explanation).toBe(expected);
    }
  });

  it('unsupported_algorithm: the alg, and that Cognito uses RS256 only', async () => {
    const claims = payloadOf(await f.issuer.accessToken());
    const token = await f.issuer.sign({ kid: f.issuer.keyIds.access, alg: 'HS256' }, claims);
    const body = await rejection(token);
    expect(body.code).toBe('unsupported_algorithm');
    expect(body.explanation).toBe('alg is HS256 but Cognito user pools sign with RS256 only');
  });

  it('malformed_token: the wrong number of segments, with nothing decoded', async () => {
    const body = await rejection('abc.def');
    expect(body).toMatchObject({ code: 'malformed_token', status: 401, header: null, claims: null });
    expect(body.explanation).toBe(
      'the token is not a well-formed JWT: a JWT has 3 dot-separated segments, this one has 2',
    );
  });

  it('malformed_token: a non-canonical segment, still showing the claims', async () => {
    const token = await f.issuer.accessToken();
    const [header, payload, signature] = token.split('.');
    const padded = `${header}.${payload}${'='.repeat((4 - (payload!.length % 4)) % 4 || 4)}.${signature}`;
    const body = await rejection(padded);
    expect(body.explanation).toBe('the token is not a well-formed JWT: payload is not canonical base64url');
    expect(body.claims).toEqual(payloadOf(token));
  });

  it('malformed_token: a header without kid or alg, or with crit', async () => {
    const claims = payloadOf(await f.issuer.accessToken());
    const kid = f.issuer.keyIds.access;
    const noKid = await rejection(await f.issuer.sign({ alg: 'RS256' }, claims));
    const noAlg = await rejection(await f.issuer.sign({ kid }, claims));
    const crit = await rejection(await f.issuer.sign({ kid, alg: 'RS256', crit: ['exp'] }, claims));
    const numericKid = await rejection(await f.issuer.sign({ kid: 42, alg: 'RS256' }, claims));
    expect(noKid.explanation).toBe('the header has no kid');
    expect(noAlg.explanation).toBe('the header has no alg');
    expect(crit.explanation).toBe('the header has a crit member (["exp"]); Cognito never sets one');
    expect(numericKid.explanation).toBe("the header's kid is not usable (42)");
  });

  it('invalid_claims: what is wrong, with the offending value', async () => {
    const noExp = await rejection(await f.issuer.accessToken({ exp: undefined }));
    const groups = await rejection(await f.issuer.accessToken({ claims: { 'cognito:groups': 'admin' } }));
    expect(noExp.code).toBe('invalid_claims');
    expect(noExp.explanation).toBe('the claims are not what Cognito issues: exp is missing');
    expect(groups.explanation).toBe(
      'the claims are not what Cognito issues: cognito:groups is not an array of strings (it is "admin")',
    );
  });

  it('insufficient_group: the groups held, required and missing (403)', async () => {
    const some = await rejection(await f.issuer.accessToken({ groups: ['ops'] }), ['--groups', 'admin,ops']);
    const none = await rejection(await f.issuer.accessToken(), ['--groups', 'admin']);
    expect(some).toMatchObject({ code: 'insufficient_group', status: 403 });
    expect(some.explanation).toBe('groups held: ops; required: admin, ops (missing: admin)');
    expect(none.explanation).toBe('the token has no groups; required: admin (missing: admin)');
  });

  it('insufficient_scope: the scopes held, required and missing (403)', async () => {
    const token = await f.issuer.accessToken({ scopes: ['orders/read'] });
    const body = await rejection(token, ['--scopes', 'orders/read', '--scopes', 'orders/write']);
    expect(body).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(body.explanation).toBe(
      'scopes held: orders/read; required: orders/read, orders/write (missing: orders/write)',
    );
  });

  it('jwks_unavailable: the URL and what failed (503)', async () => {
    const url = `${f.issuer.issuer}/.well-known/jwks.json`;
    const down = await rejection(await f.issuer.accessToken(), [], poolArgs(), {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(down).toMatchObject({ code: 'jwks_unavailable', status: 503 });
    expect(down.explanation).toBe(`could not load the JWKS from ${url}: network error (fetch failed)`);
  });

  it('unknown_key: a 404 from Cognito means the issuer has no keys, with a hint at the pool id and region', async () => {
    const body = await rejection(await f.issuer.accessToken(), [], poolArgs(), {
      fetch: async () => new Response('{"message":"not found"}', { status: 404 }),
    });
    expect(body).toMatchObject({ code: 'unknown_key', status: 401 });
    expect(body.explanation).toBe(
      `${f.issuer.issuer}/.well-known/jwks.json publishes no keys: issuer publishes no keys (JWKS endpoint answered 404) (check the user pool id and its region)`,
    );
  });

  it('jwks_unavailable: a 429 from Cognito is an outage', async () => {
    const body = await rejection(await f.issuer.accessToken(), [], poolArgs(), {
      fetch: async () => new Response('{"message":"slow down"}', { status: 429 }),
    });
    expect(body).toMatchObject({ code: 'jwks_unavailable', status: 503 });
    expect(body.explanation).toBe(
      `could not load the JWKS from ${f.issuer.issuer}/.well-known/jwks.json: JWKS endpoint answered 429`,
    );
  });
});
