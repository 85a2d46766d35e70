/**
 * A loopback stand-in for Cognito where moto does not implement an operation: a node:http server
 * speaking the AWS JSON 1.1 protocol (POST /, `x-amz-target: AWSCognitoIdentityProviderService.<Op>`,
 * JSON in and out, errors as `{ "__type": "<Name>", "message": … }` with a 4xx/5xx status). The SDK
 * client is pointed at it with `endpoint`; nothing leaves 127.0.0.1.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createVerifier, type Verifier } from '@cognito-gate/core';
import { accessClaims, CLIENT_ID, idClaims, makeKey, NOW, POOL_ID, signJwt } from '../support/signer.js';

export interface StandInAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface StandInRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

export interface StandIn {
  readonly endpoint: string;
  readonly requests: StandInRequest[];
  /** Sets the answer for an operation (default for unknown ones: 400 InvalidParameterException). */
  /** Sets the answer for an operation; `'hang'` never answers. Unknown operations: 400 InvalidParameterException. */
  answer(operation: string, reply: Reply | ((body: Record<string, unknown>) => Reply)): void;
  close(): Promise<void>;
}

type Reply = StandInAnswer | 'hang';

const PREFIX = 'AWSCognitoIdentityProviderService.';

export async function startStandIn(): Promise<StandIn> {
  const replies = new Map<string, (body: Record<string, unknown>) => Reply>();
  const requests: StandInRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : target;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // answered below as an unknown operation
      }
      requests.push({ operation, body, headers: req.headers });
      const reply = replies.get(operation);
      const answer = reply?.(body) ?? {
        status: 400,
        body: { __type: 'InvalidParameterException', message: `stand-in: no answer for ${operation}` },
      };
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    answer(operation, reply) {
      replies.set(operation, typeof reply === 'function' ? reply : () => reply);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const NOT_AUTHORIZED: StandInAnswer = {
  status: 400,
  body: { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' },
};

/** Verified tokens of one sign-in from the test issuer (a fixed clock), for the stand-in tests. */
export async function testTokens(overrides: Record<string, unknown> = {}) {
  const key = makeKey('sign-out-key');
  const verifier: Verifier = createVerifier({
    userPoolId: POOL_ID,
    clientId: CLIENT_ID,
    tokenUse: 'any',
    jwks: { keys: { keys: [key.jwk] }, fetch: false },
    now: () => NOW * 1000,
  });
  const header = { kid: 'sign-out-key', alg: 'RS256' };
  const access = await verifier.verify(signJwt(header, accessClaims(overrides), key));
  const id = await verifier.verify(signJwt(header, idClaims({ aud: CLIENT_ID, ...overrides }), key));
  const machine = await verifier.verify(
    signJwt(
      header,
      accessClaims({
        sub: CLIENT_ID,
        username: undefined,
        origin_jti: undefined,
        event_id: undefined,
        'cognito:groups': undefined,
        ...overrides,
      }),
      key,
    ),
  );
  verifier.close();
  return { access, id, machine };
}
