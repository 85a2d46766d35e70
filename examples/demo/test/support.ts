/**
 * The example apps from their sources (vitest runs TypeScript directly, so tests need no build), and
 * an output that collects what the demo prints.
 */
import { createApp } from '../../express-api/src/app.js';
import { buildApp } from '../../fastify-api/src/app.js';
import { handler } from '../../lambda-authorizer/src/api.js';
import { createAuthorizer } from '../../lambda-authorizer/src/authorizer.js';
import type { ExampleApps } from '../src/targets.js';

export const sourceApps: ExampleApps = {
  express: createApp,
  fastify: buildApp,
  createAuthorizer,
  api: handler,
};

/** Collects writes; `text` is everything written so far. */
export function sink(): { write(chunk: string): void; readonly text: string } {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
    },
    get text() {
      return text;
    },
  };
}
