import { parseExecuteApiArn } from '@cognito-gate/lambda';
import { describe, expect, it } from 'vitest';
import {
  exactResource,
  fitDenyResource,
  httpStageWildcard,
  isRestRoute,
  MAX_RESOURCE_BYTES,
  resourceFits,
  restStageWildcard,
  routePrefixResource,
} from '../../packages/lambda/src/method-arn.js';

const PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/';
const parse = (route: string) => parseExecuteApiArn(`${PREFIX}${route}`)!;
const bytes = (text: string) => Buffer.byteLength(text);

/** The longest prefix of `text` within `budget` UTF-8 bytes that does not split a code point. */
function referenceCut(text: string, budget: number): string {
  let out = '';
  for (const codePoint of text) {
    if (bytes(out + codePoint) > budget) break;
    out += codePoint;
  }
  return out;
}

// One character of each UTF-8 length, at the edges of each range, and lone surrogates (3 bytes,
// as Node encodes them).
const CHARACTERS = [
  '\u{10000}',
  'a',
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '\u{1f600}',
  '\u{10ffff}',
  '\udc00',
];

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

describe('policy resources within 512 bytes', () => {
  it.each(CHARACTERS)('counts %j in UTF-8 bytes, as API Gateway does', (char) => {
    let near = 0;
    for (let count = 0; count < 600; count++) {
      const text = `${PREFIX}${char.repeat(count)}`;
      if (Math.abs(bytes(text) - MAX_RESOURCE_BYTES) > 8) continue;
      near++;
      expect(resourceFits(text), `${char} × ${count}`).toBe(bytes(text) <= MAX_RESOURCE_BYTES);
    }
    // Both sides of the limit were tried.
    expect(near).toBeGreaterThanOrEqual(2);
  });

  it('counts a lone high surrogate at the end as the 3 bytes Node writes for it', () => {
    const text = `${'a'.repeat(509)}\ud83d`;
    expect(bytes(text)).toBe(512);
    expect(resourceFits(text)).toBe(true);
    expect(resourceFits(`a${text}`)).toBe(false);
  });

  // A high surrogate followed by anything but a low one is no pair: Node writes U+FFFD (3 bytes)
  // and then the next character; counting the two as one 4-byte code point let a resource pass
  // that API Gateway would find over 512 bytes.
  it('counts a high surrogate followed by a non-low-surrogate as two characters', () => {
    const broken = '\ud83d\u0800'; // 3 + 3 bytes in UTF-8, not 4
    expect(bytes(broken)).toBe(6);
    const text = broken.repeat(85); // 510 bytes
    expect(resourceFits(`${text}aa`)).toBe(true);
    expect(resourceFits(`${text}aaa`)).toBe(false);
    const fitted = fitDenyResource(`${PREFIX}GET/${broken.repeat(200)}`);
    expect(bytes(fitted)).toBeLessThanOrEqual(MAX_RESOURCE_BYTES);
    expect(bytes(fitted)).toBeGreaterThan(MAX_RESOURCE_BYTES - 7);
  });

  it.each(CHARACTERS)(
    'cuts a Deny resource of %j to the longest prefix that fits, never inside a code point, then *',
    (char) => {
      for (let extra = 0; extra < 8; extra++) {
        const resource = `${PREFIX}GET/${'r'.repeat(extra)}${char.repeat(600)}`;
        const fitted = fitDenyResource(resource);
        expect(fitted).toBe(`${referenceCut(resource, MAX_RESOURCE_BYTES - 1)}*`);
        expect(bytes(fitted)).toBeLessThanOrEqual(MAX_RESOURCE_BYTES);
        expect(bytes(fitted)).toBeGreaterThan(MAX_RESOURCE_BYTES - 4);
      }
    },
  );

  it('keeps a Deny resource that fits as it is', () => {
    const resource = `${PREFIX}GET/${'r'.repeat(MAX_RESOURCE_BYTES - PREFIX.length - 4)}`;
    expect(bytes(resource)).toBe(MAX_RESOURCE_BYTES);
    expect(fitDenyResource(resource)).toBe(resource);
    expect(fitDenyResource(`${resource}r`)).toBe(`${resource.slice(0, -1)}*`);
  });

  it('writes the request ARN exactly only when it has no wildcard character and fits', () => {
    expect(exactResource(parse('GET/orders/1'))).toBe(`${PREFIX}GET/orders/1`);
    expect(exactResource(parse('GET/orders/*'))).toBeUndefined();
    expect(exactResource(parse('GET/orders/a?b'))).toBeUndefined();
    const longest = `GET/${'o'.repeat(MAX_RESOURCE_BYTES - PREFIX.length - 4)}`;
    expect(exactResource(parse(longest))).toBe(`${PREFIX}${longest}`);
    expect(exactResource(parse(`${longest}o`))).toBeUndefined();
  });

  it.each([
    ['GET/orders/1', 'GET/orders/1*'],
    ['GET/orders/*', 'GET/orders/*'],
    ['GET/orders/*/items', 'GET/orders/*'],
    ['GET/a?b*c', 'GET/a*'],
    ['*/admin', '*'],
  ])('widens %s to the literal part before its first wildcard: %s', (route, resource) => {
    expect(routePrefixResource(parse(route))).toBe(`${PREFIX}${resource}`);
  });

  it('counts a lone high surrogate at the end of a route prefix as 3 bytes, not as a pair', () => {
    // 508 bytes, then the lone surrogate: 511 bytes fit the budget before the final '*'.
    const route = `GET/${'o'.repeat(508 - PREFIX.length - 4)}\ud83d`;
    expect(bytes(`${PREFIX}${route}`)).toBe(511);
    expect(routePrefixResource(parse(route))).toBe(`${PREFIX}${route}*`);
  });

  it('cuts a long route prefix to the size limit', () => {
    const route = `GET/${'\u00e9'.repeat(400)}`;
    expect(routePrefixResource(parse(route))).toBe(
      `${referenceCut(`${PREFIX}${route}`, MAX_RESOURCE_BYTES - 1)}*`,
    );
  });
});

describe('ARN limits', () => {
  it('accepts an ARN of exactly 1600 characters and refuses 1601', () => {
    const route = (length: number) => `GET/${'x'.repeat(length - PREFIX.length - 4)}`;
    expect(parseExecuteApiArn(`${PREFIX}${route(1600)}`)?.route).toBe(route(1600));
    expect(parseExecuteApiArn(`${PREFIX}${route(1601)}`)).toBeUndefined();
  });

  it('accepts a stage prefix of exactly 256 characters and refuses 257', () => {
    const arn = (prefixLength: number) => {
      const apiId = 'a'.repeat(prefixLength - 'arn:aws:execute-api:us-east-1:123456789012:/prod/'.length);
      return `arn:aws:execute-api:us-east-1:123456789012:${apiId}/prod/GET/`;
    };
    expect(parseExecuteApiArn(arn(256))?.stagePrefix).toHaveLength(256);
    expect(parseExecuteApiArn(arn(257))).toBeUndefined();
  });

  it('tells a REST route by a verb segment at its start only', () => {
    expect(isRestRoute(parse('GET/x'))).toBe(true);
    expect(isRestRoute(parse('*/x'))).toBe(true);
    expect(isRestRoute(parse('$default'))).toBe(false);
    expect(isRestRoute(parse('get/GET/'))).toBe(false);
  });
});
