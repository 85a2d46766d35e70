import { Writable } from 'node:stream';
import { ConfigurationError, createVerifier, type Verifier } from '@cognito-gate/core';
import { type CognitoGateOptions, cognitoGate } from '@cognito-gate/fastify';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appWith, bearer, verifierFor, verifierOptions, whoami } from './support.js';

let issuer: TestIssuer;
let verifier: Verifier;
let app: FastifyInstance | undefined;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = verifierFor(issuer);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function registrationError(options: unknown): Promise<unknown> {
  const server = Fastify();
  server.register(cognitoGate, options as CognitoGateOptions);
  return server.ready().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('registration', () => {
  it('decorates the instance and the request, named for fastify-plugin', async () => {
    app = await appWith({ verifier }, () => {});
    expect(app.hasDecorator('authenticate')).toBe(true);
    expect(app.hasDecorator('requireAuth')).toBe(true);
    expect(app.cognitoVerifier).toBe(verifier);
    expect(app.hasRequestDecorator('auth')).toBe(true);
    expect(cognitoGate[Symbol.for('plugin-meta') as never]).toMatchObject({
      name: '@cognito-gate/fastify',
      fastify: '5.x',
    });
  });

  it('builds its own verifier from verifier options, ignoring register options such as prefix', async () => {
    app = Fastify();
    await app.register(cognitoGate, {
      ...verifierOptions(issuer),
      prefix: '/api',
      logLevel: 'warn',
    } as never);
    app.get('/me', { config: { auth: true } }, whoami);
    const response = await app.inject({ url: '/me', headers: bearer(await issuer.accessToken()) });
    expect(response.json().sub).toBe(issuer.user.sub);
  });

  it.each([
    ['a bad errorMode', { errorMode: 'silent' }, /errorMode must be 'reply' or 'throw'/],
    ['an empty realm', { realm: '' }, /realm must be a non-empty string/],
    ['a realm with a quote', { realm: 'orders "v2"' }, /realm must be printable ASCII without quotes/],
    ['a realm with a line break', { realm: 'api\r\nSet-Cookie: x' }, /realm must be printable ASCII/],
    ['a non-ASCII realm', { realm: 'caf\u00e9' }, /realm must be printable ASCII/],
    ['a huge realm', { realm: 'r'.repeat(257) }, /realm must be at most 256 characters/],
    ['a non-function getToken', { getToken: 'cookie' }, /getToken must be a function/],
    ['a non-boolean hydrate', { hydrate: 'yes' }, /hydrate must be a boolean/],
    ['bad defaultAuth rules', { defaultAuth: { groups: {} } }, /defaultAuth: groups must use anyOf or allOf/],
    ['a misspelt verifier option', { userPoolID: 'x' }, /unknown option userPoolID/],
    [
      'a verifier and verifier options',
      { verifier: 'VERIFIER', tokenUse: 'id' },
      /either a verifier or verifier options/,
    ],
    ['something that is not a verifier', { verifier: { verify: true } }, /verifier must be a verifier/],
    [
      'a verifier without verifyDirect',
      { verifier: { verify: async () => ({}), verifyAuthorization: async () => ({}), close: () => {} } },
      /verifier must be a verifier/,
    ],
  ])('rejects %s at startup with a ConfigurationError', async (_name, extra, message) => {
    const given = extra as Record<string, unknown>;
    // With a verifier in the options, only the options under test go with it.
    const options =
      given.verifier === undefined
        ? { ...verifierOptions(issuer), ...given }
        : { ...given, verifier: given.verifier === 'VERIFIER' ? verifier : given.verifier };
    const error = await registrationError(options);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });

  it('reports a missing clientId from the core at startup', async () => {
    const error = await registrationError({ userPoolId: issuer.userPoolId });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/clientId is required/);
  });

  it('refuses to be registered twice in one context', async () => {
    const server = Fastify();
    server.register(cognitoGate, { verifier });
    server.register(cognitoGate, { verifier });
    await expect(server.ready()).rejects.toThrow(/auth/);
  });
});

