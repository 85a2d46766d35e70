import { describe, expect, it } from 'vitest';
import { SEGMENT } from '../../packages/lambda/src/iam-glob.js';
import { RouteKeyIndex, routeKeyGlobs } from '../../packages/lambda/src/route-key.js';
import { compileRouteTable } from '../../packages/lambda/src/route-table.js';

describe('routeKeyGlobs', () => {
  it.each([
    [
      'GET /orders/{id}',
      [
        `GET/orders/${SEGMENT}`,
        `GET/orders/${SEGMENT}/`,
        `HEAD/orders/${SEGMENT}`,
        `HEAD/orders/${SEGMENT}/`,
      ],
    ],
    ['ANY /{proxy+}', ['*/*']],
    ['POST /orders', ['POST/orders', 'POST/orders/']],
    ['$default', ['*']],
    ['not a route key', ['*']],
  ])('reads %s as the requests it can receive', (routeKey, globs) => {
    expect(routeKeyGlobs(routeKey)).toEqual(globs);
  });
});

describe('RouteKeyIndex', () => {
  const routes = compileRouteTable({
    'DELETE /orders/{id}': { groups: 'admin' },
    'GET /orders/{id}': { scopes: 'orders/read' },
    'ANY /admin/*': { groups: 'admin' },
  });
  const keys = (routeKey: string) => new RouteKeyIndex(routes).routesFor(routeKey).map((route) => route.key);

  it('finds every rule a request of the API route could meet', () => {
    expect(keys('DELETE /orders/{id}')).toEqual(['DELETE /orders/{id}', 'ANY /admin/*']);
    expect(keys('GET /orders/{id}')).toEqual(['GET /orders/{id}', 'ANY /admin/*']);
    expect(keys('GET /admin/users')).toEqual(['ANY /admin/*']);
    expect(keys('ANY /{proxy+}')).toEqual(['DELETE /orders/{id}', 'GET /orders/{id}', 'ANY /admin/*']);
    expect(keys('$default')).toHaveLength(3);
    expect(keys('GET /health')).toEqual([]);
    expect(keys('POST /orders')).toEqual([]);
  });

  it('keeps {param} within one segment (IAM reach still applies: */admin/* matches GET/orders/admin/)', () => {
    const strict = new RouteKeyIndex(compileRouteTable({ 'GET /admin': { groups: 'admin' } }));
    expect(strict.routesFor('GET /orders/{id}')).toEqual([]);
    expect(strict.routesFor('GET /{section}')).toHaveLength(1);
  });
});

describe('RouteKeyIndex memo', () => {
  const routes = compileRouteTable({
    'GET /orders': { scopes: 'orders/read' },
    'ANY /admin/*': { groups: 'a' },
  });

  it('a GET rule reaches the HEAD route key of the same path', () => {
    const index = new RouteKeyIndex(routes);
    expect(index.routesFor('HEAD /orders').map((route) => route.key)).toEqual(['GET /orders']);
  });

  it('answers a repeated route key from its memo', () => {
    const index = new RouteKeyIndex(routes);
    const first = index.routesFor('GET /orders');
    expect(index.routesFor('GET /orders')).toBe(first);
    expect(first.map((route) => route.key)).toEqual(['GET /orders']);
  });

  it('memoises at most 512 route keys, so a flood of made-up ones cannot grow it', () => {
    const index = new RouteKeyIndex(routes);
    const first = index.routesFor('GET /k0');
    for (let i = 1; i < 512; i++) index.routesFor(`GET /k${i}`);
    expect(index.routesFor('GET /k0')).toBe(first);
    expect(index.routesFor('GET /k511')).toBe(index.routesFor('GET /k511'));
    const past = index.routesFor('GET /k512');
    expect(index.routesFor('GET /k512')).not.toBe(past);
    expect(index.routesFor('GET /k512')).toEqual(past);
  });
});
