/**
 * `cognito-gate verify <token>`: run the token through the core verifier exactly as an API would,
 * then print the decision, the `AuthError` code, why, and the decoded token. Exit 0 when the token
 * is accepted, 1 when it is rejected.
 */
import { parseArgs } from 'node:util';
import {
  type AuthError,
  type AuthRules,
  type CompiledRules,
  ConfigurationError,
  compileRules,
  createVerifier,
  isAuthError,
  jwksUriOf,
  type TokenUseOption,
  type VerifiedToken,
  type Verifier,
} from '@cognito-gate/core';
import {
  EXIT,
  instant,
  list,
  oneOf,
  onePositional,
  parseOrUsage,
  seconds,
  single,
  UsageError,
} from './args.js';
import { renderSection } from './claims-view.js';
import { type Expectations, expectedIssuers, explainRejection, explainSuccess } from './explain.js';
import { HELP } from './help.js';
import { claim, type InspectedToken, inspectToken } from './inspect-token.js';
import { type CliIo, readToken } from './io.js';
import { fileSource, type JwksSource, remoteSource } from './jwks-source.js';
import { printable, type Style, styleFor, toJson } from './style.js';

/** What `--json` prints; the keys are stable. */
export interface VerifyResult {
  readonly valid: boolean;
  /** The `AuthError` code, `null` when valid. */
  readonly code: string | null;
  /** The HTTP status an API would answer with, `null` when valid. */
  readonly status: number | null;
  readonly explanation: string;
  readonly header: Record<string, unknown> | null;
  readonly claims: Record<string, unknown> | null;
}

const TOKEN_USES: readonly TokenUseOption[] = ['access', 'id', 'any'];

function parse(args: readonly string[]) {
  return parseOrUsage('verify', () =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'user-pool-id': { type: 'string', multiple: true },
        'client-id': { type: 'string', multiple: true },
        'any-client': { type: 'boolean' },
        'token-use': { type: 'string', multiple: true },
        'jwks-file': { type: 'string', multiple: true },
        'jwks-uri': { type: 'string', multiple: true },
        groups: { type: 'string', multiple: true },
        scopes: { type: 'string', multiple: true },
        acr: { type: 'string', multiple: true },
        amr: { type: 'string', multiple: true },
        'max-age': { type: 'string', multiple: true },
        audience: { type: 'string', multiple: true },
        'clock-tolerance': { type: 'string', multiple: true },
        now: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
}

type Values = ReturnType<typeof parse>['values'];

function expectationsOf(values: Values): Expectations {
  const userPoolIds = list(values['user-pool-id'], 'user-pool-id');
  if (userPoolIds === undefined) throw new UsageError('--user-pool-id is required', 'verify');
  const clientIds = list(values['client-id'], 'client-id');
  if (values['any-client'] === true && clientIds !== undefined) {
    throw new UsageError('give either --client-id or --any-client, not both', 'verify');
  }
  if (values['any-client'] !== true && clientIds === undefined) {
    throw new UsageError('--client-id is required (or --any-client to accept every client)', 'verify');
  }
  const tokenUse = single(values['token-use'], 'token-use');
  const tolerance = single(values['clock-tolerance'], 'clock-tolerance');
  const maxAge = single(values['max-age'], 'max-age');
  return {
    userPoolIds,
    clientIds: clientIds ?? null,
    tokenUse: tokenUse === undefined ? 'access' : oneOf(tokenUse, TOKEN_USES, 'token-use'),
    groups: list(values.groups, 'groups'),
    scopes: list(values.scopes, 'scopes'),
    acr: list(values.acr, 'acr'),
    amr: list(values.amr, 'amr'),
    maxAge: maxAge === undefined ? undefined : seconds(maxAge, 'max-age'),
    audience: list(values.audience, 'audience'),
    clockToleranceSeconds: tolerance === undefined ? 0 : seconds(tolerance, 'clock-tolerance'),
  };
}

/** The rules the flags ask for, compiled now so a bad value is a usage error, not a rejection. */
function rulesFor(expected: Expectations): CompiledRules {
  const rules: AuthRules = {
    groups: expected.groups,
    scopes: expected.scopes,
    acr: expected.acr,
    amr: expected.amr,
    maxAge: expected.maxAge,
  };
  try {
    return compileRules(rules);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message, 'verify');
    throw error;
  }
}

