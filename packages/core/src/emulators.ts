/**
 * Pool settings for local Cognito emulators. Each emulator signs with its own keys and serves them
 * at `{endpoint}/{userPoolId}/.well-known/jwks.json`; they differ in the `iss` they write:
 * - moto (`moto_server`): the real Cognito issuer, `https://cognito-idp.{region}.amazonaws.com/{pool}`,
 *   so only the JWKS URL changes and the pool id keeps Cognito's syntax;
 * - cognito-local: `http://{HOST}:{PORT}/{pool}` (default `http://localhost:9229/local_XXXXXXXX`);
 * - LocalStack: `{endpoint}/{pool}` by default (`http://localhost.localstack.cloud:4566/{pool}`),
 *   though some LocalStack configurations write another host: pass `issuer` then.
 * The result is an ordinary `PoolOptions` entry: every other check (token_use, client, times,
 * signature, key policy) stays as strict as for Cognito.
 */
import { fail, type PoolOptions, type TokenUseOption } from './options.js';

export type EmulatorKind = 'moto' | 'cognito-local' | 'localstack';

export interface EmulatorPoolOptions {
  readonly kind: EmulatorKind;
  /**
   * Where the emulator listens. Defaults: moto `http://localhost:5000`, cognito-local
   * `http://localhost:9229`, LocalStack `http://localhost.localstack.cloud:4566`.
   */
  readonly endpoint?: string;
  readonly userPoolId: string;
  readonly clientId?: string | readonly string[] | null;
  readonly tokenUse?: TokenUseOption;
  /** The exact `iss` when the emulator writes something other than its default (not for moto). */
  readonly issuer?: string;
}

const DEFAULT_ENDPOINTS: Readonly<Record<EmulatorKind, string>> = {
  moto: 'http://localhost:5000',
  'cognito-local': 'http://localhost:9229',
  localstack: 'http://localhost.localstack.cloud:4566',
};

const KEYS = new Set(['kind', 'endpoint', 'userPoolId', 'clientId', 'tokenUse', 'issuer']);

/**
 * The `userPoolId` entry for a pool of a local emulator. Hosts other than loopback also need
 * `insecureHttpHosts` in the verifier options (for example LocalStack's
 * `localhost.localstack.cloud`, or a docker-compose service name).
 *
 * @example
 * const verifier = createVerifier({
 *   userPoolId: [emulatorPool({ kind: 'cognito-local', userPoolId: 'local_AbC12345', clientId })],
 *   clockToleranceSeconds: 5,
 * });
 * @example
 * const verifier = createVerifier({
 *   userPoolId: [emulatorPool({ kind: 'localstack', userPoolId: poolId, clientId })],
 *   insecureHttpHosts: ['localhost.localstack.cloud'],
 * });
 */
export function emulatorPool(options: EmulatorPoolOptions): PoolOptions {
  if (typeof options !== 'object' || options === null) fail('emulatorPool needs an options object');
  const unknown = Object.keys(options).filter((key) => !KEYS.has(key));
  if (unknown.length > 0)
    fail(`unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in emulatorPool`);
  const { kind, userPoolId } = options;
  if (!Object.hasOwn(DEFAULT_ENDPOINTS, kind))
    fail(`emulatorPool kind must be 'moto', 'cognito-local' or 'localstack'`);
  if (typeof userPoolId !== 'string' || userPoolId.length === 0 || /[/?#\s]/.test(userPoolId)) {
    fail('emulatorPool userPoolId must be a pool id such as "local_AbC12345"');
  }
  const endpoint = (options.endpoint ?? DEFAULT_ENDPOINTS[kind]).replace(/\/+$/, '');
  const jwksUri = `${endpoint}/${userPoolId}/.well-known/jwks.json`;
  const pool: { -readonly [K in keyof PoolOptions]: PoolOptions[K] } = { userPoolId, jwksUri };
  if ('clientId' in options) pool.clientId = options.clientId;
  if (options.tokenUse !== undefined) pool.tokenUse = options.tokenUse;
  if (kind === 'moto') {
    // moto writes the real Cognito issuer: the pool id keeps its syntax rule and its derived issuers.
    if (options.issuer !== undefined)
      fail('emulatorPool: moto writes the Cognito issuer; issuer does not apply');
    return pool;
  }
  pool.issuer = options.issuer ?? `${endpoint}/${userPoolId}`;
  return pool;
}
