import { describe, expect, it } from 'vitest';
import { parseExecuteApiArn } from '../../packages/lambda/src/method-arn.js';
import { denyResources, denyResult, policyResult } from '../../packages/lambda/src/policy.js';
import { compileRouteTable } from '../../packages/lambda/src/route-table.js';

const STAGE = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/';

describe('policyResult', () => {
  it('has one Allow and one Deny statement, the Deny resource a string when there is one', () => {
    const result = policyResult('sub-1', `${STAGE}*/*`, [`${STAGE}DELETE/*`], { sub: 'sub-1' }, 'key-1');
    expect(result).toStrictEqual({
      principalId: 'sub-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${STAGE}*/*` },
          { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${STAGE}DELETE/*` },
        ],
      },
      context: { sub: 'sub-1' },
      usageIdentifierKey: 'key-1',
    });
  });

  it('lists several Deny resources in one statement', () => {
    const deny = [`${STAGE}DELETE/*`, `${STAGE}PUT/*`];
    const { policyDocument } = policyResult('sub-1', undefined, deny, undefined);
    expect(policyDocument.Statement).toStrictEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: deny },
    ]);
    expect(policyDocument.Statement[0]!.Resource).not.toBe(deny);
  });

  it('leaves out context and usageIdentifierKey when there are none', () => {
    const result = policyResult('sub-1', `${STAGE}*/*`, [], undefined);
    expect(Object.keys(result)).toEqual(['principalId', 'policyDocument']);
    expect(result.policyDocument.Statement).toHaveLength(1);
    expect(Object.keys(denyResult('sub-1', `${STAGE}GET/x`, undefined))).toEqual([
      'principalId',
      'policyDocument',
    ]);
  });
});

describe('denyResources', () => {
  it('denies every glob of each failed route once, under the stage', () => {
    const arn = parseExecuteApiArn(`${STAGE}GET/orders/1`)!;
    const [get, any] = compileRouteTable({ 'GET /orders/{id}': {}, 'ANY /orders/*': {} });
    const denied = [get!, any!, get!].map((route) => ({ route, error: undefined as never }));
    expect(denyResources(arn, denied)).toEqual([
      `${STAGE}GET/orders/*`,
      `${STAGE}HEAD/orders/*`,
      `${STAGE}*/orders/*`,
    ]);
  });
});
