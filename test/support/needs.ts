/**
 * `describe` for a suite that needs something outside the repository (../shared, an emulator,
 * Redis): runs it when `available`; on a developer machine without it, skips with a console message
 * and one named skipped test, so the report says what was not run and why; under CI=true, fails,
 * since a quiet skip there would hide the suite. The body is not collected unless it runs.
 */
import { describe, it } from 'vitest';

export interface Needs {
  /** The suite's name. */
  readonly name: string;
  readonly available: boolean;
  /** Console text after `skipping "<name>": `. */
  readonly skipMessage: string;
  /** Title of the skipped test. */
  readonly skipTitle: string;
  /** Title and error of the failing test under CI=true. */
  readonly ciTitle: string;
  readonly ciError: string;
}

export function describeWhenAvailable(needs: Needs, body: () => void): void {
  if (needs.available) {
    describe(needs.name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(needs.name, () => {
      it(needs.ciTitle, () => {
        throw new Error(needs.ciError);
      });
    });
    return;
  }
  console.warn(`[cognito-gate] skipping "${needs.name}": ${needs.skipMessage}`);
  describe(needs.name, () => {
    it.skip(needs.skipTitle, () => {});
  });
}
