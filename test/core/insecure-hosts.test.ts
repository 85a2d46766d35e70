/**
 * `insecureHttpHosts`: plain http for named development hosts, refused in production, announced once.
 */
import { ConfigurationError, createVerifier } from '@cognito-gate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceInsecureHttpHosts, parseInsecureHttpHosts } from '../../packages/core/src/insecure-hosts.js';
import { jwksUriProblem } from '../../packages/core/src/pools.js';

const POOL = 'us-east-1_Abc123';
const savedEnv = process.env.NODE_ENV;

afterEach(() => {
  process.env.NODE_ENV = savedEnv;
  vi.restoreAllMocks();
});

function verifierWith(uri: string, insecureHttpHosts?: string[]) {
  return createVerifier({
    userPoolId: POOL,
    clientId: 'c',
    jwks: { uri, fetch: false },
    ...(insecureHttpHosts === undefined ? {} : { insecureHttpHosts }),
  });
}

describe('plain http JWKS URLs', () => {
  it('are refused on a named host without the opt-in, as before', () => {
    expect(() => verifierWith('http://cognito-local:9229/p/.well-known/jwks.json')).toThrow(
      'must use https (plain http is allowed only for loopback hosts)',
    );
  });

  it('are accepted on a host named in insecureHttpHosts, case-insensitively', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const verifier = verifierWith('http://cognito-local:9229/p/.well-known/jwks.json', ['Cognito-Local']);

    expect(verifier.jwksUris).toEqual(['http://cognito-local:9229/p/.well-known/jwks.json']);
  });

  it('stay refused on hosts the opt-in does not name', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => verifierWith('http://attacker.example/jwks.json', ['cognito-local'])).toThrow(
      'plain http is allowed only for loopback hosts and insecureHttpHosts',
    );
    expect(() => verifierWith('http://cognito-local.attacker.example/jwks.json', ['cognito-local'])).toThrow(
      ConfigurationError,
    );
  });

  it('on loopback need no opt-in and no warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    verifierWith('http://127.0.0.1:9229/p/.well-known/jwks.json');
    verifierWith('http://localhost:9229/p/.well-known/jwks.json', []);

    expect(warn).not.toHaveBeenCalled();
  });

  it('apply to a per-pool jwksUri too', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const jwksUri = 'http://host.docker.internal:5000/p/.well-known/jwks.json';
    const options = {
      userPoolId: [{ userPoolId: POOL, jwksUri }],
      clientId: 'c',
      jwks: { fetch: false as const },
    };

    expect(() => createVerifier(options)).toThrow(ConfigurationError);
    expect(createVerifier({ ...options, insecureHttpHosts: ['host.docker.internal'] }).jwksUris).toEqual([
      jwksUri,
    ]);
  });
});

describe('insecureHttpHosts', () => {
  it('is refused when NODE_ENV is production', () => {
    process.env.NODE_ENV = 'production';

    expect(() => verifierWith('https://keys.example/jwks.json', ['cognito-local'])).toThrow(
      /insecureHttpHosts is for local development and is refused when NODE_ENV is "production"/,
    );
  });

  it('is harmless when empty, in production too', () => {
    process.env.NODE_ENV = 'production';

    expect(() => verifierWith('https://keys.example/jwks.json', [])).not.toThrow();
  });

  it('warns once per process for each host', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    verifierWith('https://keys.example/jwks.json', ['once-a.test', 'once-b.test']);
    verifierWith('https://keys.example/jwks.json', ['once-a.test']);
    verifierWith('https://keys.example/jwks.json', ['once-a.test', 'once-c.test']);

    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /WARNING: plain-http JWKS and issuer URLs are accepted for once-a\.test, once-b\.test/,
    );
    expect(warn.mock.calls[1]?.[0]).toMatch(/accepted for once-c\.test \(insecureHttpHosts\)/);
  });

  it.each([
    ['a string', 'cognito-local'],
    ['a URL', ['http://cognito-local']],
    ['a host with a port', ['cognito-local:9229']],
    ['a path', ['cognito-local/p']],
    ['a wildcard', ['*']],
    ['a wildcard subdomain', ['*.example']],
    ['an empty name', ['']],
    ['credentials', ['u@cognito-local']],
    ['a number', [42]],
    ['a name the URL parser rewrites', ['0x7f.1']],
  ])('refuses %s', (_name, value) => {
    expect(() => verifierWith('https://keys.example/jwks.json', value as string[])).toThrow(
      ConfigurationError,
    );
  });

  it('parses bracketed IPv6 addresses and lower-cases names', () => {
    expect(parseInsecureHttpHosts(['[fd00::1]', 'LocalStack', '10.0.0.5'], 'development')).toEqual({
      hosts: new Set(['[fd00::1]', 'localstack', '10.0.0.5']),
    });
  });

  it('lets jwksUriProblem accept exactly the named hosts', () => {
    const hosts = new Set(['localhost.localstack.cloud']);

    expect(
      jwksUriProblem('http://localhost.localstack.cloud:4566/p/.well-known/jwks.json', hosts),
    ).toBeUndefined();
    expect(jwksUriProblem('http://localstack.cloud/p', hosts)).toMatch(/must use https/);
    expect(jwksUriProblem('http://u:p@localhost.localstack.cloud/p', hosts)).toBe(
      'must not contain credentials',
    );
  });

  it('announces through the given warn function', () => {
    const messages: string[] = [];
    announceInsecureHttpHosts(new Set(['announce-only.test']), (m) => messages.push(m));
    announceInsecureHttpHosts(new Set(['announce-only.test']), (m) => messages.push(m));

    expect(messages).toHaveLength(1);
  });
});
