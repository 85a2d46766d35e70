import { ConfigurationError, type VerifiedToken } from '@cognito-gate/core';
import { describe, expect, it } from 'vitest';
import {
  compileRouteTable,
  denialFor,
  denyRoutes,
  routeMatches,
  verbsOf,
} from '../../packages/lambda/src/route-table.js';

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
    ['null', null],
    ['a string', 'GET /orders'],
    ['a number', 5],
  ])('rejects %s at setup', (_, table) => {
    expect(() => compileRouteTable(table as never)).toThrow(ConfigurationError);
  });
});

describe('route table limits', () => {
  it('accepts a path of exactly 400 characters', () => {
    const [route] = compileRouteTable({ [`GET /${'a'.repeat(399)}`]: {} });
    expect(route!.globs[0]).toBe(`GET/${'a'.repeat(399)}`);
  });

  it('reads ANY and * as every verb, and GET as GET and HEAD', () => {
    expect(verbsOf('ANY')).toEqual(['*']);
    expect(verbsOf('*')).toEqual(['*']);
    expect(verbsOf('GET')).toEqual(['GET', 'HEAD']);
    expect(verbsOf('POST')).toEqual(['POST']);
    expect(verbsOf('')).toEqual(['']);
  });
});

describe('denyRoutes', () => {
  const token = {
    groups: ['staff'],
    scopes: ['orders/read'],
    tokenUse: 'access',
    claims: {},
  } as unknown as VerifiedToken;
  const routes = compileRouteTable({
    'GET /orders/{id}': { scopes: 'orders/read' },
    'DELETE /orders/{id}': { groups: 'admin' },
    'ANY /admin/*': { groups: 'admin' },
  });

  it('lists every route the token fails, in table order', () => {
    const denied = denyRoutes(token, routes);
    expect(denied.map((d) => [d.route.key, d.error.code])).toEqual([
      ['DELETE /orders/{id}', 'insufficient_group'],
      ['ANY /admin/*', 'insufficient_group'],
    ]);
    expect(denialFor(denied, 'DELETE/orders/1')?.route.key).toBe('DELETE /orders/{id}');
    expect(denialFor(denied, 'GET/orders/1')).toBeUndefined();
  });

  it('checks only the routes that match `only`', () => {
    expect(denyRoutes(token, routes, 'GET/orders/1')).toEqual([]);
    expect(denyRoutes(token, routes, 'POST/admin/x').map((d) => d.route.key)).toEqual(['ANY /admin/*']);
  });

  it('answers no denials for an empty table', () => {
    expect(denyRoutes(token, [])).toEqual([]);
  });

  it('lets a failure that is not an AuthError through instead of reading it as a denial', () => {
    const broken = { ...token, groups: undefined } as unknown as VerifiedToken;
    expect(() => denyRoutes(broken, routes)).toThrow(TypeError);
  });
});
