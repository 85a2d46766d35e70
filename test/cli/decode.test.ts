import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, type CliFixture, createCliFixture, json, NOW_SECONDS, payloadOf, run } from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

interface DecodeJson {
  verified: false;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  times: Record<string, { value: unknown; iso: string | null; relative: string | null }>;
  expired: boolean | null;
  expiresInSeconds: number | null;
  problem: string | null;
}

describe('decode', () => {
  it('says NOT VERIFIED first, then the header, the claims with dates, and the time to expiry', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 600, expiresIn: 3600 });

    const { code, stdout, stderr } = await run(['decode', token]);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(/^NOT VERIFIED: decoded only\./);
    expect(stdout).toMatch(/^Header\n {2}kid\s+\S+\n {2}alg\s+RS256$/m);
    expect(stdout).toMatch(/^ {2}exp\s+1795690200 {2}2026-11-26T10:50:00Z \(expires in 50 min\)$/m);
    expect(stdout).toMatch(/^ {2}iat\s+1795686600 {2}2026-11-26T09:50:00Z \(10 min ago\)$/m);
    expect(stdout).toMatch(/^ {2}auth_time\s+1795686600 {2}2026-11-26T09:50:00Z \(10 min ago\)$/m);
    expect(stdout).toContain('Expiry  expires at 2026-11-26T10:50:00Z, in 50 min');
  });

  it('shows how long ago an expired token expired', async () => {
    const token = await f.issuer.accessToken({ issuedAt: NOW_SECONDS - 2 * 86_400, expiresIn: 3600 });
    const { code, stdout } = await run(['decode', token]);
    expect(code).toBe(0);
    expect(stdout).toContain('(expired 1 d 23 h ago)');
    expect(stdout).toContain('Expiry  expired at 2026-11-24T11:00:00Z, 1 d 23 h ago');
  });

  it('shows nbf as a date too', async () => {
    const { stdout } = await run(['decode', await f.issuer.accessToken({ nbf: NOW_SECONDS + 90 })]);
    expect(stdout).toMatch(/^ {2}nbf\s+1795687290 {2}2026-11-26T10:01:30Z \(in 1 min 30 s\)$/m);
  });

  it('--json prints the header, claims, times and expiry with stable keys', async () => {
    const token = await f.issuer.idToken({ expiresIn: 600 });
    const result = await run(['decode', token, '--json']);
    const body = json<DecodeJson>(result);
    expect(result.code).toBe(0);
    expect(Object.keys(body)).toEqual([
      'verified',
      'header',
      'claims',
      'times',
      'expired',
      'expiresInSeconds',
      'problem',
    ]);
    expect(body).toMatchObject({ verified: false, expired: false, expiresInSeconds: 600, problem: null });
    expect(body.claims).toEqual(payloadOf(token));
    expect(body.times.exp).toEqual({
      value: NOW_SECONDS + 600,
      iso: '2026-11-26T10:10:00Z',
      relative: 'in 10 min',
    });
    expect(Object.keys(body.times)).toEqual(['exp', 'iat', 'auth_time']);
  });

  it('--now shows times relative to another instant', async () => {
    const token = await f.issuer.accessToken();
    const body = json<DecodeJson>(await run(['decode', token, '--json', '--now', '2026-11-26T12:00:00Z']));
    expect(body).toMatchObject({ expired: true, expiresInSeconds: -3600 });
    expect(body.times.exp?.relative).toBe('1 h ago');
  });

  it('decodes a token whose signature does not verify: decoding checks nothing', async () => {
    const token = `${(await f.issuer.accessToken()).slice(0, -8)}AAAAAAAA`;
    const { code, stdout } = await run(['decode', token]);
    expect(code).toBe(0);
    expect(stdout).toContain('NOT VERIFIED');
  });

  it('shows what it can of a broken token, says what is wrong, and exits 1', async () => {
    const token = await f.issuer.accessToken();
    const [header, payload] = token.split('.');
    const twoSegments = `${header}.${payload}`;

    const human = await run(['decode', twoSegments]);
    const body = json<DecodeJson>(await run(['decode', twoSegments, '--json']));

    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Broken token: a JWT has 3 dot-separated segments, this one has 2');
    expect(human.stdout).toMatch(/^ {2}token_use\s+access$/m);
    expect(body.problem).toBe('a JWT has 3 dot-separated segments, this one has 2');
    expect(body.claims).toEqual(payloadOf(token));
  });

  it('says a segment could not be decoded at all', async () => {
    const { code, stdout } = await run(['decode', '%%%.%%%.sig']);
    const body = json<DecodeJson>(await run(['decode', '%%%.%%%.sig', '--json']));
    expect(code).toBe(1);
    expect(stdout).toContain('(could not be decoded)');
    expect(body).toMatchObject({ header: null, claims: null, expired: null, expiresInSeconds: null });
    expect(body.problem).toBe('header is not canonical base64url');
  });

  it('reports a claim time that is not a number instead of failing', async () => {
    const token = await f.issuer.accessToken({ claims: { exp: 'tomorrow' } });
    const { code, stdout } = await run(['decode', token]);
    const body = json<DecodeJson>(await run(['decode', token, '--json']));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}exp\s+tomorrow {2}\(not a valid time\)$/m);
    expect(stdout).toContain('Expiry  exp is not a valid time ("tomorrow")');
    expect(body.times.exp).toEqual({ value: 'tomorrow', iso: null, relative: null });
    expect(body.expired).toBeNull();
  });

  it('survives absurd times', async () => {
    const token = await f.issuer.accessToken({ claims: { exp: 1e300, iat: -1e20 } });
    const { code, stdout } = await run(['decode', token]);
    expect(code).toBe(0);
    expect(stdout).toContain('(not a valid time)');
  });

  it('reads the token from stdin and strips Bearer', async () => {
    const token = await f.issuer.accessToken();
    const piped = await run(['decode'], { stdin: `Bearer ${token}\n` });
    const dash = await run(['decode', '-', '--json'], { stdin: token });
    expect(piped.code).toBe(0);
    expect(json<DecodeJson>(dash).claims).toEqual(payloadOf(token));
  });

  it('colours only on a terminal', async () => {
    const token = await f.issuer.accessToken();
    expect((await run(['decode', token])).stdout).not.toMatch(ANSI);
    const tty = await run(['decode', token], { isTTY: true });
    expect(tty.stdout).toMatch(ANSI);
    expect(tty.stdout).toContain('\u001b[33mNOT VERIFIED\u001b[39m');
    expect((await run(['decode', token, '--json'], { isTTY: true })).stdout).not.toMatch(ANSI);
  });

  it('is a usage error without a token, with an unknown option, or with two tokens', async () => {
    const none = await run(['decode']);
    const unknown = await run(['decode', 'a.b.c', '--verify']);
    const two = await run(['decode', 'a.b.c', 'd.e.f']);
    for (const result of [none, unknown, two]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain("Run 'cognito-gate decode --help' for usage.");
    }
    expect(unknown.stderr).toContain('unknown option --verify');
  });
});
