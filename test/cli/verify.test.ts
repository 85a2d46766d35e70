import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import { type CliFixture, createCliFixture, json, NOW_SECONDS, payloadOf, run } from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

async function verifyJson(token: string, extra: readonly string[] = []) {
  const result = await run(['verify', token, ...f.args, ...extra, '--json']);
  return { ...result, body: json<VerifyJson>(result) };
}

describe('verify: accepted tokens', () => {
  it('prints VALID, a summary and the decoded token, and exits 0', async () => {
    const token = await f.issuer.accessToken({ groups: ['admin'] });

    const { code, stdout, stderr } = await run(['verify', token, ...f.args]);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe('VALID');
    expect(stdout).toContain(
      `access token of testuser for client ${f.issuer.clientId} of pool ${f.issuer.userPoolId}; expires at 2026-11-26T11:00:00Z, in 1 h`,
    );
    expect(stdout).toMatch(/^Header\n {2}kid/m);
    expect(stdout).toMatch(/^ {2}exp\s+1795690800 {2}2026-11-26T11:00:00Z \(expires in 1 h\)$/m);
    expect(stdout).toMatch(/^ {2}cognito:groups\s+\["admin"\]$/m);
  });

  it('--json prints exactly { valid, code, status, explanation, header, claims }', async () => {
    const token = await f.issuer.accessToken();

    const { code, body } = await verifyJson(token);

    expect(code).toBe(0);
    expect(Object.keys(body)).toEqual(['valid', 'code', 'status', 'explanation', 'header', 'claims']);
    expect(body).toMatchObject({ valid: true, code: null, status: null });
    expect(body.header).toEqual({ kid: f.issuer.keyIds.access, alg: 'RS256' });
    expect(body.claims).toEqual(payloadOf(token));
  });

  it('accepts ID tokens with --token-use id', async () => {
    const token = await f.issuer.idToken();
    const { code, body } = await verifyJson(token, ['--token-use', 'id']);
    expect(code).toBe(0);
    expect(body.explanation).toMatch(/^id token of testuser for client/);
  });

  it('accepts either kind with --token-use any', async () => {
    expect((await verifyJson(await f.issuer.idToken(), ['--token-use', 'any'])).code).toBe(0);
    expect((await verifyJson(await f.issuer.accessToken(), ['--token-use', 'any'])).code).toBe(0);
  });

  it('describes machine-to-machine tokens as such', async () => {
    const { body } = await verifyJson(await f.issuer.m2mToken());
    expect(body.explanation).toMatch(/^machine-to-machine access token for client /);
  });

  it('--any-client accepts a token of any app client', async () => {
    const token = await f.issuer.accessToken({ client_id: 'someotherclient' });
    const args = ['--user-pool-id', f.issuer.userPoolId, '--jwks-file', f.jwksFile, '--any-client'];
    const { code, stdout } = await run(['verify', token, ...args]);
    expect(code).toBe(0);
    expect(stdout).toContain('for client someotherclient');
  });

  it('accepts one of several pools and clients given as comma lists or repeated flags', async () => {
    const token = await f.issuer.accessToken();
    const { code } = await run([
      'verify',
      token,
      '--user-pool-id',
      `us-east-1_Other01,${f.issuer.userPoolId}`,
      '--client-id',
      'one',
      '--client-id',
      `two,${f.issuer.clientId}`,
      '--jwks-file',
      f.jwksFile,
    ]);
    expect(code).toBe(0);
  });

  it('passes when the token has every required group and scope', async () => {
    const token = await f.issuer.accessToken({
      groups: ['admin', 'ops'],
      scopes: ['orders/read', 'orders/write'],
    });
    const { code } = await verifyJson(token, ['--groups', 'admin,ops', '--scopes', 'orders/read']);
    expect(code).toBe(0);
  });
});

