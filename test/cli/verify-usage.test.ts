import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import { ANSI, type CliFixture, createCliFixture, json, run } from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

describe('verify: colours', () => {
  it('writes no ANSI codes when stdout is not a terminal', async () => {
    const { stdout } = await run(['verify', await f.issuer.accessToken(), ...f.args]);
    expect(stdout).not.toMatch(ANSI);
  });

  it('colours the verdict on a terminal', async () => {
    const { stdout } = await run(['verify', await f.issuer.accessToken(), ...f.args], { isTTY: true });
    expect(stdout).toMatch(ANSI);
    expect(stdout).toContain('\u001b[32mVALID\u001b[39m');
  });

  it('honours NO_COLOR, --no-color and --json on a terminal', async () => {
    const token = await f.issuer.accessToken();
    const noColor = await run(['verify', token, ...f.args], { isTTY: true, env: { NO_COLOR: '1' } });
    const flag = await run(['verify', token, ...f.args, '--no-color'], { isTTY: true });
    const asJson = await run(['verify', token, ...f.args, '--json'], { isTTY: true });
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(flag.stdout).not.toMatch(ANSI);
    expect(asJson.stdout).not.toMatch(ANSI);
  });

  it('prints control characters from a hostile token escaped, never raw', async () => {
    const token = await f.issuer.accessToken({ 'custom:evil': 'x\u001b[2J\u009b31my' });
    const { stdout } = await run(['verify', token, ...f.args], { isTTY: false });
    expect(stdout).not.toMatch(ANSI);
    expect(stdout).not.toContain('\u009b');
    expect(stdout).toContain('x\\u001b[2J\\u009b31my');
    const asJson = await run(['verify', token, ...f.args, '--json']);
    expect(asJson.stdout).not.toContain('\u009b');
    expect(json<VerifyJson>(asJson).claims?.['custom:evil']).toBe('x\u001b[2J\u009b31my');
  });
});

describe('verify: usage errors exit 2 with a hint', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[], string]> = [
    ['an unknown flag', ['--frobnicate'], 'unknown option --frobnicate'],
    ['a flag without its value', ['--groups'], 'option --groups needs a value'],
    ['a value on a boolean flag', ['--json=yes'], 'option --json takes no value'],
    [
      'a bad --token-use',
      ['--token-use', 'refresh'],
      "--token-use must be one of access, id, any (got 'refresh')",
    ],
    ['a bad --now', ['--now', 'yesterday'], '--now must be an ISO date'],
    [
      'a negative --clock-tolerance',
      ['--clock-tolerance=-5'],
      '--clock-tolerance must be a number of seconds',
    ],
    ['an empty --groups', ['--groups', ','], '--groups needs at least one value'],
    [
      '--token-use twice',
      ['--token-use', 'id', '--token-use', 'access'],
      '--token-use may be given only once',
    ],
    ['--any-client with --client-id', ['--any-client'], 'give either --client-id or --any-client, not both'],
  ];

  it.each(cases)('%s', async (_name, extra, message) => {
    const { code, stdout, stderr } = await run(['verify', 'eyJa.b.c', ...f.args, ...extra]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain("Run 'cognito-gate verify --help' for usage.");
  });

  it('requires --user-pool-id', async () => {
    const { code, stderr } = await run(['verify', 'eyJa.b.c', '--client-id', 'abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('--user-pool-id is required');
  });

  it('requires --client-id or --any-client', async () => {
    const { code, stderr } = await run(['verify', 'eyJa.b.c', '--user-pool-id', 'us-east-1_Abc123']);
    expect(code).toBe(2);
    expect(stderr).toContain('--client-id is required (or --any-client');
  });

  it('reports an invalid pool id from the verifier configuration', async () => {
    const { code, stderr } = await run(['verify', 'eyJa.b.c', '--user-pool-id', 'nope', '--client-id', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('userPoolId must look like');
  });

  it('refuses a plain-http --jwks-uri that is not loopback', async () => {
    const args = [
      '--user-pool-id',
      'us-east-1_Abc123',
      '--client-id',
      'x',
      '--jwks-uri',
      'http://example.com/j',
    ];
    const { code, stderr } = await run(['verify', 'eyJa.b.c', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain('jwks.uri must use https');
  });

  it('refuses --jwks-file together with --jwks-uri', async () => {
    const { code, stderr } = await run(['verify', 'eyJa.b.c', ...f.args, '--jwks-uri', 'https://x.test/j']);
    expect(code).toBe(2);
    expect(stderr).toContain('give either --jwks-file or --jwks-uri');
  });

  it('reports a JWKS file that is missing, not JSON, or has no keys', async () => {
    const base = ['--user-pool-id', 'us-east-1_Abc123', '--client-id', 'x', '--jwks-file'];
    const missing = await run(['verify', 'eyJa.b.c', ...base, `${f.dir}/nope.json`]);
    const notJson = await run(['verify', 'eyJa.b.c', ...base, f.write('bad.json', '{oops')]);
    const noKeys = await run(['verify', 'eyJa.b.c', ...base, f.write('empty.json', { hello: 1 })]);
    expect([missing.code, notJson.code, noKeys.code]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain('cannot read the JWKS file');
    expect(notJson.stderr).toContain('it is not JSON');
    expect(noKeys.stderr).toContain('has no keys array');
  });

  it('accepts the output of `mint --json` as a JWKS file', async () => {
    const token = await f.issuer.accessToken();
    const file = f.write('minted.json', { token, jwks: f.issuer.jwks });
    const args = [
      '--user-pool-id',
      f.issuer.userPoolId,
      '--client-id',
      f.issuer.clientId,
      '--jwks-file',
      file,
    ];
    expect((await run(['verify', token, ...args])).code).toBe(0);
  });

  it('resolves a relative --jwks-file against the working directory', async () => {
    const token = await f.issuer.accessToken();
    const args = [
      '--user-pool-id',
      f.issuer.userPoolId,
      '--client-id',
      f.issuer.clientId,
      '--jwks-file',
      'jwks.json',
    ];
    expect((await run(['verify', token, ...args], { cwd: f.dir })).code).toBe(0);
  });
});
