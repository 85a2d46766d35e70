/**
 * Marks every package's CommonJS build as CommonJS. The packages are `"type": "module"`, so Node
 * would read `dist/cjs/*.js` as ESM without a nearer package.json saying otherwise; TypeScript reads
 * the same marker to type the `require` entry points. Run after `tsc -b` (`npm run build` does).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CJS_MARKER = '{\n  "type": "commonjs"\n}\n';

/** Writes the marker into `<packageDir>/dist/cjs` when that build exists; true when it did. */
export function markCommonJs(packageDir) {
  const cjs = join(packageDir, 'dist', 'cjs');
  if (!existsSync(cjs)) return false;
  writeFileSync(join(cjs, 'package.json'), CJS_MARKER);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packages = fileURLToPath(new URL('../packages/', import.meta.url));
  for (const name of readdirSync(packages)) markCommonJs(join(packages, name));
}
