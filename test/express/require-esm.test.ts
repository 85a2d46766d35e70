import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package is ESM only; Node 20.19+ loads it with require(). This runs against the BUILT package
// (`npm run build`, as CI does before testing), since vitest itself imports the TypeScript source.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = ['packages/core/dist/index.js', 'packages/express/dist/index.js'].every((file) =>
  existsSync(`${ROOT}${file}`),
);

const SCRIPT = `
const { cognitoAuth, requireAuth, AuthError } = require('@cognito-gate/express');
const auth = cognitoAuth({ userPoolId: 'us-east-1_Abc123', clientId: 'client', jwks: { keys: { keys: [] }, fetch: false } });
process.stdout.write(JSON.stringify([typeof auth, typeof requireAuth({ groups: 'admin' }), new AuthError('expired').status]));
`;

describe('CommonJS users', () => {
  if (!BUILT) console.warn('[cognito-gate] skipping the require() test: run `npm run build` first');

  it.skipIf(!BUILT)('can require() the built package on Node >= 20.19', () => {
    const output = execFileSync(process.execPath, ['-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });

    expect(JSON.parse(output)).toEqual(['function', 'function', 401]);
  });
});
