/**
 * Access to the third-party fixtures in `../shared` (real Cognito tokens, AWS events, Wycheproof
 * vectors). A user's clone has no `../shared`: suites that need it skip, and say so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeWhenAvailable } from './needs.js';

export const SHARED_DIR =
  process.env.COGNITO_GATE_SHARED ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

export const hasShared = existsSync(SHARED_DIR);

/** Read a JSON file under ../shared. */
export function readShared<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(`${SHARED_DIR}/${relative}`, 'utf8')) as T;
}

/**
 * `describe` that skips, with a visible reason, when ../shared is absent. The body is not even
 * collected then, since collecting it would read the missing files. Under CI (`CI=true`) the
 * fixtures are part of the checkout's surroundings, so their absence fails instead of skipping:
 * a quiet skip there would hide hundreds of tests.
 */
export function describeShared(name: string, body: () => void): void {
  describeWhenAvailable(
    {
      name,
      available: hasShared,
      skipMessage: `${SHARED_DIR} not found (third-party fixtures live there)`,
      skipTitle: `needs the third-party fixtures in ../shared (not found at ${SHARED_DIR})`,
      ciTitle: `needs the third-party fixtures in ../shared (CI=true, not found at ${SHARED_DIR})`,
      ciError: `CI=true but ${SHARED_DIR} does not exist: CI must provide ../shared`,
    },
    body,
  );
}
