import { type AuthorizerDecision, createRestAuthorizer, flattenValue } from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createFixture,
  expectFlatContext,
  expectOutage,
  expectUnauthorized,
  type Fixture,
} from './support.js';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';

describe('flattenValue', () => {
  it.each([
    ['a string', 'a', 'a'],
    ['a boolean', false, false],
    ['a number', 3, 3],
    ['an array', ['a', 1, true, null], '["a",1,true,null]'],
    ['an array of names with commas', ['a,b', 'c'], '["a,b","c"]'],
    ['an object', { a: [1] }, '{"a":[1]}'],
    ['a date', new Date(0), '1970-01-01T00:00:00.000Z'],
    ['a bigint', 10n, '10'],
    ['null', null, undefined],
    ['undefined', undefined, undefined],
    ['NaN', Number.NaN, undefined],
    ['a function', () => 1, undefined],
    ['an invalid date', new Date(Number.NaN), undefined],
  ])('renders %s as API Gateway accepts it', (_, value, expected) => {
    expect(flattenValue(value)).toEqual(expected);
  });

  it('drops an object that cannot be JSON-encoded instead of failing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(flattenValue(cyclic)).toBeUndefined();
  });
});

describe('authorizer context and decisions', () => {
  let f: Fixture;
  let token: string;
  beforeAll(async () => {
    f = await createFixture();
    token = await f.issuer.idToken({ groups: ['admin'], 'custom:tenant': 'acme', identities: [] });
  });
  const event = () => ({ type: 'TOKEN' as const, authorizationToken: `Bearer ${token}`, methodArn });

  it('flattens the fields of the context hook and skips the reserved keys', async () => {
    const authorizer = createRestAuthorizer({
      verifier: {
        userPoolId: f.issuer.userPoolId,
        clientId: f.issuer.clientId,
        tokenUse: 'id',
        jwks: { keys: f.issuer.jwks, fetch: false },
      },
      context: (auth) => ({
        tenant: auth.claims['custom:tenant'],
        email: auth.claims.email,
        roles: ['a', 'b'],
        identities: auth.claims.identities,
        nested: { deep: true },
        missing: undefined,
        nothing: null,
        principalId: 'spoofed',
        claims: 'reserved in HTTP payload 1.0',
      }),
    });
    const result = await authorizer(event());
    expectFlatContext(result.context);
    expect(result.context).toMatchObject({
      tokenUse: 'id',
      groups: '["admin"]',
      tenant: 'acme',
      email: f.issuer.user.email,
      roles: '["a","b"]',
      identities: '[]',
      nested: '{"deep":true}',
    });
    for (const key of ['missing', 'nothing', 'principalId', 'claims'])
      expect(result.context).not.toHaveProperty(key);
    expect(result.principalId).toBe(f.issuer.user.sub);
  });

  it('reports every outcome with its status, and nothing of the token', async () => {
    const decisions: AuthorizerDecision[] = [];
    const onDecision = (d: AuthorizerDecision) => decisions.push(d);
    const accessToken = await f.issuer.accessToken();
    const make = (verifier = f.verifier) =>
      createRestAuthorizer({ verifier, rules: { scopes: 'aws.cognito.signin.user.admin' }, onDecision });
    await make()({ ...event(), authorizationToken: accessToken });
    await expectUnauthorized(make()({ ...event(), authorizationToken: '' }));
    await expectUnauthorized(make()(event()));
    await expectOutage(make(f.outage)({ ...event(), authorizationToken: accessToken }));
    await createRestAuthorizer({ verifier: f.verifier, rules: { groups: 'ops' }, onDecision })({
      ...event(),
      authorizationToken: accessToken,
    });
    expect(decisions.map((d) => [d.outcome, d.status, d.code])).toEqual([
      ['allow', 200, undefined],
      ['unauthorized', 401, 'missing_token'],
      ['unauthorized', 401, 'invalid_token_use'],
      ['unavailable', 500, 'jwks_unavailable'],
      ['deny', 403, 'insufficient_group'],
    ]);
    const serialised = JSON.stringify(decisions.map((d) => ({ ...d, error: String(d.error) })));
    expect(serialised).not.toContain(accessToken.split('.')[1]);
    expect(serialised).not.toContain(token.split('.')[1]);
  });

  it('never lets a throwing onDecision hook change the outcome', async () => {
    const authorizer = createRestAuthorizer({
      verifier: {
        userPoolId: f.issuer.userPoolId,
        clientId: f.issuer.clientId,
        tokenUse: 'id',
        jwks: { keys: f.issuer.jwks, fetch: false },
      },
      onDecision: () => {
        throw new Error('metrics backend down');
      },
    });
    expect((await authorizer(event())).policyDocument.Statement[0]!.Effect).toBe('Allow');
    await expectUnauthorized(authorizer({ ...event(), authorizationToken: 'Bearer nope' }));
  });

  it('fails with the hook error (a 500, reported as error), never Unauthorized, when the context hook throws', async () => {
    const decisions: AuthorizerDecision[] = [];
    const failure = new TypeError('cannot read tenant');
    const authorizer = createRestAuthorizer({
      verifier: {
        userPoolId: f.issuer.userPoolId,
        clientId: f.issuer.clientId,
        tokenUse: 'id',
        jwks: { keys: f.issuer.jwks, fetch: false },
      },
      context: () => {
        throw failure;
      },
      onDecision: (d) => decisions.push(d),
    });
    await expect(authorizer(event())).rejects.toBe(failure);
    expect(decisions).toMatchObject([{ outcome: 'error', status: 500, principalId: f.issuer.user.sub }]);
  });

  it('refuses an empty principalId from the hook rather than send one (API Gateway would 500 anyway)', async () => {
    const authorizer = createRestAuthorizer({
      verifier: {
        userPoolId: f.issuer.userPoolId,
        clientId: f.issuer.clientId,
        tokenUse: 'id',
        jwks: { keys: f.issuer.jwks, fetch: false },
      },
      principalId: () => '',
    });
    await expect(authorizer(event())).rejects.toThrow(/principalId/);
  });
});
