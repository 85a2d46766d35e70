import type { VerifiedToken, Verifier } from '@cognito-gate/core';
import {
  type AuthorizerDecision,
  createHttpAuthorizer,
  createRestAuthorizer,
  createWebSocketAuthorizer,
  type PolicyAuthorizerResult,
} from '@cognito-gate/lambda';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cognitoAuth } from '../../packages/lambda/src/middy.js';
import { createFixture, expectFlatContext, expectUnauthorized, type Fixture } from './support.js';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
const routeArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/GET/pets';
const wsArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/$connect';

let f: Fixture;
let token: string;
let real: VerifiedToken;
beforeAll(async () => {
  f = await createFixture();
  token = await f.issuer.accessToken({ groups: ['admin'] });
  real = await f.verifier.verify(token);
});

/** A wrapper verifier, as users write them (logging, metrics), answering `answer()` to every verify. */
function wrapper(answer: () => unknown): Verifier {
  return { ...f.verifier, verify: answer, hydrate: () => f.verifier.hydrate() } as unknown as Verifier;
}

/** Every authorizer kind, invoked with a valid token; the settled value or error and the decisions. */
async function invokeAll(options: Record<string, unknown>) {
  const outcomes: { kind: string; result: unknown; decisions: AuthorizerDecision[] }[] = [];
  const run = async (
    kind: string,
    call: (onDecision: (d: AuthorizerDecision) => void) => Promise<unknown>,
  ) => {
    const decisions: AuthorizerDecision[] = [];
    const result = await call((d) => decisions.push(d)).then(
      (value) => value,
      (error: unknown) => error,
    );
    outcomes.push({ kind, result, decisions });
  };
  await run('rest', (onDecision) =>
    createRestAuthorizer({ verifier: f.verifier, ...options, onDecision })({
      type: 'TOKEN',
      authorizationToken: `Bearer ${token}`,
      methodArn,
    }),
  );
  await run('http', (onDecision) =>
    createHttpAuthorizer({ verifier: f.verifier, unauthenticated: 'deny', ...options, onDecision })({
      version: '2.0',
      type: 'REQUEST',
      routeArn,
      headers: { authorization: `Bearer ${token}` },
    }),
  );
  await run('websocket', (onDecision) =>
    createWebSocketAuthorizer({ verifier: f.verifier, ...options, onDecision })({
      type: 'REQUEST',
      methodArn: wsArn,
      headers: { Authorization: `Bearer ${token}` },
    }),
  );
  return outcomes;
}

/** A server error (500): an Error that is neither `Unauthorized` nor a result, reported as `error`. */
function expectServerErrors(outcomes: Awaited<ReturnType<typeof invokeAll>>, message?: RegExp): void {
  for (const { kind, result, decisions } of outcomes) {
    expect(result, kind).toBeInstanceOf(Error);
    expect((result as Error).message, kind).not.toBe('Unauthorized');
    if (message !== undefined) expect((result as Error).message, kind).toMatch(message);
    expect(
      decisions.map((d) => d.outcome),
      kind,
    ).toEqual(['error']);
  }
}

function expectAllowed(outcomes: Awaited<ReturnType<typeof invokeAll>>): void {
  for (const { kind, result, decisions } of outcomes) {
    expect(
      decisions.map((d) => d.outcome),
      kind,
    ).toEqual(['allow']);
    const context = (result as { context?: unknown }).context;
    expectFlatContext(context);
  }
}

describe('what a user-supplied verifier returns', () => {
  it.each([
    ['an empty object', () => Promise.resolve({})],
    ['true', () => Promise.resolve(true)],
    ['undefined', () => Promise.resolve(undefined)],
    ['a copy of a verified token', () => Promise.resolve({ ...real })],
    [
      'a look-alike with admin groups',
      () => Promise.resolve({ sub: 'x', groups: ['admin'], scopes: [], claims: {} }),
    ],
    [
      'a thenable resolving to a look-alike',
      () => ({ then: (resolve: (v: unknown) => void) => resolve({ ...real }) }),
    ],
    ['a look-alike returned without a promise', () => ({ ...real })],
  ])('treats %s as a server error (500), never an Allow', async (_, answer) => {
    expectServerErrors(await invokeAll({ verifier: wrapper(answer) }), /verified token/);
  });

  it.each([
    ['a promise', () => Promise.resolve(real)],
    ['a plain thenable', () => ({ then: (resolve: (v: unknown) => void) => resolve(real) })],
    ['the value itself', () => real],
  ])('accepts our own verified token returned as %s', async (_, answer) => {
    expectAllowed(await invokeAll({ verifier: wrapper(answer) }));
  });

  it.each([
    ['rejects with a plain Error', () => Promise.reject(new Error('wrapper bug'))],
    [
      'throws synchronously',
      () => {
        throw new TypeError('wrapper bug');
      },
    ],
    [
      'returns a rejecting thenable',
      () => ({ then: (_: unknown, reject: (e: unknown) => void) => reject(new Error('wrapper bug')) }),
    ],
  ])('reports a verifier that %s as an error (500), never Unauthorized', async (_, answer) => {
    expectServerErrors(await invokeAll({ verifier: wrapper(answer) }), /wrapper bug/);
  });

  it('stops the middy middleware before the handler when the verifier returns a look-alike', async () => {
    const inner = vi.fn(async () => ({ statusCode: 200, body: 'secret' }));
    const handler = middy()
      .use(cognitoAuth({ verifier: wrapper(() => Promise.resolve({ ...real })) }))
      .handler(inner);
    const event = { headers: { Authorization: `Bearer ${token}` } };
    await expect(handler(event, {} as Context as never)).rejects.toThrow(/verified token/);
    expect(inner).not.toHaveBeenCalled();
  });
});

