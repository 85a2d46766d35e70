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
