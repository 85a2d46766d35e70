/**
 * `prepack` of every published package: build it from nothing, so a tarball never ships an empty
 * `dist` (unbuilt checkout) or files left over from deleted sources. Runs in the package directory.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markCommonJs } from './cjs-markers.mjs';

const dir = process.cwd();
for (const stale of ['dist', 'tsconfig.tsbuildinfo', 'tsconfig.cjs.tsbuildinfo']) {
  rmSync(`${dir}/${stale}`, { recursive: true, force: true });
}
// The compiler of the repository (node_modules at the root), whatever npm put on PATH.
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
execFileSync(process.execPath, [tsc, '-b', 'tsconfig.json', 'tsconfig.cjs.json'], {
  cwd: dir,
  stdio: 'inherit',
});
markCommonJs(dir);
