/**
 * The example applications as the built demo loads them: by package name, from their compiled output
 * (`tsc -b` builds them first). Kept apart from the rest so that tests, which pass the examples'
 * sources to `runDemo` and `startServe`, never load these builds.
 */
import { createApp } from '@cognito-gate/example-express-api';
import { buildApp } from '@cognito-gate/example-fastify-api';
import { handler } from '@cognito-gate/example-lambda-authorizer/api';
import { createAuthorizer } from '@cognito-gate/example-lambda-authorizer/authorizer';
import type { ExampleApps } from './targets.js';

/** examples/express-api, examples/fastify-api and examples/lambda-authorizer. */
export const exampleApps: ExampleApps = {
  express: createApp,
  fastify: buildApp,
  createAuthorizer,
  api: handler,
};
