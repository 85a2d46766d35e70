/**
 * The soak's target process: examples/express-api and examples/fastify-api listening on loopback,
 * and examples/lambda-authorizer invoked in process, each with its own verifier fetching the JWKS
 * over loopback. Its instruments (probes.ts) read memory, CPU, event-loop delay and collections; it
 * reports every JWKS fetch as it happens, and is driven entirely by the driver's messages (protocol.ts).
 * Started by run.ts with --expose-gc and --max-http-header-size=65536, so an oversized token reaches
 * the verifier's own length check instead of Node's 16 KiB header limit (431).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, type JwksEvent, type Verifier } from '@cognito-gate/core';
import { createApp } from '@cognito-gate/example-express-api';
import { buildApp } from '@cognito-gate/example-fastify-api';
import { createAuthorizer } from '@cognito-gate/example-lambda-authorizer/authorizer';
import { startLambdaLoop } from './lambda-loop.js';
import type { MixFlags } from './mix.js';
import { type Probes, startProbes } from './probes.js';
import { type FromTarget, TARGETS, type TargetId, type ToTarget } from './protocol.js';
import { JWKS_SETTINGS } from './schedule.js';

const send = (message: FromTarget) => process.send?.(message);

async function main(start: Extract<ToTarget, { type: 'start' }>): Promise<void> {
  let flags: MixFlags = start.flags;
  const keysLoaded = new Set<TargetId>();
  const kidMissesWithoutFetch: Record<TargetId, number> = { express: 0, fastify: 0, lambda: 0 };
  const onEvent = (target: TargetId) => (event: JwksEvent) => {
    if (event.type === 'jwks_kid_miss') {
      if (!event.fetched) kidMissesWithoutFetch[target] += 1;
      return;
    }
    if (event.type === 'jwks_stale') return;
    if (event.type === 'jwks_fetch_success') keysLoaded.add(target);
    send({
      type: 'jwks',
      note: {
        target,
        at: Date.now(),
        type: event.type,
        uri: event.uri,
        ...('reason' in event ? { reason: event.reason } : {}),
        ...('error' in event ? { error: event.error } : {}),
      },
    });
  };
  const verifiers = Object.fromEntries(
    TARGETS.map((target) => [
      target,
      createVerifier({
        userPoolId: start.userPoolId,
        clientId: start.clientId,
        jwks: { uri: start.jwksUri, ...JWKS_SETTINGS },
        onEvent: onEvent(target),
      }),
    ]),
  ) as Record<TargetId, Verifier>;

  const expressServer = createServer(createApp({ verifier: verifiers.express }));
  await new Promise<void>((resolve) => expressServer.listen(0, '127.0.0.1', resolve));
  const fastify = await buildApp({ verifier: verifiers.fastify });
  const fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });

  const decisionLog: Record<string, number> = {};
  const authorizer = createAuthorizer(verifiers.lambda, {
    log: (line) => {
      const outcome = /"Outcome":"(\w+)"/.exec(line)?.[1] ?? 'unparsed';
      decisionLog[outcome] = (decisionLog[outcome] ?? 0) + 1;
    },
  });

  let probes: Probes | undefined;
  let loop: ReturnType<typeof startLambdaLoop> | undefined;

  process.on('message', async (message: ToTarget) => {
    if (message.type === 'go') {
      probes = startProbes(
        message.t0,
        () => ({
          express: verifiers.express.cachedTokens,
          fastify: verifiers.fastify.cachedTokens,
          lambda: verifiers.lambda.cachedTokens,
        }),
        (sample) => send({ type: 'sample', sample }),
      );
      loop = startLambdaLoop({
        authorizer,
        pools: start.pools,
        seed: start.seed,
        rate: start.lambdaRate,
        flags: () => flags,
        keysLoaded: () => keysLoaded.has('lambda'),
      });
    } else if (message.type === 'phase') {
      flags = message.flags;
    } else if (message.type === 'checkpoint') {
      const sample = probes!.collect(message.endsWarmUp);
      send({ type: 'checkpoint', sample, endsWarmUp: message.endsWarmUp });
    } else if (message.type === 'stop') {
      await loop?.stop();
      const { results, endSample } = probes!.stop();
      send({
        type: 'final',
        final: {
          lambda: loop?.tally.toJSON() ?? {},
          lambdaRotatedLastAccepted: loop?.tally.rotatedLastAccepted ?? {},
          lambdaDecisionLog: decisionLog,
          lambdaShed: loop?.shed ?? 0,
          lambdaShedAt: loop?.shedAt ?? [],
          kidMissesWithoutFetch,
          loopDelayWholeRun: results.wholeRun,
          loopDelayAfterWarmUp: results.afterWarmUp,
          stalls: results.stalls,
          gcPauses: results.gcPauses,
          gcTotals: results.gcTotals,
          endSample,
        },
      });
      expressServer.closeAllConnections();
      expressServer.close();
      await fastify.close();
      for (const verifier of Object.values(verifiers)) verifier.close();
      process.disconnect();
    }
  });
  send({
    type: 'ready',
    express: `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`,
    fastify: fastifyUrl,
  });
}

process.once('message', (message: ToTarget) => {
  if (message.type === 'start') void main(message);
});