describe('verify: token input', () => {
  it('reads the token from stdin when the argument is absent and stdin is piped', async () => {
    const token = await f.issuer.accessToken();
    const { code } = await run(['verify', ...f.args], { stdin: `${token}\n` });
    expect(code).toBe(0);
  });

  it("reads the token from stdin when the argument is '-'", async () => {
    const token = await f.issuer.accessToken();
    const { code } = await run(['verify', '-', ...f.args], { stdin: token });
    expect(code).toBe(0);
  });

  it('strips a leading Bearer from the argument and from stdin', async () => {
    const token = await f.issuer.accessToken();
    expect((await run(['verify', `Bearer ${token}`, ...f.args])).code).toBe(0);
    expect((await run(['verify', ...f.args], { stdin: `  bearer   ${token}\r\n` })).code).toBe(0);
  });

  it('is a usage error when no token is given and stdin is a terminal', async () => {
    const { code, stderr, stdout } = await run(['verify', ...f.args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('missing <token>');
    expect(stderr).toContain("Run 'cognito-gate verify --help' for usage.");
  });

  it('is a usage error when stdin is empty', async () => {
    const { code, stderr } = await run(['verify', ...f.args], { stdin: '\n' });
    expect(code).toBe(2);
    expect(stderr).toContain('no token given');
  });

  it('is a usage error when stdin is far larger than any token', async () => {
    const { code, stderr } = await run(['verify', ...f.args], { stdin: 'a'.repeat(70_000) });
    expect(code).toBe(2);
    expect(stderr).toContain('stdin holds more than');
  });

  it('is a usage error to give two tokens', async () => {
    const { code, stderr } = await run(['verify', 'eyJa.b.c', 'eyJd.e.f', ...f.args]);
    expect(code).toBe(2);
    expect(stderr).toContain("unexpected argument 'eyJd.e.f'");
  });
});

describe('verify: the clock', () => {
  it('--now checks a token as of another time (ISO date)', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 86_400, expiresIn: 3600 });
    expect((await run(['verify', token, ...f.args])).code).toBe(1);
    const { code } = await run(['verify', token, ...f.args, '--now', '2026-11-25T10:30:00Z']);
    expect(code).toBe(0);
  });

  it('--now accepts epoch seconds and epoch milliseconds', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 86_400, expiresIn: 3600 });
    const seconds = String(NOW_SECONDS - 86_000);
    expect((await run(['verify', token, ...f.args, '--now', seconds])).code).toBe(0);
    expect((await run(['verify', token, ...f.args, '--now', `${seconds}000`])).code).toBe(0);
  });

  it('--clock-tolerance lets a just-expired token through', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 3630, expiresIn: 3600 });
    expect((await run(['verify', token, ...f.args])).code).toBe(1);
    expect((await run(['verify', token, ...f.args, '--clock-tolerance', '60'])).code).toBe(0);
  });
});

describe('verify: keys from a URL', () => {
  it('fetches the JWKS from the pool endpoint when no --jwks-file or --jwks-uri is given', async () => {
    const token = await f.issuer.accessToken();
    const urls: string[] = [];
    const { code } = await run(
      ['verify', token, '--user-pool-id', f.issuer.userPoolId, '--client-id', f.issuer.clientId],
      {
        fetch: async (url) => {
          urls.push(url);
          return Response.json(f.issuer.jwks);
        },
      },
    );
    expect(code).toBe(0);
    expect(urls).toEqual([`${f.issuer.issuer}/.well-known/jwks.json`]);
  });

  it('fetches the JWKS from --jwks-uri (a loopback emulator)', async () => {
    const { jwksUri } = await f.issuer.listen();
    try {
      const token = await f.issuer.accessToken();
      const args = ['--user-pool-id', f.issuer.userPoolId, '--client-id', f.issuer.clientId];
      const { code } = await run(['verify', token, ...args, '--jwks-uri', jwksUri], {
        fetch: (url, init) => fetch(url, init),
      });
      expect(code).toBe(0);
    } finally {
      await f.issuer.close();
    }
  });
});