describe('encapsulation', () => {
  it('registered in a child context: protects that context only, and decorates it only', async () => {
    app = Fastify();
    app.get('/root', { config: { auth: true } }, whoami);
    await app.register(async (api) => {
      await api.register(cognitoGate, { verifier, defaultAuth: true });
      api.get('/api/orders', whoami);
      api.register(async (nested) => nested.get('/api/nested', whoami));
      expect(api.hasDecorator('authenticate')).toBe(true);
    });
    app.register(async (sibling) => sibling.get('/sibling', { config: { auth: true } }, whoami));
    await app.ready();

    expect((await app.inject('/api/orders')).statusCode).toBe(401);
    expect((await app.inject('/api/nested')).statusCode).toBe(401);
    // Outside the plugin's context config.auth means nothing: the plugin never sees these routes.
    expect((await app.inject('/root')).statusCode).toBe(200);
    expect((await app.inject('/sibling')).statusCode).toBe(200);
    expect(app.hasDecorator('authenticate')).toBe(false);
    expect(app.hasRequestDecorator('auth')).toBe(false);
  });

  it('sibling contexts can trust different user pools', async () => {
    const partners = await createTestIssuer({ userPoolId: 'eu-west-1_Partners1' });
    app = Fastify();
    app.register(async (staff) => {
      await staff.register(cognitoGate, { verifier, defaultAuth: true });
      staff.get('/staff', whoami);
    });
    app.register(async (partner) => {
      await partner.register(cognitoGate, { ...verifierOptions(partners), defaultAuth: true });
      partner.get('/partner', whoami);
    });
    await app.ready();
    const staffToken = bearer(await issuer.accessToken());
    const partnerToken = bearer(await partners.accessToken());

    expect((await app.inject({ url: '/staff', headers: staffToken })).statusCode).toBe(200);
    expect((await app.inject({ url: '/staff', headers: partnerToken })).json().code).toBe('invalid_issuer');
    expect((await app.inject({ url: '/partner', headers: partnerToken })).statusCode).toBe(200);
    expect((await app.inject({ url: '/partner', headers: staffToken })).json().code).toBe('invalid_issuer');
  });

  it('documents the ordering rule: a route added before the plugin has loaded is not seen', async () => {
    app = Fastify();
    app.register(cognitoGate, { verifier });
    app.get('/too-early', { config: { auth: true } }, whoami); // the plugin has not run yet
    await app.after();
    app.get('/after', { config: { auth: true } }, whoami);
    await app.ready();
    expect((await app.inject('/too-early')).statusCode).toBe(200);
    expect((await app.inject('/after')).statusCode).toBe(401);
  });
});

describe('lifecycle', () => {
  let remote: TestIssuer;
  beforeAll(async () => {
    remote = await createTestIssuer({ userPoolId: 'us-east-1_RemoteJwks1' });
    await remote.listen();
  });
  afterAll(() => remote.close());
  afterEach(() => remote.server.setFault(null));

  const remoteOptions = (extra: Record<string, unknown> = {}) => ({
    ...verifierOptions(remote),
    jwks: { uri: remote.jwksUri, timeoutMs: 30_000, ...extra },
  });

  it('closes a verifier it created when the app closes', async () => {
    const server = await appWith(remoteOptions(), () => {});
    const close = vi.spyOn(server.cognitoVerifier, 'close');
    await server.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('leaves a verifier it was given to its owner', async () => {
    const shared = createVerifier(verifierOptions(issuer));
    const close = vi.spyOn(shared, 'close');
    const server = await appWith({ verifier: shared }, () => {});
    await server.close();
    expect(close).not.toHaveBeenCalled();
  });

  it('app.close() aborts a JWKS download in flight: the waiting request gets a prompt 503', async () => {
    const server = await appWith(remoteOptions(), (instance) =>
      instance.get('/me', { config: { auth: true } }, whoami),
    );
    await remote.server.setFault({ type: 'hang' });
    remote.server.resetCount();
    const pending = server.inject({ url: '/me', headers: bearer(await remote.accessToken()) });
    await vi.waitFor(() => expect(remote.server.requestCount).toBe(1));
    const started = Date.now();

    await server.close();
    const response = await pending;

    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('jwks_unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('hydrate: true fetches the JWKS while the app gets ready', async () => {
    remote.server.resetCount();
    app = await appWith({ ...remoteOptions(), hydrate: true }, () => {});
    expect(remote.server.requestCount).toBe(1);
  });

  it('hydrate: a failed prefetch is logged, not fatal', async () => {
    await remote.server.setFault({ type: 'status', status: 500 });
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = Fastify({ logger: { level: 'warn', stream } });
    await app.register(cognitoGate, { ...remoteOptions(), hydrate: true });
    await app.ready();
    const warning = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg?.includes('JWKS prefetch'));
    expect(warning).toBeDefined();
  });
});
