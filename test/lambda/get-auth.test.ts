import { readdirSync } from 'node:fs';
import { createHttpAuthorizer, createRestAuthorizer, type GatewayAuth, getAuth } from '@cognito-gate/lambda';
import { describe, expect, it } from 'vitest';
import { describeShared, SHARED_DIR } from '../support/shared.js';
import { createFixture, EVENTS, loadEvent } from './support.js';

type ProxyEvent = {
  headers?: Record<string, string>;
  requestContext: { authorizer?: Record<string, unknown> };
};

/** Every event of the folder whose requestContext.authorizer names a caller, with what getAuth reads. */
const EXPECTED: Record<string, Partial<GatewayAuth> | undefined> = {
  'ptts-rest-cognito-authorizer-auth.json': {
    source: 'cognito-user-pools',
    sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
    username: 'aamorosi',
    clientId: '3nkoep4151b7umeggnottc30u9',
    tokenUse: 'id',
    groups: [],
    scopes: [],
  },
  'ptts-http-jwt-authorizer-auth.json': {
    source: 'jwt-authorizer',
    sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
    username: 'aamorosi',
    clientId: '3nkoep4151b7umeggnottc30u9',
    tokenUse: 'id',
    groups: [],
    scopes: [],
  },
  'dotnet-rest-proxy-custom-authorizer-context.json': { source: 'cognito-user-pools', sub: 'test-id' },
  'go-apigw-request.json': {
    source: 'lambda-authorizer',
    sub: 'admin',
    clientId: '1',
    groups: [],
    scopes: [],
  },
  'go-apigw-restapi-openapi-request.json': { source: 'lambda-authorizer', sub: 'admin', clientId: '1' },
  'go-apigw-websocket-request.json': { source: 'lambda-authorizer', sub: 'admin' },
  'rust-apigw-websocket-request.json': { source: 'lambda-authorizer', sub: 'admin' },
  'java-evmodel-apigw-v2-websocket-event.json': { source: 'lambda-authorizer', sub: 'admin' },
  'ptpy-apigw-proxy-v1-principalid.json': { source: 'lambda-authorizer', sub: 'fake' },
  'ptts-rest-lambda-authorizer-auth.json': { source: 'lambda-authorizer', sub: 'user' },
};

/**
 * Authorizer blocks that name no caller: `{claims: null}`, `{lambda: null}`, IAM authorizers, generic
 * `{claim1, claim2}` claims, contexts without a principal, and the .NET samples whose claims had
 * `sub` edited out (a claim set without a subject is no identity; see the restored test below).
 */
const NO_CALLER = [
  'docs-http-proxy-v1-event.json',
  'docs-rest-proxy-event.json',
  'java-apigw-rest-event.json',
  'ptpy-apigw-proxy-v1.json',
  'ptts-http-lambda-authorizer-auth.json',
  'ptts-example-apigw-proxy-v2.json',
  'go-apigw-v2-request-iam.json',
  'dotnet-http-api-v2-request-iam-authorizer.json',
  'ptpy-apigw-proxy-v2-iam.json',
  'ptts-http-iam-auth.json',
  'docs-http-proxy-v2-event.json',
  'dotnet-http-api-v2-request-jwt.json',
  'go-apigw-v2-request-jwt-authorizer.json',
  'java-apigw-http-event.json',
  'ptpy-apigw-proxy-v2-jwt.json',
  'sam-apigateway-http-api-proxy.json',
  'sam-apigateway-http-api-proxy.template.json',
  'ptpy-apigw-proxy-v2-lambda-authorizer.json',
  'go-apigw-v2-request-lambda-authorizer.json',
  'dotnet-http-api-v2-request-lambda-authorizer.json',
  'dotnet-rest-proxy-cognito-claims-access.json',
  'dotnet-rest-proxy-cognito-claims-noaccess.json',
  'dotnet-http-v2-proxy-cognito-jwt-claims-access.json',
  'dotnet-http-v2-proxy-cognito-jwt-claims-noaccess.json',
];

/** The `sub` of the (real, expired) ID token in the Authorization header of the .NET REST sample. */
function subOfSampleToken(): string {
  const event = loadEvent<ProxyEvent>('dotnet-rest-proxy-cognito-claims-access.json');
  const token = (event.headers?.Authorization ?? event.headers?.authorization ?? '').replace(/^Bearer /, '');
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub;
}

