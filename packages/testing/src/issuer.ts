/**
 * A local issuer shaped like an Amazon Cognito user pool, as a JWT verifier sees one.
 *
 * It holds two RSA keys as a user pool does (one signs ID tokens, the other access tokens), mints
 * tokens with Cognito's header and claim sets (one sign-in's tokens share their session claims), publishes its JWKS as a document or over a
 * loopback server, and rotates keys the way Cognito does: new keys first, previous keys kept until
 * dropped. It depends on no test runner, so it works under vitest, jest and `node:test` alike.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  applyOverrides,
  buildAccessTokenClaims,
  buildIdTokenClaims,
  buildM2mTokenClaims,
  type MintContext,
  type SessionClaims,
} from './claim-builders.js';
import type {
  AccessTokenOverrides,
  IdTokenOverrides,
  IssuerForm,
  M2mTokenOverrides,
  MintOptions,
  TestUser,
} from './claims.js';
import { type JwksServer, startJwksServer } from './jwks-server.js';
import { generateSigningKey, type Jwk, type JwksDocument, type SigningKey } from './keys.js';
import { type Segment, signToken } from './sign.js';
import type {
  ListenOptions,
  RefreshOptions,
  RotateKeysOptions,
  SignInOptions,
  SignInSession,
  SignOptions,
  TestIssuer,
  TestIssuerOptions,
} from './test-issuer.js';

/**
 * Creates a local issuer shaped like a Cognito user pool.
 *
 * @example
 * ```ts
 * const issuer = await createTestIssuer();
 * const verifier = createVerifier({ userPoolId: issuer.userPoolId, clientId: issuer.clientId, jwks: { keys: issuer.jwks } });
 * const token = await issuer.accessToken({ groups: ['admin'] });
 * const auth = await verifier.verify(token);
 * ```
 * @example
 * ```ts
 * // Over HTTP, with a fault
 * const issuer = await createTestIssuer({ userPoolId: 'eu-west-1_Abc123' });
 * const { jwksUri } = await issuer.listen();
 * await issuer.server.setFault({ type: 'status', status: 503 });
 * afterAll(() => issuer.close());
 * ```
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const userPoolId = options.userPoolId ?? 'us-east-1_TestPool01';
  const region = options.region ?? regionOf(userPoolId);
  const [idKey, accessKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
  return new CognitoTestIssuer(options, userPoolId, region, idKey, accessKey);
}

function leftHalfSha256(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest().subarray(0, 16).toString('base64url');
}

function regionOf(userPoolId: string): string {
  const separator = userPoolId.indexOf('_');
  if (separator <= 0) {
    throw new TypeError(`cannot derive a region from user pool ID "${userPoolId}": pass options.region`);
  }
  return userPoolId.slice(0, separator);
}

type Published = { jwk: Jwk; role: 'current' | 'previous' | 'added' };

class CognitoTestIssuer implements TestIssuer {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  readonly issuer: string;
  readonly globalIssuer: string;
  readonly user: Readonly<TestUser>;
  readonly #form: IssuerForm;
  readonly #now: () => number;
  readonly #lifetimeSeconds: number;
  #idKey: SigningKey;
  #accessKey: SigningKey;
  #published: Published[];
  #server: JwksServer | undefined;

  constructor(
    options: TestIssuerOptions,
    userPoolId: string,
    region: string,
    idKey: SigningKey,
    accessKey: SigningKey,
  ) {
    this.userPoolId = userPoolId;
    this.region = region;
    this.clientId = options.clientId ?? 'testclient0000000000000001';
    // The DNS suffix follows the partition: the China regions are under amazonaws.com.cn.
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    this.issuer = `https://cognito-idp.${region}.${domain}/${userPoolId}`;
    this.globalIssuer = `https://issuer-cognito-idp.${region}.${domain}/${userPoolId}`;
    this.user = Object.freeze({
      sub: options.user?.sub ?? randomUUID(),
      username: options.user?.username ?? 'testuser',
      email: options.user?.email ?? 'testuser@example.com',
    });
    this.#form = options.issuerForm ?? 'regional';
    this.#now = options.now ?? Date.now;
    this.#lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.#idKey = idKey;
    this.#accessKey = accessKey;
    this.#published = [
      { jwk: idKey.jwk, role: 'current' },
      { jwk: accessKey.jwk, role: 'current' },
    ];
  }

  get jwks(): JwksDocument {
    // A copy, so a test that mutates what it got cannot change what the issuer serves.
    return { keys: this.#published.map(({ jwk }) => structuredClone(jwk)) };
  }

  get keyIds(): { readonly id: string; readonly access: string } {
    return { id: this.#idKey.kid, access: this.#accessKey.kid };
  }

  get server(): JwksServer {
    if (this.#server === undefined)
      throw new Error('the JWKS server is not running: call issuer.listen() first');
    return this.#server;
  }

  get jwksUri(): string {
    return this.server.jwksUri;
  }

  idToken(overrides: IdTokenOverrides = {}): Promise<string> {
    return this.#mint(this.#idKey, buildIdTokenClaims(this.#context(), overrides), overrides);
  }

  accessToken(overrides: AccessTokenOverrides = {}): Promise<string> {
    return this.#mint(this.#accessKey, buildAccessTokenClaims(this.#context(), overrides), overrides);
  }

  signIn(options: SignInOptions = {}): Promise<SignInSession> {
    const authTime = options.issuedAt ?? Math.floor(this.#now() / 1000);
    return this.#session(options, { originJti: randomUUID(), eventId: randomUUID(), authTime }, authTime);
  }

  async #session(options: SignInOptions, session: SessionClaims, issuedAt: number): Promise<SignInSession> {
    const { flow = 'password', groups, scopes, expiresIn, issuerForm } = options;
    const shared = { groups, expiresIn, issuedAt, issuerForm };
    const accessToken = await this.#mint(
      this.#accessKey,
      buildAccessTokenClaims({ ...this.#context(), session }, {
        ...shared,
        flow,
        scopes,
        ...options.access,
      } as AccessTokenOverrides),
      { ...options.access },
    );
    // Tokens from the OAuth endpoints bind the ID token to its access token (OIDC Core 3.1.3.6).
    const atHash = flow === 'oauth' ? leftHalfSha256(accessToken) : undefined;
    const idToken = await this.#mint(
      this.#idKey,
      buildIdTokenClaims({ ...this.#context(), session: { ...session, atHash } }, {
        ...shared,
        ...options.id,
      } as IdTokenOverrides),
      { ...options.id },
    );
    return Object.freeze({
      idToken,
      accessToken,
      originJti: session.originJti,
      eventId: session.eventId,
      authTime: session.authTime,
      refresh: (refresh: RefreshOptions = {}) =>
        this.#session(
          {
            ...options,
            groups: refresh.groups ?? groups,
            expiresIn: refresh.expiresIn ?? expiresIn,
            id: refresh.id ?? options.id,
            access: refresh.access ?? options.access,
          },
          { ...session, eventId: refresh.keepEventId === true ? session.eventId : randomUUID() },
          refresh.issuedAt ?? Math.floor(this.#now() / 1000),
        ),
    });
  }

  m2mToken(overrides: M2mTokenOverrides = {}): Promise<string> {
    return this.#mint(this.#accessKey, buildM2mTokenClaims(this.#context(), overrides), overrides);
  }

  sign(header: Segment, payload: Segment, options: SignOptions = {}): Promise<string> {
    const { key = 'access' } = options;
    const privateKey =
      key === 'access' ? this.#accessKey.privateKey : key === 'id' ? this.#idKey.privateKey : key;
    return signToken(header, payload, privateKey);
  }

  async rotateKeys(options: RotateKeysOptions = {}): Promise<void> {
    const [idKey, accessKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    // One generation of old keys is kept, as Cognito does while tokens signed with them are still live.
    const kept: Published[] = [];
    for (const entry of this.#published) {
      if (entry.role === 'added') kept.push(entry);
      else if (entry.role === 'current' && options.dropPrevious !== true)
        kept.push({ ...entry, role: 'previous' });
    }
    this.#idKey = idKey;
    this.#accessKey = accessKey;
    this.#published = [{ jwk: idKey.jwk, role: 'current' }, { jwk: accessKey.jwk, role: 'current' }, ...kept];
  }

  removeKey(kid: string): boolean {
    const before = this.#published.length;
    this.#published = this.#published.filter(({ jwk }) => jwk.kid !== kid);
    return this.#published.length !== before;
  }

  addKey(jwk: Jwk): void {
    this.#published.push({ jwk: structuredClone(jwk), role: 'added' });
  }

  async listen(options: ListenOptions = {}): Promise<JwksServer> {
    this.#server ??= await startJwksServer(() => this.jwks, {
      port: options.port,
      path: `/${this.userPoolId}/.well-known/jwks.json`,
    });
    return this.#server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close();
  }

  #context(): MintContext {
    return {
      issuerFor: (form) => ((form ?? this.#form) === 'global' ? this.globalIssuer : this.issuer),
      clientId: this.clientId,
      user: this.user,
      nowSeconds: Math.floor(this.#now() / 1000),
      lifetimeSeconds: this.#lifetimeSeconds,
    };
  }

  #mint(key: SigningKey, claims: Record<string, unknown>, options: MintOptions): Promise<string> {
    // Cognito's header is exactly { kid, alg }, in that order.
    const header = applyOverrides({ kid: key.kid, alg: 'RS256' }, options.header);
    return signToken(header, claims, key.privateKey);
  }
}
