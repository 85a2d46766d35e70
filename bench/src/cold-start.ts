/**
 * Cold start: bundle the Lambda authorizer example with esbuild (minified, as deployed) next to a
 * bundle of aws-jwt-verify alone, then time a fresh `import()` of each in new processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { median } from './measure.js';

export interface ColdStartResult {
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
}

const root = new URL('../../', import.meta.url).pathname;
const sourceAlias = Object.fromEntries(
  ['core', 'lambda', 'testing'].map((name) => [
    `@cognito-gate/${name}`,
    join(root, `packages/${name}/src/index.ts`),
  ]),
);

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    alias: sourceAlias,
    // The peer's entry is written to a temporary folder: resolve packages from the repository.
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

function importTime(file: string, runs = 7): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  const times = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        // What the handler reads at init; no JWKS fetch, so only loading and setup are timed.
        env: {
          ...process.env,
          USER_POOL_ID: 'us-east-1_BenchPool1',
          CLIENT_ID: 'benchclient',
          HYDRATE_JWKS: 'false',
        },
      }),
    ),
  );
  return median(times);
}

export async function runColdStart(): Promise<ColdStartResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-gate-cold-'));
  const peerEntry = join(dir, 'aws-entry.mjs');
  writeFileSync(peerEntry, "export { CognitoJwtVerifier } from 'aws-jwt-verify';\n");
  const entries = [
    {
      name: 'examples/lambda-authorizer (cognito-gate)',
      entry: join(root, 'examples/lambda-authorizer/src/handler.ts'),
    },
    { name: 'aws-jwt-verify alone', entry: peerEntry },
  ];
  const results: ColdStartResult[] = [];
  for (const { name, entry } of entries) {
    const outfile = join(dir, `${results.length}.mjs`);
    const bytes = await bundle(entry, outfile);
    results.push({ name, bytes, importMs: importTime(outfile) });
  }
  return results;
}
