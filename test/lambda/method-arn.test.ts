import { parseExecuteApiArn } from '@cognito-gate/lambda';
import { describe, expect, it } from 'vitest';
import { httpStageWildcard, isRestRoute, restStageWildcard } from '../../packages/lambda/src/method-arn.js';

describe('parseExecuteApiArn', () => {
  it('splits a REST method ARN into its parts, keeping the partition', () => {
    expect(
      parseExecuteApiArn('arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/prod/GET/pets/1'),
    ).toEqual({
      arn: 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/prod/GET/pets/1',
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      accountId: '123456789012',
      apiId: 'abc123',
      stage: 'prod',
      route: 'GET/pets/1',
      stagePrefix: 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/prod/',
    });
  });

  it('keeps a ":" inside the resource path', () => {
    const parsed = parseExecuteApiArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/a:b');
    expect(parsed?.route).toBe('GET/items/a:b');
  });

  it('accepts the root resource, HTTP $default stages and WebSocket routes', () => {
    expect(parseExecuteApiArn('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/')?.route).toBe(
      'GET/',
    );
    expect(
      parseExecuteApiArn('arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/POST/x')?.stage,
    ).toBe('$default');
    expect(parseExecuteApiArn('arn:aws:execute-api:eu-west-1:123456789012:abc123/test/$connect')?.route).toBe(
      '$connect',
    );
    expect(
      parseExecuteApiArn('arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/p/GET/')?.partition,
    ).toBe('aws-cn');
    expect(parseExecuteApiArn('arn:aws:execute-api:eusc-de-east-1:123456789012:abc123/p/GET/')?.region).toBe(
      'eusc-de-east-1',
    );
  });

  it.each([
    ['not a string', 7],
    ['another service', 'arn:aws:lambda:us-east-1:123456789012:abc123/prod/GET/'],
    ['not an ARN', 'urn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/'],
    ['a bad partition', 'arn:gcp:execute-api:us-east-1:123456789012:abc123/prod/GET/'],
    ['a placeholder region', 'arn:aws:execute-api:{regionId}:123456789012:abc123/prod/GET/'],
    ['a short account', 'arn:aws:execute-api:us-east-1:1234:abc123/prod/GET/'],
    ['no stage', 'arn:aws:execute-api:us-east-1:123456789012:abc123'],
    ['an empty stage', 'arn:aws:execute-api:us-east-1:123456789012:abc123//GET/'],
    ['an empty route', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/'],
    ['whitespace in the route', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/a b'],
    ['a 129-character stage', `arn:aws:execute-api:us-east-1:123456789012:abc123/${'s'.repeat(129)}/GET/`],
    [
      'a long partition and API id',
      `arn:aws${'-x'.repeat(100)}:execute-api:us-east-1:123456789012:${'a'.repeat(100)}/prod/GET/`,
    ],
    [
      'more than 1600 bytes',
      `arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/${'x'.repeat(1600)}`,
    ],
  ])('returns undefined for %s', (_, arn) => {
    expect(parseExecuteApiArn(arn)).toBeUndefined();
  });
});

describe('stage wildcards', () => {
  const rest = parseExecuteApiArn('arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/prod/GET/')!;
  const http = parseExecuteApiArn('arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/$default')!;

  it('REST: {stage}/*/* in the same partition', () => {
    expect(restStageWildcard(rest)).toBe('arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/prod/*/*');
  });

  it('HTTP: {stage}/*, which also covers a single-segment $default route', () => {
    expect(httpStageWildcard(http)).toBe('arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/*');
  });

  it('tells REST routes (a verb first) from WebSocket routes', () => {
    expect(isRestRoute(rest)).toBe(true);
    expect(
      isRestRoute(parseExecuteApiArn('arn:aws:execute-api:eu-west-1:123456789012:a1/test/$connect')!),
    ).toBe(false);
  });
});