describe('what the hooks return', () => {
  it.each([
    ['a number', () => 42],
    ['an empty string', () => ''],
    ['null', () => null],
    ['an object', () => ({ toString: () => 'x' })],
    ['a promise of a number', () => Promise.resolve(42)],
  ])('refuses a principalId hook answering %s with a server error', async (_, principalId) => {
    expectServerErrors(await invokeAll({ principalId }), /principalId/);
  });

  it('awaits a principalId hook that answers a promise', async () => {
    const outcomes = await invokeAll({ principalId: async () => 'tenant-1' });
    expectAllowed(outcomes.filter((o) => o.kind !== 'http'));
    for (const { result } of outcomes.filter((o) => o.kind !== 'http')) {
      expect((result as PolicyAuthorizerResult).principalId).toBe('tenant-1');
    }
  });

  it.each([
    ['an array', () => ['a', 'b']],
    ['a string', () => 'tenant=acme'],
    ['true', () => true],
    ['a promise of an array', () => Promise.resolve([1])],
  ])('refuses a context hook answering %s with a server error', async (_, context) => {
    expectServerErrors(await invokeAll({ context }), /context/);
  });

  it('awaits a context hook and keeps every value flat, whatever it holds', async () => {
    const symbol = Symbol('s');
    const outcomes = await invokeAll({
      context: async () => ({
        nested: { deep: { deeper: [1, { x: 2 }] } },
        list: ['a,b', 'c'],
        big: 10n,
        inBigList: [10n],
        infinite: Number.POSITIVE_INFINITY,
        notANumber: Number.NaN,
        date: new Date(0),
        fn: () => 1,
        [symbol]: 'hidden',
        '': 'empty key',
        unicode: 'Ünïcödé 🙂',
        sub: 'overridden',
      }),
    });
    expectAllowed(outcomes);
    for (const { result } of outcomes) {
      const context = (result as { context: Record<string, unknown> }).context;
      expect(context).toMatchObject({
        nested: '{"deep":{"deeper":[1,{"x":2}]}}',
        list: '["a,b","c"]',
        big: '10',
        date: '1970-01-01T00:00:00.000Z',
        unicode: 'Ünïcödé 🙂',
        sub: 'overridden',
      });
      for (const key of ['inBigList', 'infinite', 'notANumber', 'fn', '']) {
        expect(Object.hasOwn(context, key), key).toBe(false);
      }
    }
  });

  it('fails with a server error when a context value getter throws', async () => {
    const context = () => ({
      get tenant(): string {
        throw new Error('getter bug');
      },
    });
    expectServerErrors(await invokeAll({ context }), /getter bug/);
  });

  describe('onDecision', () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    afterEach(() => {
      process.off('unhandledRejection', listener);
      unhandled.length = 0;
    });

    it('never lets an async onDecision that rejects change the outcome or leak an unhandled rejection', async () => {
      process.on('unhandledRejection', listener);
      const decisions: unknown[] = [];
      const authorizer = createRestAuthorizer({
        verifier: f.verifier,
        onDecision: async (d) => {
          decisions.push(d);
          throw new Error('metrics down');
        },
      });
      const result = await authorizer({ type: 'TOKEN', authorizationToken: token, methodArn });
      await expectUnauthorized(authorizer({ type: 'TOKEN', authorizationToken: 'Bearer x', methodArn }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(result.policyDocument.Statement[0]!.Effect).toBe('Allow');
      expect(decisions).toHaveLength(2);
      expect(unhandled).toEqual([]);
    });
  });

  it.each([
    ['a number', () => 42, undefined],
    ['an empty string', () => '', undefined],
    ['a promise of a key', async () => 'key-1', 'key-1'],
  ])('handles a usageIdentifierKey hook answering %s', async (_, usageIdentifierKey, expected) => {
    const result = await createRestAuthorizer({
      verifier: f.verifier,
      usageIdentifierKey: usageIdentifierKey as never,
    })({
      type: 'TOKEN',
      authorizationToken: token,
      methodArn,
    });
    expect(result.usageIdentifierKey).toBe(expected);
    expect(result.policyDocument.Statement[0]!.Effect).toBe('Allow');
  });
});

describe('events that are not what API Gateway sends', () => {
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('getter');
      },
      ownKeys() {
        throw new Error('getter');
      },
    },
  );

  it.each([
    ['an array', []],
    ['a string', 'event'],
    ['a number', 7],
    ['headers behind a throwing proxy', { type: 'REQUEST', methodArn, headers: throwing }],
    ['a TOKEN event with a numeric token', { type: 'TOKEN', methodArn, authorizationToken: 42 }],
    [
      'a TOKEN event with an array-like token',
      { type: 'TOKEN', methodArn, authorizationToken: { length: 1, 0: 'x' } },
    ],
  ])('answers Unauthorized for %s', async (_, event) => {
    await expectUnauthorized(createRestAuthorizer({ verifier: f.verifier })(event as never));
  });
});
