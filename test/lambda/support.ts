/**
 * Shared setup for the Lambda adapter tests: real API Gateway events from ../shared (a fresh copy per
 * read, so tests can substitute tokens), a local Cognito-shaped issuer, verifiers in their three
 * states (keys shipped, keys unreachable), and an assertion for API Gateway's exact 401 contract.
 */
import { readFileSync } from 'node:fs';
import { createVerifier, type Verifier } from '@cognito-gate/core';
import type { PolicyAuthorizerResult } from '@cognito-gate/lambda';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { expect } from 'vitest';
import { readShared, SHARED_DIR } from '../support/shared.js';

export const EVENTS = 'fixtures/real/events';

/** A real event from ../shared/fixtures/real/events, freshly parsed (safe to mutate). */
export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return readShared<T>(`${EVENTS}/${name}`);
}

/**
 * A `.jsonc` documentation template, made parseable: `//` comments outside strings removed, and the
 * docs' `true/false` placeholder read as `true`.
 */
export function loadJsonc<T = Record<string, unknown>>(name: string): T {
  // The docs templates are indented with no-break spaces, which JSON does not count as whitespace.
  const text = readFileSync(`${SHARED_DIR}/${EVENTS}/${name}`, 'utf8').replace(/\u00a0/g, ' ');
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      if (char === '"') inString = true;
      out += char;
    }
  }
  return JSON.parse(out.replace(/\btrue\/false\b/g, 'true')) as T;
}

export interface Fixture {
  readonly issuer: TestIssuer;
  /** Keys shipped with the verifier, no network. */
  readonly verifier: Verifier;
  /** No keys and a JWKS endpoint that cannot be reached: every verify is `jwks_unavailable`. */
  readonly outage: Verifier;
}

/** A test issuer and the verifiers the tests use. */
export async function createFixture(): Promise<Fixture> {
  const issuer = await createTestIssuer({ userPoolId: 'eu-west-1_LambdaT01' });
  const verifier = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
  });
  const outage = createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { fetch: () => Promise.reject(new Error('connect ECONNREFUSED')), timeoutMs: 200 },
  });
  return { issuer, verifier, outage };
}

/** API Gateway answers 401 only for an Error whose message is exactly `Unauthorized`. */
export async function expectUnauthorized(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toBe('Unauthorized');
}

/** An outage must be any other error (a 500), never `Unauthorized` and never a result. */
export async function expectOutage(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).not.toBe('Unauthorized');
  expect((error as Error).name).toBe('AuthorizerUnavailableError');
  return error as Error;
}

/** Every context value is a string, a finite number or a boolean (else API Gateway answers 500). */
export function expectFlatContext(context: unknown): void {
  expect(context).toBeTypeOf('object');
  for (const [key, value] of Object.entries(context as Record<string, unknown>)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    expect(ok, `context.${key} is ${typeof value}`).toBe(true);
  }
}

/** `arn:…:{apiId}/{stage}/` of a method or route ARN. */
export function stagePrefix(arn: string): string {
  const [head, stage] = arn.split('/');
  return `${head}/${stage}/`;
}

/** IAM's evaluation of an authorizer policy for one ARN: explicit Deny wins; `*` spans `/`, `?` is one character. */
export function iamAllows(result: PolicyAuthorizerResult, arn: string): boolean {
  const matches = (resource: string | string[]) =>
    [resource].flat().some((glob) => {
      const source = [...glob]
        .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('');
      return new RegExp(`^${source}$`, 'su').test(arn);
    });
  const statements = result.policyDocument.Statement;
  if (statements.some((s) => s.Effect === 'Deny' && matches(s.Resource))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s.Resource));
}

/** API Gateway answers 500 for a policy Resource over 512 characters; we also stay within 512 UTF-8 bytes. */
export function expectResourcesFit(result: PolicyAuthorizerResult): void {
  for (const statement of result.policyDocument.Statement) {
    for (const resource of [statement.Resource].flat()) {
      expect(Buffer.byteLength(resource, 'utf8'), resource.slice(0, 80)).toBeLessThanOrEqual(512);
    }
  }
}
