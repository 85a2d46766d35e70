import {
  type AuthorizerDecision,
  createHttpAuthorizer,
  createRestAuthorizer,
  type HttpAuthorizerV1Event,
  type HttpAuthorizerV2Event,
  type RestRequestAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, expect, it } from 'vitest';
import { describeShared } from '../support/shared.js';
import { createFixture, type Fixture, loadEvent } from './support.js';

describeShared('the cookie identity source', () => {
  let f: Fixture;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    f = await createFixture();
    alice = await f.issuer.accessToken();
    bob = await f.issuer.accessToken({ sub: 'bob-sub', username: 'bob' });
  });

  const v2 = (cookies: string[], headers: Record<string, string> = {}): HttpAuthorizerV2Event => ({
    ...loadEvent<HttpAuthorizerV2Event>('go-apigw-v2-custom-authorizer-v2-request.json'),
    cookies,
    headers,
  });
  const v1 = (fields: Partial<HttpAuthorizerV1Event>): HttpAuthorizerV1Event => ({
    ...loadEvent<HttpAuthorizerV1Event>('go-apigw-v2-custom-authorizer-v1-request.json'),
    headers: {},
    multiValueHeaders: {},
    ...fields,
  });

  async function decide(event: HttpAuthorizerV2Event | HttpAuthorizerV1Event) {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createHttpAuthorizer({
      verifier: f.verifier,
      identity: { cookie: 'access_token' },
      onDecision: (d) => decisions.push(d),
    });
    const result = await authorizer(event).then(
      (value) => value,
      (error: unknown) => error,
    );
    return { result, decision: decisions[0] };
  }

  it.each([
    [
      'the cookies array (payload 2.0)',
      () => v2([`access_token=${alice}`, 'theme=dark', `access_token=${bob}`]),
    ],
    [
      'the cookies array and a cookie header',
      () => v2([`access_token=${alice}`], { cookie: `access_token=${bob}` }),
    ],
    [
      'one Cookie header (payload 1.0)',
      () => v1({ headers: { Cookie: `access_token=${alice}; access_token=${bob}` } }),
    ],
    [
      'two casings of the Cookie header',
      () => v1({ headers: { Cookie: `access_token=${alice}`, cookie: `access_token=${bob}` } }),
    ],
    [
      'repeated Cookie headers in multiValueHeaders',
      () =>
        v1({ multiValueHeaders: { Cookie: [`access_token=${alice}`, `theme=dark; access_token=${bob}`] } }),
    ],
  ])('refuses the token cookie with two different values in %s (401, invalid_request)', async (_, event) => {
    const { result, decision } = await decide(event());
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe('Unauthorized');
    expect(decision).toMatchObject({ outcome: 'unauthorized', status: 401, code: 'invalid_request' });
  });

  it.each([
    ['the same value twice', () => v2([`access_token=${alice}`, `access_token=${alice}`])],
    ['an empty cookie next to the token', () => v2(['access_token=', `access_token=${alice}`])],
    ['a quoted value', () => v2([`access_token="${alice}"`])],
    [
      'a cookie header repeating the array',
      () => v2([`access_token=${alice}`], { cookie: `access_token=${alice}` }),
    ],
    [
      'a Cookie header with other cookies',
      () => v1({ headers: { Cookie: `a=1; access_token=${alice}; b=2` } }),
    ],
  ])('accepts %s', async (_, event) => {
    const { decision } = await decide(event());
    expect(decision).toMatchObject({ outcome: 'allow', principalId: f.issuer.user.sub });
  });

  it('treats empty values as absent, so a cleared cookie is a missing token', async () => {
    const { decision } = await decide(v2(['access_token=', 'access_token=""']));
    expect(decision).toMatchObject({ outcome: 'unauthorized', code: 'missing_token' });
  });

  it('refuses conflicting cookies in a REST REQUEST event too', async () => {
    const event: RestRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets',
      headers: { Cookie: `access_token=${bob}` },
      multiValueHeaders: { Cookie: [`access_token=${alice}`, `access_token=${bob}`] },
    };
    const authorizer = createRestAuthorizer({ verifier: f.verifier, identity: { cookie: 'access_token' } });
    await expect(authorizer(event)).rejects.toThrow(/^Unauthorized$/);
  });
});
