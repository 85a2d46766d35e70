/**
 * Real Cognito emulators for the interop suites: start moto (`moto_server`, a Python tool on PATH)
 * or cognito-local (an npm devDependency) on a free loopback port, provision a user pool through the
 * AWS SDK v3 as an application would, and stop the process by its id afterwards. Everything stays on
 * 127.0.0.1. A missing emulator skips its suite with a visible message, and fails it under CI=true.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describeWhenAvailable } from './needs.js';

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:{port}` */
  readonly endpoint: string;
  /** Stops the process (by its id) and removes its temporary files. Idempotent. */
  stop(): Promise<void>;
}

/** A provisioned pool with one user in the `admin` group (and an empty `readers` group). */
export interface EmulatorPool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly client: CognitoIdentityProviderClient;
}

/** The three tokens of a sign-in. */
export interface EmulatorTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

const require = createRequire(import.meta.url);

/** The moto server command: `MOTO_SERVER` when set (another install), else `moto_server` on PATH. */
const MOTO_SERVER = process.env.MOTO_SERVER ?? 'moto_server';

/** True when the moto server can be run. */
export function hasMoto(): boolean {
  const probe = spawnSync(MOTO_SERVER, ['--help'], { stdio: 'ignore', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
}

/** The cognito-local entry point, or undefined when the package is not installed. */
export function cognitoLocalEntry(): string | undefined {
  try {
    return require.resolve('cognito-local/lib/bin/start.js');
  } catch {
    return undefined;
  }
}

/**
 * `describe` for a suite that needs an emulator: runs it when `available`, skips it with a console
 * message on a developer machine that lacks the emulator, and fails under CI=true, where a quiet
 * skip would hide the suite (the same rule as the ../shared fixtures).
 */
export function describeWithEmulator(
  name: string,
  available: boolean,
  install: string,
  body: () => void,
): void {
  describeWhenAvailable(
    {
      name,
      available,
      skipMessage: `emulator not found (${install})`,
      skipTitle: `needs the emulator: ${install}`,
      ciTitle: `needs the emulator (CI=true): ${install}`,
      ciError: `CI=true but the emulator for "${name}" is missing: CI must provide it (${install})`,
    },
    body,
  );
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts moto on a free loopback port. */
export async function startMoto(): Promise<Emulator> {
  const port = await freePort();
  const child = spawn(MOTO_SERVER, ['-p', String(port), '-H', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return running(child, `http://127.0.0.1:${port}`, '/moto-api/', () => {});
}

/** Starts cognito-local on a free loopback port, its data in a fresh temporary folder. */
export async function startCognitoLocal(): Promise<Emulator> {
  const entry = cognitoLocalEntry();
  if (entry === undefined) throw new Error('cognito-local is not installed');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  // cognito-local keeps its config and database under `.cognito/` in its working directory; PORT
  // and HOST pick where it listens, and HOST also becomes the host of the `iss` it writes.
  const child = spawn(process.execPath, [entry], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return running(child, `http://127.0.0.1:${port}`, '/health', () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
}

async function running(
  child: ChildProcess,
  endpoint: string,
  probePath: string,
  cleanup: () => void,
): Promise<Emulator> {
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited && child.pid !== undefined) {
      signal(child.pid, 'SIGTERM');
      const killed = await Promise.race([exit.then(() => true), delay(5000).then(() => false)]);
      if (!killed) signal(child.pid, 'SIGKILL');
      await Promise.race([exit, delay(2000)]);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    cleanup();
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the emulator exited during startup:\n${output.join('')}`);
    }
    try {
      await fetch(`${endpoint}${probePath}`, { signal: AbortSignal.timeout(2000) });
      return { endpoint, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the emulator did not answer at ${endpoint} within 60 s:\n${output.join('')}`);
      }
      await delay(250);
    }
  }
}

/** Signals the process group we started (detached: the emulator and any child it spawned). */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An SDK client pointed at the emulator, with dummy credentials (nothing leaves loopback). */
export function sdkClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/**
 * Creates a pool, an app client that allows password sign-ins, the groups `admin` and `readers`,
 * and a confirmed user with a permanent password in `admin`. The username is an email address,
 * since cognito-local's pools default to email usernames.
 */
export async function provisionPool(endpoint: string): Promise<EmulatorPool> {
  const client = sdkClient(endpoint);
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: 'cognito-gate-interop' }));
  const userPoolId = pool.UserPool?.Id;
  if (userPoolId === undefined) throw new Error('CreateUserPool returned no pool id');
  const appClient = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: 'interop',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
    }),
  );
  const clientId = appClient.UserPoolClient?.ClientId;
  if (clientId === undefined) throw new Error('CreateUserPoolClient returned no client id');
  const username = 'alice@example.com';
  const password = 'Interop-Passw0rd!';
  await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admin' }));
  await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'readers' }));
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: username,
      UserAttributes: [
        { Name: 'email', Value: username },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: 'admin' }),
  );
  return { userPoolId, clientId, username, password, client };
}

function tokensOf(result: AuthenticationResultType | undefined, refreshToken?: string): EmulatorTokens {
  const idToken = result?.IdToken;
  const accessToken = result?.AccessToken;
  const refresh = result?.RefreshToken ?? refreshToken;
  if (idToken === undefined || accessToken === undefined || refresh === undefined) {
    throw new Error('the sign-in returned no tokens (a challenge?)');
  }
  return { idToken, accessToken, refreshToken: refresh };
}

/** `InitiateAuth` with `USER_PASSWORD_AUTH`. */
export async function passwordSignIn(pool: EmulatorPool): Promise<EmulatorTokens> {
  const answer = await pool.client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password },
    }),
  );
  return tokensOf(answer.AuthenticationResult);
}

/** `AdminInitiateAuth` with `ADMIN_USER_PASSWORD_AUTH`. */
export async function adminSignIn(pool: EmulatorPool): Promise<EmulatorTokens> {
  const answer = await pool.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.userPoolId,
      ClientId: pool.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: pool.username, PASSWORD: pool.password },
    }),
  );
  return tokensOf(answer.AuthenticationResult);
}

/** `InitiateAuth` with `REFRESH_TOKEN_AUTH` (no new refresh token comes back; the old one is kept). */
export async function refreshSignIn(pool: EmulatorPool, tokens: EmulatorTokens): Promise<EmulatorTokens> {
  const answer = await pool.client.send(
    new InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    }),
  );
  return tokensOf(answer.AuthenticationResult, tokens.refreshToken);
}

/** The decoded payload of a token (for asserting what the emulator wrote). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
