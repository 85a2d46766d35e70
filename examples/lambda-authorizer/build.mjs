/**
 * Bundle the authorizer (src/handler.ts → dist/handler.mjs) and the API (src/api.ts → dist/api.mjs)
 * with esbuild: minified ESM for Node 20, one file each, nothing to install in the Lambda package.
 *
 * - `@cognito-gate/*` resolve to the workspace sources, so no `tsc` build is needed first.
 * - A JWKS is bundled when `jwks.json` exists here (or `JWKS_FILE` names a file):
 *     curl -o jwks.json https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json
 * - `OUT_DIR` changes the output folder (tests build into a temporary one).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const packages = path.resolve(here, '../../packages');
const outDir = path.resolve(here, process.env.OUT_DIR ?? 'dist');
const jwksFile = path.resolve(here, process.env.JWKS_FILE ?? 'jwks.json');

/** `@cognito-gate/<name>` → packages/<name>/src/index.ts */
const workspaceSources = {
  name: 'cognito-gate-sources',
  setup(b) {
    b.onResolve({ filter: /^@cognito-gate\/[a-z-]+$/ }, (args) => ({
      path: path.join(packages, args.path.slice('@cognito-gate/'.length), 'src/index.ts'),
    }));
  },
};

/** Replace src/bundled-jwks.ts with the JWKS file, when there is one. */
const bundledJwks = {
  name: 'bundled-jwks',
  setup(b) {
    if (!existsSync(jwksFile)) return;
    const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
    if (!Array.isArray(jwks?.keys)) throw new Error(`${jwksFile} is not a JWKS ({ "keys": [...] })`);
    b.onLoad({ filter: /[\\/]bundled-jwks\.ts$/ }, () => ({
      contents: `export const bundledJwks = ${JSON.stringify({ keys: jwks.keys })};`,
      loader: 'js',
    }));
  },
};

const entries = [
  ['src/handler.ts', 'handler.mjs'],
  ['src/api.ts', 'api.mjs'],
];

for (const [entry, file] of entries) {
  const outfile = path.join(outDir, file);
  await build({
    entryPoints: [path.join(here, entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    legalComments: 'none',
    plugins: [workspaceSources, bundledJwks],
    logLevel: 'warning',
  });
  const jwksNote = existsSync(jwksFile) ? ` (JWKS bundled from ${path.basename(jwksFile)})` : '';
  console.log(
    `${path.relative(here, outfile)}: ${statSync(outfile).size} bytes${entry === 'src/handler.ts' ? jwksNote : ''}`,
  );
}
