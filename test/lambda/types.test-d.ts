import type { VerifiedToken } from '@cognito-gate/core';
import {
  createHttpAuthorizer,
  createRestAuthorizer,
  createWebSocketAuthorizer,
  type GatewayAuth,
  getAuth,
  type PolicyAuthorizerResult,
  type SimpleAuthorizerResult,
} from '@cognito-gate/lambda';
import middy from '@middy/core';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import { cognitoAuth } from '../../packages/lambda/src/middy.js';

const verifier = { userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' };

describe('authorizer types', () => {
  it('accept the @types/aws-lambda events and return results assignable to its result types', () => {
    const rest = createRestAuthorizer({ verifier });
    expectTypeOf(rest).toBeCallableWith({} as APIGatewayTokenAuthorizerEvent);
    expectTypeOf(rest).toBeCallableWith({} as APIGatewayRequestAuthorizerEvent);
    expectTypeOf<Awaited<ReturnType<typeof rest>>>().toExtend<APIGatewayAuthorizerResult>();
    const http = createHttpAuthorizer({ verifier });
    expectTypeOf(http).toBeCallableWith({} as APIGatewayRequestAuthorizerEventV2);
    expectTypeOf<Awaited<ReturnType<typeof http>>>().toExtend<
      APIGatewaySimpleAuthorizerResult | APIGatewayAuthorizerResult
    >();
    const ws = createWebSocketAuthorizer({ verifier });
    expectTypeOf(ws).toBeCallableWith({} as APIGatewayRequestAuthorizerEvent);
  });

  it('narrows the HTTP result to a policy with response: iam', () => {
    expectTypeOf(
      createHttpAuthorizer({ verifier, response: 'iam' }),
    ).returns.resolves.toEqualTypeOf<PolicyAuthorizerResult>();
    expectTypeOf(createHttpAuthorizer({ verifier })).returns.resolves.toEqualTypeOf<
      SimpleAuthorizerResult | PolicyAuthorizerResult
    >();
  });

  it('types the context hook with the event of its authorizer', () => {
    createRestAuthorizer({
      verifier,
      context: (auth, event) => {
        expectTypeOf(auth).toEqualTypeOf<VerifiedToken>();
        expectTypeOf(event.methodArn).toEqualTypeOf<string>();
        return { tenant: auth.claims['custom:tenant'] };
      },
    });
  });

  it('accepts async hooks and a declared caching mode', () => {
    createRestAuthorizer({
      verifier,
      context: async (auth) => ({ tenant: auth.claims['custom:tenant'] }),
      principalId: async (auth) => auth.sub,
      usageIdentifierKey: async (auth) => auth.clientId,
      onDecision: async () => {},
    });
    createHttpAuthorizer({ verifier, routes: { 'GET /a': { groups: 'x' } }, caching: 'route-key' });
    // @ts-expect-error caching is 'shared', 'route-key' or 'off'
    createHttpAuthorizer({ verifier, caching: 'sometimes' });
  });
});

describe('getAuth types', () => {
  it('takes any event and may find no caller', () => {
    expectTypeOf(getAuth({} as APIGatewayProxyEvent)).toEqualTypeOf<GatewayAuth | undefined>();
    expectTypeOf(getAuth({} as APIGatewayProxyEventV2)).toEqualTypeOf<GatewayAuth | undefined>();
    expectTypeOf<GatewayAuth['groups']>().toEqualTypeOf<string[]>();
    expectTypeOf<GatewayAuth['source']>().toEqualTypeOf<
      'lambda-authorizer' | 'cognito-user-pools' | 'jwt-authorizer' | 'http-lambda-authorizer'
    >();
  });
});

describe('middy middleware types', () => {
  it('adds a verified auth to the handler context', () => {
    middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(cognitoAuth({ verifier }))
      .handler(async (event, context) => {
        expectTypeOf(context.auth).toEqualTypeOf<VerifiedToken>();
        expectTypeOf(context.awsRequestId).toEqualTypeOf<string>();
        expectTypeOf(event.path).toEqualTypeOf<string>();
        return { statusCode: 200, body: context.auth.sub };
      });
  });

  it('makes auth possibly undefined with optional: true', () => {
    middy<APIGatewayProxyEventV2>()
      .use(cognitoAuth({ verifier, optional: true }))
      .handler(async (_event, context) => {
        expectTypeOf(context.auth).toEqualTypeOf<VerifiedToken | undefined>();
        return { statusCode: 200, body: context.auth?.sub ?? 'anonymous' };
      });
  });
});
