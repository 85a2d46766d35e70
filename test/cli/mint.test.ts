import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from '@cognito-gate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { ANSI, json, NOW_SECONDS, payloadOf, run } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-mint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POOL = 'ap-southeast-2_MintTest1';

interface MintJson {
  token: string;
  jwks: { keys: Array<Record<string, unknown>> };
  tokenUse: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  expiresAt: string;
  jwksFile: string | null;
}

async function mintJson(extra: readonly string[] = []) {
  const result = await run(['mint', '--user-pool-id', POOL, ...extra, '--json']);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  return json<MintJson>(result);
}

describe('mint', () => {
  it('prints the token, then the JWKS, on stdout and notes on stderr', async () => {
    const { code, stdout, stderr } = await run(['mint', '--user-pool-id', POOL]);

    expect(code).toBe(0);
    const [token, blank, ...rest] = stdout.split('\n');
    expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(blank).toBe('');
    const jwks = JSON.parse(rest.join('\n')) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((key) => key.kid)).toContain(
      JSON.parse(Buffer.from(token!.split('.')[0]!, 'base64url').toString()).kid,
    );
    expect(stderr).toContain(
      `Access token for client testclient0000000000000001 of ${POOL}, expires at 2026-11-26T11:00:00Z, in 1 h`,
    );
    expect(stderr).toContain('JWKS that verifies it:');
  });

  it('--json prints token and JWKS in one object with stable keys', async () => {
    const body = await mintJson();
    expect(Object.keys(body)).toEqual([
      'token',
      'jwks',
      'tokenUse',
      'userPoolId',
      'clientId',
      'issuer',
      'expiresAt',
      'jwksFile',
    ]);
    expect(body).toMatchObject({
      tokenUse: 'access',
      userPoolId: POOL,
      clientId: 'testclient0000000000000001',
      issuer: `https://cognito-idp.ap-southeast-2.amazonaws.com/${POOL}`,
      expiresAt: '2026-11-26T11:00:00Z',
      jwksFile: null,
    });
    for (const key of body.jwks.keys)
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('mints an access token the core verifier accepts with the printed JWKS', async () => {
    const body = await mintJson([
      '--client-id',
      'myclient',
      '--groups',
      'admin,ops',
      '--scopes',
      'orders/read',
    ]);
    const verifier = createVerifier({
      userPoolId: POOL,
      clientId: 'myclient',
      jwks: { keys: body.jwks, fetch: false },
      now: () => NOW_SECONDS * 1000,
    });
    const auth = await verifier.verify(body.token, { groups: ['admin', 'ops'], scopes: 'orders/read' });
    expect(auth).toMatchObject({
      tokenUse: 'access',
      clientId: 'myclient',
      username: 'testuser',
      isMachine: false,
    });
  });

  it('mints ID and M2M tokens with --token-use', async () => {
    const id = await mintJson(['--token-use', 'id', '--groups', 'admin']);
    const m2m = await mintJson(['--token-use', 'm2m', '--scopes', 'orders/write']);
    expect(payloadOf(id.token)).toMatchObject({
      token_use: 'id',
      aud: id.clientId,
      'cognito:groups': ['admin'],
    });
    expect(payloadOf(m2m.token)).toMatchObject({
      token_use: 'access',
      sub: m2m.clientId,
      scope: 'orders/write',
    });
    expect(payloadOf(m2m.token)).not.toHaveProperty('username');
    expect(m2m.tokenUse).toBe('m2m');
  });

  it('--expires-in sets the lifetime', async () => {
    const body = await mintJson(['--expires-in', '300']);
    const claims = payloadOf(body.token);
    expect(claims.exp).toBe(NOW_SECONDS + 300);
    expect(body.expiresAt).toBe('2026-11-26T10:05:00Z');
  });

  it('--out-jwks writes the JWKS file, prints only the token on stdout and a verify hint', async () => {
    const file = join(dir, 'access-jwks.json');
    const { code, stdout, stderr } = await run(['mint', '--user-pool-id', POOL, '--out-jwks', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(JSON.parse(readFileSync(file, 'utf8')).keys).toHaveLength(2);
    expect(stderr).toContain(`JWKS written to ${file}`);
    expect(stderr).toContain(
      `cognito-gate verify "$TOKEN" --user-pool-id ${POOL} --client-id testclient0000000000000001 --jwks-file ${file}`,
    );
  });

  it('round trip: a minted token verifies offline with `verify --jwks-file`', async () => {
    const file = join(dir, 'round-trip.json');
    const minted = await run(['mint', '--user-pool-id', POOL, '--groups', 'admin', '--out-jwks', file]);
    const token = minted.stdout.trim();
    const args = ['--user-pool-id', POOL, '--client-id', 'testclient0000000000000001', '--jwks-file', file];

    const ok = await run(['verify', token, ...args, '--groups', 'admin']);
    const missingGroup = await run(['verify', token, ...args, '--groups', 'root']);

    expect(ok.code).toBe(0);
    expect(ok.stdout.startsWith('VALID')).toBe(true);
    expect(missingGroup.code).toBe(1);
  });

  it('round trip: an ID token, piped through stdin', async () => {
    const file = join(dir, 'id-jwks.json');
    const minted = await run(['mint', '--user-pool-id', POOL, '--token-use', 'id', '--out-jwks', file]);
    expect(minted.stderr).toContain('--token-use id --jwks-file');
    const args = ['--user-pool-id', POOL, '--client-id', 'testclient0000000000000001', '--jwks-file', file];
    const verified = await run(['verify', ...args, '--token-use', 'id', '--json'], { stdin: minted.stdout });
    expect(json<{ valid: boolean }>(verified).valid).toBe(true);
  });

  it('round trip through a pipe: verify reads the JWKS file only after stdin ends', async () => {
    const file = join(dir, 'piped.json');
    const minted = json<MintJson>(await run(['mint', '--user-pool-id', POOL, '--json']));
    // Like `mint --out-jwks f | verify --jwks-file f`: the file appears just before the token does.
    async function* slowPipe() {
      await new Promise((resolve) => setImmediate(resolve));
      writeFileSync(file, JSON.stringify(minted.jwks));
      yield Buffer.from(minted.token);
    }
    let stdout = '';
    const code = await main(
      ['verify', '--user-pool-id', POOL, '--client-id', minted.clientId, '--jwks-file', file],
      {
        stdin: slowPipe(),
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: () => true },
        isTTY: false,
        env: {},
        now: () => NOW_SECONDS * 1000,
      },
    );
    expect(code).toBe(0);
    expect(stdout.startsWith('VALID')).toBe(true);
  });

  it('round trip: the whole `mint --json` output serves as the JWKS file', async () => {
    const body = await mintJson();
    const file = join(dir, 'minted.json');
    writeFileSync(file, JSON.stringify(body));
    const args = ['--user-pool-id', POOL, '--client-id', body.clientId, '--jwks-file', file];
    expect((await run(['verify', body.token, ...args])).code).toBe(0);
  });

  it('colours its notes only on a terminal, and never the token', async () => {
    const plain = await run(['mint', '--user-pool-id', POOL]);
    const tty = await run(['mint', '--user-pool-id', POOL], { isTTY: true });
    expect(plain.stderr).not.toMatch(ANSI);
    expect(tty.stderr).toMatch(ANSI);
    expect(tty.stdout.split('\n')[0]).not.toMatch(ANSI);
  });

  const usage: ReadonlyArray<readonly [string, readonly string[], string]> = [
    ['no --user-pool-id', [], '--user-pool-id is required'],
    [
      'a malformed pool id',
      ['--user-pool-id', 'mypool'],
      "--user-pool-id must look like us-east-1_Abc123 (got 'mypool')",
    ],
    [
      'groups on an m2m token',
      ['--user-pool-id', POOL, '--token-use', 'm2m', '--groups', 'a'],
      'm2m tokens carry no groups',
    ],
    [
      'scopes on an ID token',
      ['--user-pool-id', POOL, '--token-use', 'id', '--scopes', 'a'],
      'ID tokens carry no scopes',
    ],
    [
      'a bad --token-use',
      ['--user-pool-id', POOL, '--token-use', 'refresh'],
      '--token-use must be one of access, id, m2m',
    ],
    [
      'a zero --expires-in',
      ['--user-pool-id', POOL, '--expires-in', '0'],
      '--expires-in must be a whole number',
    ],
    [
      'a fractional --expires-in',
      ['--user-pool-id', POOL, '--expires-in', '1.5'],
      '--expires-in must be a whole number',
    ],
    [
      'a token argument',
      ['eyJa.b.c', '--user-pool-id', POOL],
      "mint takes no token argument (got 'eyJa.b.c')",
    ],
    ['an unknown option', ['--user-pool-id', POOL, '--secret', 'x'], 'unknown option --secret'],
  ];

  it.each(usage)('is a usage error (exit 2) with %s', async (_name, args, message) => {
    const { code, stdout, stderr } = await run(['mint', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain("Run 'cognito-gate mint --help' for usage.");
  });

  it('is a usage error when the JWKS file cannot be written', async () => {
    const { code, stderr } = await run([
      'mint',
      '--user-pool-id',
      POOL,
      '--out-jwks',
      join(dir, 'no/such/dir.json'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot write the JWKS to');
  });
});
