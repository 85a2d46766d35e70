import { AuthError, ConfigurationError } from '@cognito-gate/core';
import {
  type AuthorizerDecision,
  createRestAuthorizer,
  type IdentitySource,
  type RestRequestAuthorizerEvent,
} from '@cognito-gate/lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileIdentitySources, readToken, tokenFromValue } from '../../packages/lambda/src/identity.js';
import { createFixture, expectUnauthorized, type Fixture } from './support.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
};

describe('tokenFromValue', () => {
  it('strips the Bearer scheme in any case, and accepts a bare token only when asked', () => {
    expect(tokenFromValue('Bearer a.b.c', false)).toBe('a.b.c');
    expect(tokenFromValue('bEaReR a.b.c', false)).toBe('a.b.c');
    expect(tokenFromValue(' a.b.c ', true)).toBe('a.b.c');
    expect(codeOf(() => tokenFromValue('a.b.c', false))).toBe('missing_token');
  });

  it.each([
    ['Bearer', 'invalid_request'],
    ['bearer', 'invalid_request'],
    ['Basic abc', 'missing_token'],
    ['', 'missing_token'],
    ['   ', 'missing_token'],
    ['Bearer a b', 'invalid_request'],
  ])('maps %j to %s even when bare tokens are accepted', (value, code) => {
    expect(codeOf(() => tokenFromValue(value, true))).toBe(code);
  });
});

describe('readToken', () => {
  const header = compileIdentitySources({ header: 'Authorization' }, []);

  it('finds the header whatever its casing, and refuses two casings with different values', () => {
    expect(readToken({ headers: { AUTHORIZATION: 'Bearer x.y.z' } }, header, false)).toBe('x.y.z');
    expect(
      codeOf(() =>
        readToken(
          { headers: { authorization: 'Bearer a.a.a', Authorization: 'Bearer b.b.b' } },
          header,
          false,
        ),
      ),
    ).toBe('invalid_request');
    expect(
      readToken({ headers: { authorization: 'Bearer a.a.a', Authorization: 'Bearer a.a.a' } }, header, false),
    ).toBe('a.a.a');
  });

  it('reports a missing token for absent, null and prototype-only maps', () => {
    expect(codeOf(() => readToken({ headers: null }, header, true))).toBe('missing_token');
    expect(codeOf(() => readToken({}, header, true))).toBe('missing_token');
    expect(codeOf(() => readToken(null, header, true))).toBe('missing_token');
    const inherited = Object.create({ authorization: 'Bearer a.b.c' });
    expect(codeOf(() => readToken({ headers: inherited }, header, true))).toBe('missing_token');
  });

  it('uses the first source present, in order', () => {
    const sources = compileIdentitySources(
      [{ header: 'x-token' }, { query: 'token' }, { cookie: 'jwt' }],
      [],
    );
    expect(
      readToken({ queryStringParameters: { token: 'q.q.q' }, cookies: ['jwt=c.c.c'] }, sources, true),
    ).toBe('q.q.q');
    expect(readToken({ cookies: ['a=1', 'jwt=c.c.c'] }, sources, true)).toBe('c.c.c');
    expect(readToken({ headers: { Cookie: 'a=1; jwt=h.h.h' } }, sources, true)).toBe('h.h.h');
    expect(readToken({ headers: { 'X-Token': 'x.x.x' }, cookies: ['jwt=c.c.c'] }, sources, true)).toBe(
      'x.x.x',
    );
  });

  it('does not mistake a cookie whose name ends like the configured one', () => {
    const sources = compileIdentitySources({ cookie: 'jwt' }, []);
    expect(codeOf(() => readToken({ cookies: ['myjwt=a.b.c'] }, sources, true))).toBe('missing_token');
  });

  it('refuses repeated headers and query parameters as invalid_request', () => {
    const query = compileIdentitySources({ query: 'token' }, []);
    const repeatedHeader = {
      headers: { Authorization: 'Bearer a' },
      multiValueHeaders: { authorization: ['Bearer a', 'Bearer b'] },
    };
    expect(codeOf(() => readToken(repeatedHeader, header, true))).toBe('invalid_request');
    const repeatedQuery = {
      queryStringParameters: { token: 'b' },
      multiValueQueryStringParameters: { token: ['a', 'b'] },
    };
    expect(codeOf(() => readToken(repeatedQuery, query, true))).toBe('invalid_request');
  });
});

describe('compileIdentitySources', () => {
  it.each([
    ['an empty list', []],
    ['an unknown kind', { body: 'token' }],
    ['two kinds in one source', { header: 'a', query: 'b' }],
    ['a header name with a space', { header: 'x token' }],
    ['a non-string name', { query: 1 }],
    ['null', [null]],
  ])('rejects %s at setup', (_, value) => {
    expect(() => compileIdentitySources(value as never, [])).toThrow(ConfigurationError);
  });

  it('falls back to the defaults when none are configured', () => {
    expect(compileIdentitySources(undefined, [{ query: 'token' }])).toEqual([
      { kind: 'query', name: 'token', lower: 'token' },
    ]);
  });
});

