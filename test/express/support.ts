/**
 * Shared fixtures for the Express adapter suites: both Express majors, a test issuer with a verifier
 * that never touches the network, and helpers to read what a response exposes.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createVerifier, type Verifier, type VerifierOptions } from '@cognito-gate/core';
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import express5, { type Express } from 'express';
import express4 from 'express4';

/** Every suite runs once per Express major (`describe.each(EXPRESS_VERSIONS)`). */
export const EXPRESS_VERSIONS: ReadonlyArray<{ readonly name: string; readonly createApp: () => Express }> = [
  { name: 'Express 5', createApp: () => express5() },
  { name: 'Express 4', createApp: () => express4() as unknown as Express },
];

let shared: Promise<TestIssuer> | undefined;

/** One issuer per test file: key generation is the slow part. */
export function testIssuer(): Promise<TestIssuer> {
  shared ??= createTestIssuer();
  return shared;
}

/** A verifier for the issuer's tokens with the JWKS given up front and fetching turned off. */
export function localVerifier(issuer: TestIssuer, options: Partial<VerifierOptions> = {}): Verifier {
  return createVerifier({
    userPoolId: issuer.userPoolId,
    clientId: issuer.clientId,
    jwks: { keys: issuer.jwks, fetch: false },
    ...options,
  });
}

/** The claims of a minted token, to build hostile variants of it with `issuer.sign`. */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** `Authorization` header value for a token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** What `rawRequest` read back: the status, lower-cased headers and the body. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Send `head` (request line and header lines, without the final blank line) byte for byte to `app`
 * on a loopback port. HTTP clients merge or refuse repeated and differently cased headers; a server
 * must cope with what arrives on the wire, so that is what these tests send.
 */
export async function rawRequest(app: Express, head: string): Promise<RawResponse> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.end(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('latin1');
    const split = text.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
  } finally {
    server.close();
  }
}