describeShared('getAuth on the real proxy events', () => {
  const files = readdirSync(`${SHARED_DIR}/${EVENTS}`).filter((name) => name.endsWith('.json'));

  it('classifies every event that has an authorizer block', () => {
    const withAuthorizer = files.filter((name) => loadEvent<ProxyEvent>(name).requestContext?.authorizer);
    expect(withAuthorizer.sort()).toEqual([...Object.keys(EXPECTED), ...NO_CALLER].sort());
  });

  it.each(Object.entries(EXPECTED))('reads %s', (name, expected) => {
    const auth = getAuth(loadEvent(name));
    expect(auth).toMatchObject(expected!);
  });

  it.each(NO_CALLER)('finds no caller in %s', (name) => {
    expect(getAuth(loadEvent(name))).toBeUndefined();
  });

  it('never throws and returns a well-formed result for every event of the folder', () => {
    for (const name of files) {
      const auth = getAuth(loadEvent(name));
      if (auth === undefined) continue;
      expect(auth.sub.length, name).toBeGreaterThan(0);
      expect(Array.isArray(auth.groups) && Array.isArray(auth.scopes), name).toBe(true);
    }
  });

  it('turns the REST Cognito capture back into token types: date strings become epoch seconds', () => {
    const auth = getAuth(loadEvent('ptts-rest-cognito-authorizer-auth.json'))!;
    expect(auth.claims).toMatchObject({ exp: 1718722804, iat: 1718636404, auth_time: 1718636404 });
    expect(auth.claims.iss).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27');
  });

  it('turns the HTTP JWT authorizer capture back into token types: numeric strings become numbers', () => {
    const auth = getAuth(loadEvent('ptts-http-jwt-authorizer-auth.json'))!;
    expect(auth.claims).toMatchObject({ exp: 1718722804, iat: 1718636404, auth_time: 1718636404 });
  });

  it.each([
    'dotnet-rest-proxy-cognito-claims-access.json',
    'dotnet-http-v2-proxy-cognito-jwt-claims-access.json',
  ])('parses the plain-string group and string flags of %s once its sub is restored', (name) => {
    const event = loadEvent<ProxyEvent>(name);
    const authorizer = event.requestContext.authorizer!;
    const claims = (authorizer.claims ?? (authorizer.jwt as { claims: object }).claims) as Record<
      string,
      unknown
    >;
    claims.sub = subOfSampleToken();
    const auth = getAuth(event)!;
    expect(auth).toMatchObject({
      sub: '8ef3e455-3869-402e-ac9e-f88e86c320b3',
      username: 'normj',
      clientId: '3mushfc8sgm8uoacvif5vhkt49',
      tokenUse: 'id',
      groups: ['Admin'],
      scopes: [],
    });
    expect(auth.claims).toMatchObject({
      'cognito:groups': ['Admin'],
      phone_number_verified: true,
      auth_time: 1515973296,
      you_are_special: 'true',
    });
  });

  it('reads the generic JWT authorizer scopes array', () => {
    const event = loadEvent<ProxyEvent>('go-apigw-v2-request-jwt-authorizer.json');
    (event.requestContext.authorizer!.jwt as { claims: Record<string, unknown> }).claims.sub = 'u-1';
    expect(getAuth(event)).toMatchObject({
      source: 'jwt-authorizer',
      sub: 'u-1',
      scopes: ['scope1', 'scope2'],
    });
  });
});

describe('getAuth on our own authorizers context, as API Gateway forwards it', () => {
  it('reads back a REST authorizer context (values stringified by API Gateway)', async () => {
    const f = await createFixture();
    const token = await f.issuer.accessToken({
      groups: ['admin', 'dev'],
      scopes: ['orders/read', 'orders/write'],
    });
    const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
    const result = await createRestAuthorizer({ verifier: f.verifier })({
      type: 'TOKEN',
      authorizationToken: token,
      methodArn,
    });
    const stringified = Object.fromEntries(Object.entries(result.context!).map(([k, v]) => [k, String(v)]));
    const auth = getAuth({
      requestContext: { authorizer: { ...stringified, principalId: result.principalId } },
    });
    expect(auth).toEqual({
      source: 'lambda-authorizer',
      sub: f.issuer.user.sub,
      username: f.issuer.user.username,
      clientId: f.issuer.clientId,
      tokenUse: 'access',
      groups: ['admin', 'dev'],
      scopes: ['orders/read', 'orders/write'],
      claims: { ...stringified, principalId: result.principalId, exp: Number(stringified.exp) },
    });
  });

  it('reads back an HTTP simple-response context from authorizer.lambda', async () => {
    const f = await createFixture();
    const token = await f.issuer.m2mToken({ scopes: ['reports/read'] });
    const routeArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/reports';
    const result = await createHttpAuthorizer({ verifier: f.verifier })({
      version: '2.0',
      type: 'REQUEST',
      routeArn,
      headers: { authorization: `Bearer ${token}` },
    });
    const auth = getAuth({ requestContext: { authorizer: { lambda: result.context } } });
    expect(auth).toMatchObject({
      source: 'http-lambda-authorizer',
      sub: f.issuer.clientId,
      clientId: f.issuer.clientId,
      tokenUse: 'access',
      groups: [],
      scopes: ['reports/read'],
    });
    expect(auth).not.toHaveProperty('username');
  });
});

