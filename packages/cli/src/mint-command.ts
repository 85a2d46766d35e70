/**
 * `cognito-gate mint --user-pool-id …`: a local test token shaped like the pool's, and the JWKS
 * that verifies it, from `@cognito-gate/testing`. The token (and the JWKS unless it goes to a file)
 * is written to stdout and the notes to stderr, so `TOKEN=$(cognito-gate mint …)` captures the
 * token alone.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeToken, poolRegion } from '@cognito-gate/core';
import { createTestIssuer, type JwksDocument } from '@cognito-gate/testing';
import { EXIT, list, oneOf, onePositional, parseOrUsage, single, UsageError } from './args.js';
import { HELP } from './help.js';
import type { CliIo } from './io.js';
import { styleFor, toJson } from './style.js';
import { expirySentence, isoDate } from './time.js';

export type MintTokenUse = 'access' | 'id' | 'm2m';

/** What `--json` prints; the keys are stable. */
export interface MintResult {
  readonly token: string;
  readonly jwks: JwksDocument;
  readonly tokenUse: MintTokenUse;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly expiresAt: string;
  /** The file the JWKS was written to (`--out-jwks`), or `null`. */
  readonly jwksFile: string | null;
}

const TOKEN_USES: readonly MintTokenUse[] = ['access', 'id', 'm2m'];

function parse(args: readonly string[]) {
  return parseOrUsage('mint', () =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'user-pool-id': { type: 'string', multiple: true },
        'client-id': { type: 'string', multiple: true },
        'token-use': { type: 'string', multiple: true },
        groups: { type: 'string', multiple: true },
        scopes: { type: 'string', multiple: true },
        'expires-in': { type: 'string', multiple: true },
        'out-jwks': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
}

type Values = ReturnType<typeof parse>['values'];

interface MintRequest {
  readonly userPoolId: string;
  readonly clientId: string | undefined;
  readonly tokenUse: MintTokenUse;
  readonly groups: string[] | undefined;
  readonly scopes: string[] | undefined;
  readonly expiresIn: number | undefined;
  readonly outJwks: string | undefined;
}

function requestOf(values: Values): MintRequest {
  const userPoolId = single(values['user-pool-id'], 'user-pool-id');
  if (userPoolId === undefined) throw new UsageError('--user-pool-id is required', 'mint');
  if (poolRegion(userPoolId) === undefined) {
    throw new UsageError(`--user-pool-id must look like us-east-1_Abc123 (got '${userPoolId}')`, 'mint');
  }
  const use = single(values['token-use'], 'token-use');
  const tokenUse = use === undefined ? 'access' : oneOf(use, TOKEN_USES, 'token-use');
  const groups = list(values.groups, 'groups');
  const scopes = list(values.scopes, 'scopes');
  if (tokenUse === 'm2m' && groups !== undefined) {
    throw new UsageError('m2m tokens carry no groups (there is no user)', 'mint');
  }
  if (tokenUse === 'id' && scopes !== undefined) {
    throw new UsageError('ID tokens carry no scopes (mint an access token for scopes)', 'mint');
  }
  const lifetime = single(values['expires-in'], 'expires-in');
  const expiresIn = lifetime === undefined ? undefined : Number(lifetime);
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn <= 0)) {
    throw new UsageError(
      `--expires-in must be a whole number of seconds above 0 (got '${lifetime}')`,
      'mint',
    );
  }
  return {
    userPoolId,
    clientId: single(values['client-id'], 'client-id'),
    tokenUse,
    groups,
    scopes,
    expiresIn,
    outJwks: single(values['out-jwks'], 'out-jwks'),
  };
}

async function mint(request: MintRequest, io: CliIo): Promise<Omit<MintResult, 'jwksFile'>> {
  const issuer = await createTestIssuer({
    userPoolId: request.userPoolId,
    clientId: request.clientId,
    now: io.now,
  });
  const { groups, scopes, expiresIn } = request;
  let token: string;
  if (request.tokenUse === 'id') token = await issuer.idToken({ groups, expiresIn });
  else if (request.tokenUse === 'm2m') token = await issuer.m2mToken({ scopes, expiresIn });
  else token = await issuer.accessToken({ groups, scopes, expiresIn });
  await issuer.close();
  return {
    token,
    jwks: issuer.jwks,
    tokenUse: request.tokenUse,
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    issuer: issuer.issuer,
    expiresAt: isoDate(decodeToken(token).payload.exp) ?? '',
  };
}

function writeJwks(path: string, jwks: JwksDocument, io: CliIo): void {
  try {
    writeFileSync(resolve(io.cwd ?? process.cwd(), path), toJson(jwks));
  } catch (error) {
    throw new UsageError(`cannot write the JWKS to ${path}: ${(error as Error).message}`, 'mint');
  }
}

/** The `verify` command that accepts what was just minted. */
function verifyHint(result: MintResult): string {
  const use = result.tokenUse === 'id' ? ' --token-use id' : '';
  return `cognito-gate verify "$TOKEN" --user-pool-id ${result.userPoolId} --client-id ${result.clientId}${use} --jwks-file ${result.jwksFile}`;
}

/**
 * Run `mint` with the arguments after the command name; resolves to the exit code.
 *
 * @example
 * const code = await mintCommand(['--user-pool-id', 'us-east-1_Abc123', '--out-jwks', 'jwks.json'], io);
 */
export async function mintCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help === true) {
    io.stdout.write(HELP.mint);
    return EXIT.ok;
  }
  if (onePositional(positionals) !== undefined) {
    throw new UsageError(`mint takes no token argument (got '${positionals[0]}')`, 'mint');
  }
  const request = requestOf(values);
  const minted = await mint(request, io);
  if (request.outJwks !== undefined) writeJwks(request.outJwks, minted.jwks, io);
  const result: MintResult = { ...minted, jwksFile: request.outJwks ?? null };
  if (values.json === true) {
    io.stdout.write(toJson(result));
    return EXIT.ok;
  }
  const style = styleFor(io, { noColor: values['no-color'] });
  const kind = result.tokenUse === 'm2m' ? 'M2M access' : result.tokenUse === 'id' ? 'ID' : 'Access';
  const exp = decodeToken(result.token).payload.exp;
  io.stderr.write(
    `${style.bold(`${kind} token`)} for client ${result.clientId} of ${result.userPoolId}, ${expirySentence(exp, io.now())}\n`,
  );
  io.stdout.write(`${result.token}\n`);
  if (result.jwksFile === null) {
    io.stderr.write(`${style.bold('JWKS')} that verifies it:\n`);
    io.stdout.write(`\n${toJson(result.jwks)}`);
  } else {
    io.stderr.write(
      `JWKS written to ${result.jwksFile}. Verify the token offline with:\n  ${verifyHint(result)}\n`,
    );
  }
  return EXIT.ok;
}