describe('identity sources through the authorizers', () => {
  const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
  let f: Fixture;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    f = await createFixture();
    alice = await f.issuer.accessToken();
    bob = await f.issuer.accessToken({ sub: 'bob-sub', username: 'bob' });
  });

  const restEvent = (fields: Partial<RestRequestAuthorizerEvent>): RestRequestAuthorizerEvent => ({
    type: 'REQUEST',
    methodArn,
    ...fields,
  });

  /** The authorizer's answer and the decision it reported, for one REQUEST event. */
  async function decide(event: RestRequestAuthorizerEvent, identity?: IdentitySource | IdentitySource[]) {
    const decisions: AuthorizerDecision[] = [];
    const authorizer = createRestAuthorizer({
      verifier: f.verifier,
      onDecision: (d) => decisions.push(d),
      ...(identity === undefined ? {} : { identity }),
    });
    const result = await authorizer(event).then(
      (value) => value,
      (error: unknown) => error,
    );
    return { result, decision: decisions[0] };
  }

  async function expectRefused(
    event: RestRequestAuthorizerEvent,
    identity?: IdentitySource | IdentitySource[],
  ) {
    const { result, decision } = await decide(event, identity);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe('Unauthorized');
    expect(decision).toMatchObject({ outcome: 'unauthorized', status: 401, code: 'invalid_request' });
  }

  it.each([
    [
      'two casings in headers',
      () => ({ headers: { Authorization: `Bearer ${alice}`, authorization: `Bearer ${bob}` } }),
    ],
    [
      'headers and multiValueHeaders that disagree',
      () => ({
        headers: { Authorization: `Bearer ${alice}` },
        multiValueHeaders: { authorization: [`Bearer ${bob}`] },
      }),
    ],
    [
      'two casings in multiValueHeaders',
      () => ({ multiValueHeaders: { Authorization: [`Bearer ${alice}`], AUTHORIZATION: [`Bearer ${bob}`] } }),
    ],
    [
      'two values in one multiValueHeaders entry',
      () => ({ multiValueHeaders: { authorization: [`Bearer ${alice}`, `Bearer ${bob}`] } }),
    ],
  ])('refuses the Authorization header given twice with different values: %s', async (_, fields) => {
    await expectRefused(restEvent(fields()));
  });

  it('accepts the same Authorization value repeated under two casings and in both maps', async () => {
    const value = `Bearer ${alice}`;
    const { result } = await decide(
      restEvent({
        headers: { Authorization: value, authorization: value },
        multiValueHeaders: { Authorization: [value, value] },
      }),
    );
    expect(result).toMatchObject({ principalId: f.issuer.user.sub });
  });

  it.each([
    [
      'a query map and a multi-value list that disagree',
      () => ({
        queryStringParameters: { token: alice },
        multiValueQueryStringParameters: { token: [alice, bob] },
      }),
    ],
    [
      'a multi-value list with two values',
      () => ({ multiValueQueryStringParameters: { token: [alice, bob] } }),
    ],
  ])('refuses a token query parameter given twice: %s', async (_, fields) => {
    await expectRefused(restEvent(fields()), { query: 'token' });
  });

  it.each([
    ['a number', { headers: { authorization: 42 } }],
    ['an array', { headers: { authorization: ['Bearer x.y.z'] } }],
    ['an object', { headers: { authorization: {} } }],
    ['a multi-value string instead of a list', { multiValueHeaders: { authorization: 'Bearer x.y.z' } }],
    ['a multi-value list holding a number', { multiValueHeaders: { authorization: [1] } }],
    ['headers that are an array', { headers: ['authorization', 'Bearer x.y.z'] }],
    ['headers that are a string', { headers: 'authorization: Bearer x.y.z' }],
    ['a query value that is a list', { queryStringParameters: { token: ['x'] } }],
    ['cookies that are a string', { cookies: 'access_token=x.y.z' }],
    ['a cookie that is a number', { cookies: [7] }],
  ])('answers Unauthorized (invalid_request), never a TypeError, for %s', async (_, fields) => {
    await expectRefused(restEvent(fields as never), [
      { header: 'authorization' },
      { query: 'token' },
      { cookie: 'access_token' },
    ]);
  });

  it.each([
    ['a 1 MB header', () => `Bearer ${'a'.repeat(1_000_000)}`],
    ['a non-ASCII header', () => `Bearer ${alice.slice(0, -2)}é€`],
    ['an empty header', () => ''],
    ['a header of spaces', () => '   '],
  ])('answers Unauthorized for %s', async (_, value) => {
    await expectUnauthorized(
      createRestAuthorizer({ verifier: f.verifier })(restEvent({ headers: { Authorization: value() } })),
    );
  });
});
