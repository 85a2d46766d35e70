import { ConfigurationError } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import { compileRouteTable, routeMatches } from '../../packages/lambda/src/route-table.js';

describe('compileRouteTable', () => {
  it('turns route keys into IAM resource globs', () => {
    const routes = compileRouteTable({
      'GET /orders/{id}': {},
      'ANY /admin/{proxy+}': {},
      'DELETE /': {},
      '* /files/*/meta': {},
      'post /orders/': {},
    });
    expect(routes.map((r) => r.globs)).toEqual([
      ['GET/orders/*', 'HEAD/orders/*'],
      ['*/admin/*'],
      ['DELETE/'],
      ['*/files/*/meta', '*/files/*/meta/'],
      ['POST/orders', 'POST/orders/'],
    ]);
  });

  it('guards HEAD with a GET rule and the trailing-slash twin of a literal path', () => {
    const [orders, any] = compileRouteTable({ 'GET /orders': {}, 'any /admin': {} });
    for (const route of ['GET/orders', 'GET/orders/', 'HEAD/orders', 'HEAD/orders/']) {
      expect(routeMatches(orders!, route), route).toBe(true);
    }
    for (const route of ['POST/orders', 'GET/orders-archive', 'GET/Orders', 'get/orders', 'GET/orders//']) {
      expect(routeMatches(orders!, route), route).toBe(false);
    }
    expect(routeMatches(any!, 'PATCH/admin/')).toBe(true);
  });

  it('matches with IAM semantics: * and {param} span slashes, everything else is literal', () => {
    const [orders, root, dotted] = compileRouteTable({ 'GET /orders/{id}': {}, 'GET /': {}, 'GET /a.b': {} });
    expect(routeMatches(orders!, 'GET/orders/1')).toBe(true);
    expect(routeMatches(orders!, 'GET/orders/1/items')).toBe(true);
    expect(routeMatches(orders!, 'GET/orders')).toBe(false);
    expect(routeMatches(orders!, 'POST/orders/1')).toBe(false);
    expect(routeMatches(root!, 'GET/')).toBe(true);
    expect(routeMatches(root!, 'GET/x')).toBe(false);
    expect(routeMatches(dotted!, 'GET/a.b')).toBe(true);
    expect(routeMatches(dotted!, 'GET/axb')).toBe(false);
  });

  it.each([
    ['no method', { '/orders': {} }],
    ['a relative path', { 'GET orders': {} }],
    ['a "?" wildcard', { 'GET /orders?': {} }],
    ['an unbalanced brace', { 'GET /orders/{id': {} }],
    ['a path too long for a 512-character policy resource', { [`GET /${'a'.repeat(400)}`]: {} }],
    ['invalid rules', { 'GET /orders': { groups: [] } }],
    ['an array table', [{ 'GET /': {} }]],
  ])('rejects %s at setup', (_, table) => {
    expect(() => compileRouteTable(table as never)).toThrow(ConfigurationError);
  });
});