/** Which keys to use, checked before reading stdin; the file is read later (see verifyCommand). */
function jwksChoice(values: Values): { readonly file?: string; readonly uri?: string } {
  const file = single(values['jwks-file'], 'jwks-file');
  const uri = single(values['jwks-uri'], 'jwks-uri');
  if (file !== undefined && uri !== undefined) {
    throw new UsageError('give either --jwks-file or --jwks-uri, not both', 'verify');
  }
  return { file, uri };
}

function createFor(expected: Expectations, source: JwksSource, nowMs: number): Verifier {
  const one = <T>(values: readonly T[]): T | readonly T[] => (values.length === 1 ? values[0]! : values);
  try {
    return createVerifier({
      userPoolId: one(expected.userPoolIds) as string | readonly string[],
      clientId: expected.clientIds === null ? null : (one(expected.clientIds) as string | readonly string[]),
      tokenUse: expected.tokenUse,
      ...(expected.audience === undefined ? {} : { audience: expected.audience }),
      clockToleranceSeconds: expected.clockToleranceSeconds,
      jwks: source.options,
      onEvent: source.onEvent,
      cache: false,
      now: () => nowMs,
    });
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message, 'verify');
    throw error;
  }
}

/** The JWKS URL the verifier uses for this token's issuer (for messages only). */
function issuerJwksUri(token: InspectedToken, expected: Expectations): string {
  const iss = claim(token.claims, 'iss');
  const issuers = expectedIssuers(expected.userPoolIds);
  return jwksUriOf(typeof iss === 'string' && issuers.includes(iss) ? iss : (issuers[0] ?? ''));
}

function render(result: VerifyResult, style: Style, nowMs: number): string {
  const verdict = result.valid
    ? style.bold(style.green('VALID'))
    : `${style.bold(style.red('REJECTED'))}  ${result.code} (${result.status})`;
  const lines = [verdict, `  ${printable(result.explanation)}`, ''];
  lines.push(...renderSection('Header', result.header ?? undefined, style, nowMs), '');
  const title = result.valid ? 'Claims' : `Claims ${style.dim('(of the rejected token)')}`;
  lines.push(...renderSection(title, result.claims ?? undefined, style, nowMs));
  return `${lines.join('\n')}\n`;
}

/**
 * Run `verify` with the arguments after the command name; resolves to the exit code.
 *
 * @example
 * const code = await verifyCommand(['eyJ…', '--user-pool-id', 'us-east-1_X', '--client-id', 'abc'], io);
 */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help === true) {
    io.stdout.write(HELP.verify);
    return EXIT.ok;
  }
  const expected = expectationsOf(values);
  const rules = rulesFor(expected);
  const nowOption = single(values.now, 'now');
  const nowMs = nowOption === undefined ? io.now() : instant(nowOption, 'now');
  const keys = jwksChoice(values);
  const token = await readToken(onePositional(positionals), io);
  // Read the JWKS file only once stdin is done: in `cognito-gate mint --out-jwks f | cognito-gate
  // verify --jwks-file f`, mint writes f just before its output ends.
  const source = keys.file !== undefined ? fileSource(keys.file, io) : remoteSource(keys.uri, io);
  const verifier = createFor(expected, source, nowMs);
  const inspected = inspectToken(token);

  let auth: VerifiedToken | undefined;
  let error: AuthError | undefined;
  try {
    auth = await verifier.verify(token, rules);
  } catch (caught) {
    if (!isAuthError(caught)) throw caught;
    error = caught;
  } finally {
    verifier.close();
  }

  let explanation: string;
  if (error === undefined) {
    explanation = explainSuccess(auth!, nowMs);
  } else {
    const uri = issuerJwksUri(inspected, expected);
    const kids = error.code === 'unknown_key' ? await source.kids(uri) : undefined;
    const jwks = { source: source.describe(uri), kids, failure: source.failure(uri) };
    explanation = explainRejection(error, { token: inspected, expected, nowMs, jwks });
  }
  const result: VerifyResult = {
    valid: error === undefined,
    code: error?.code ?? null,
    status: error?.status ?? null,
    explanation,
    header: inspected.header ?? null,
    claims: inspected.claims ?? null,
  };
  const json = values.json === true;
  io.stdout.write(
    json ? toJson(result) : render(result, styleFor(io, { noColor: values['no-color'] }), nowMs),
  );
  return result.valid ? EXIT.ok : EXIT.rejected;
}