describe('getAuth on odd shapes', () => {
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      has() {
        throw new Error('boom');
      },
      getOwnPropertyDescriptor() {
        throw new Error('boom');
      },
    },
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'event'],
    ['an array', []],
    ['no requestContext', {}],
    ['a null requestContext', { requestContext: null }],
    ['an array authorizer', { requestContext: { authorizer: ['sub'] } }],
    ['a string authorizer', { requestContext: { authorizer: 'sub' } }],
    ['an empty principalId', { requestContext: { authorizer: { principalId: '' } } }],
    ['a numeric sub claim object', { requestContext: { authorizer: { claims: { sub: {} } } } }],
    ['a throwing proxy', { requestContext: throwing }],
    ['a prototype-only principalId', { requestContext: { authorizer: Object.create({ principalId: 'x' }) } }],
  ])('returns undefined for %s', (_, event) => {
    expect(getAuth(event)).toBeUndefined();
  });

  it.each([
    [
      'a JWT authorizer block without sub',
      { jwt: { claims: { 'cognito:groups': '[admin]' } }, principalId: 'admin' },
    ],
    ['a JWT authorizer block with an object sub', { jwt: { claims: { sub: { id: 1 } } }, sub: 'admin' }],
    ['an HTTP Lambda authorizer block without a caller', { lambda: { groups: '["admin"]' }, sub: 'admin' }],
    ['a Cognito claims block without sub', { claims: { 'cognito:groups': 'admin' }, principalId: 'admin' }],
  ])('does not fall back to another place when %s names no caller', (_, authorizer) => {
    expect(getAuth({ requestContext: { authorizer } })).toBeUndefined();
  });

  it('parses groups in every rendering API Gateway uses', () => {
    const read = (groups: unknown) =>
      getAuth({ requestContext: { authorizer: { claims: { sub: 's', 'cognito:groups': groups } } } });
    expect(read('[admin dev]')?.groups).toEqual(['admin', 'dev']);
    expect(read('admin,dev')?.groups).toEqual(['admin', 'dev']);
    expect(read('["admin","dev"]')?.groups).toEqual(['admin', 'dev']);
    expect(read(['admin', 'dev'])?.groups).toEqual(['admin', 'dev']);
    expect(read('')?.groups).toEqual([]);
    expect(read(42)?.groups).toEqual([]);
  });
});

describe('lists carried from our authorizers to getAuth', () => {
  const GROUPS = ['a,b', 'say "hi"', 'Ünïcödé', '[x]', 'back\\slash', 'plain'];
  const SCOPES = ['orders/read', 'https://api.example.com/a,b', 'ünï/read'];

  it.each([
    ['groups with commas, quotes, brackets and non-ASCII', GROUPS, SCOPES],
    ['empty lists', [], []],
    ['a single group that looks like a list', ['a,b'], ['x']],
  ])('round-trips %s through a REST context (stringified by API Gateway)', async (_, groups, scopes) => {
    const f = await createFixture();
    const token = await f.issuer.accessToken({ groups, scopes });
    const result = await createRestAuthorizer({ verifier: f.verifier })({
      type: 'TOKEN',
      authorizationToken: token,
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets',
    });
    const stringified = Object.fromEntries(Object.entries(result.context!).map(([k, v]) => [k, String(v)]));
    const auth = getAuth({
      requestContext: { authorizer: { ...stringified, principalId: result.principalId } },
    });
    expect(auth?.groups).toEqual(groups);
    expect(auth?.scopes).toEqual(scopes);
  });

  it('round-trips the same lists through an HTTP simple-response context', async () => {
    const f = await createFixture();
    const token = await f.issuer.accessToken({ groups: GROUPS, scopes: SCOPES });
    const result = await createHttpAuthorizer({ verifier: f.verifier })({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/reports',
      headers: { authorization: `Bearer ${token}` },
    });
    const auth = getAuth({ requestContext: { authorizer: { lambda: result.context } } });
    expect(auth).toMatchObject({ groups: GROUPS, scopes: SCOPES });
  });

  it('still reads the comma-joined lists of earlier versions', () => {
    const auth = getAuth({
      requestContext: { authorizer: { sub: 's', groups: 'admin,dev', scopes: 'a/read b/write' } },
    });
    expect(auth).toMatchObject({ groups: ['admin', 'dev'], scopes: ['a/read', 'b/write'] });
  });

  it('reads a JSON array first, and falls back to the text forms when it is not one of strings', () => {
    const read = (groups: string) =>
      getAuth({ requestContext: { authorizer: { sub: 's', groups } } })?.groups;
    expect(read('["a,b","c"]')).toEqual(['a,b', 'c']);
    expect(read('[]')).toEqual([]);
    expect(read('[admin dev]')).toEqual(['admin', 'dev']);
    expect(read('[1,2]')).toEqual(['1', '2']);
  });
});
