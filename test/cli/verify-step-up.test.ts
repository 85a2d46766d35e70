import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult as VerifyJson } from '../../packages/cli/src/verify-command.js';
import { type CliFixture, createCliFixture, json, NOW_SECONDS, run } from './support.js';

let f: CliFixture;

beforeAll(async () => {
  f = await createCliFixture();
});
afterAll(() => f.cleanup());

async function verdict(token: string, extra: readonly string[]) {
  const result = await run(['verify', token, ...f.args, ...extra, '--json']);
  expect(result.stderr).toBe('');
  return { exit: result.code, body: json<VerifyJson>(result) };
}

async function rejection(token: string, extra: readonly string[]) {
  const { exit, body } = await verdict(token, extra);
  expect(exit).toBe(1);
  expect(body.valid).toBe(false);
  return body;
}

describe('verify explains step-up and audience rejections', () => {
  it('accepts a token that meets --acr, --amr and --max-age', async () => {
    const token = await f.issuer.accessToken({
      acr: 'urn:mfa',
      amr: ['pwd', 'mfa'],
      auth_time: NOW_SECONDS - 60,
    });
    const { exit, body } = await verdict(token, [
      '--acr',
      'urn:mfa,urn:hwk',
      '--amr',
      'mfa',
      '--max-age',
      '300',
    ]);
    expect(exit).toBe(0);
    expect(body.valid).toBe(true);
  });

  it('acr missing: says Cognito access tokens carry none', async () => {
    const body = await rejection(await f.issuer.accessToken(), ['--acr', 'urn:mfa,urn:hwk']);
    expect(body).toMatchObject({ code: 'insufficient_user_authentication', status: 401 });
    expect(body.explanation).toBe(
      'the token has no acr claim, and this API requires acr urn:mfa or urn:hwk (Cognito access tokens carry none)',
    );
  });

  it('acr not accepted: the value and the accepted ones', async () => {
    const body = await rejection(await f.issuer.accessToken({ acr: 'urn:pwd' }), ['--acr', 'urn:mfa']);
    expect(body.explanation).toBe('acr is urn:pwd, this API accepts urn:mfa: sign in again to meet it');
  });

  it('amr: what is held and what is missing', async () => {
    const body = await rejection(await f.issuer.accessToken({ amr: ['pwd'] }), ['--amr', 'pwd,mfa']);
    expect(body.explanation).toBe(
      'amr held: pwd; required: pwd, mfa (missing: mfa): sign in again to meet it',
    );
    const none = await rejection(await f.issuer.accessToken(), ['--amr', 'mfa']);
    expect(none.explanation).toBe(
      'the token has no amr claim, and this API requires amr mfa (Cognito access tokens carry none)',
    );
  });

  it('max-age: when the sign-in was and the limit', async () => {
    const token = await f.issuer.accessToken({ auth_time: NOW_SECONDS - 3600 });
    const body = await rejection(token, ['--max-age', '900']);
    expect(body.explanation).toBe(
      'signed in at 2026-11-26T09:00:00Z (auth_time), 1 h ago; this API accepts sign-ins at most 15 min old: sign in again to meet it',
    );
    const noAuthTime = await rejection(await f.issuer.accessToken({ auth_time: undefined }), [
      '--max-age',
      '900',
    ]);
    expect(noAuthTime.explanation).toBe(
      'the token has no auth_time, so its sign-in cannot be shown to be at most 15 min old',
    );
  });

  it('audience: the binding the token has and the one expected', async () => {
    const unbound = await rejection(await f.issuer.accessToken(), [
      '--audience',
      'https://orders.example.com',
    ]);
    expect(unbound).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(unbound.explanation).toBe(
      'the access token has no aud (no resource binding), expected https://orders.example.com',
    );
    const other = await rejection(await f.issuer.accessToken({ aud: 'https://billing.example.com' }), [
      '--audience',
      'https://orders.example.com',
    ]);
    expect(other.explanation).toBe(
      'the access token is bound to https://billing.example.com (aud), expected https://orders.example.com',
    );
    const bound = await verdict(await f.issuer.accessToken({ aud: ['https://orders.example.com'] }), [
      '--audience',
      'https://orders.example.com',
    ]);
    expect(bound.body.valid).toBe(true);
  });

  it.each([
    [['--max-age', '1.5']],
    [['--acr', 'niveau-élevé']],
    [['--audience', 'https://orders.example.com', '--token-use', 'id']],
  ])('refuses %j as a usage error (exit 2)', async (extra) => {
    const result = await run(['verify', await f.issuer.accessToken(), ...f.args, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Run 'cognito-gate verify --help' for usage.");
  });
});
