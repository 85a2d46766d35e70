/**
 * The README's four quickstarts, as a consumer would paste them: the first TypeScript block under
 * each "### …" heading of "## Quickstart". The only edit is the port: `listen(3000)` becomes
 * `process.env.PORT`, so the check can run them side by side on free ports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADINGS = {
  express: '### Express',
  fastify: '### Fastify',
  lambda: '### Lambda authorizer (API Gateway)',
  standalone: '### Standalone (any framework, or none)',
};

function firstTypeScriptBlock(text, heading) {
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}" section`);
  const open = text.indexOf('```ts\n', start);
  const close = text.indexOf('\n```', open + 6);
  if (open === -1 || close === -1) throw new Error(`README.md "${heading}" has no ts block`);
  return text.slice(open + 6, close + 1);
}

function onEnvPort(code, name) {
  const edited = code
    .replace(/\.listen\(3000\)/g, '.listen(Number(process.env.PORT))')
    .replace(/\.listen\(\{ port: 3000 \}\)/g, '.listen({ port: Number(process.env.PORT) })');
  if (name !== 'lambda' && edited === code)
    throw new Error(`the ${name} quickstart no longer listens on 3000`);
  return edited;
}

/** `{ express, fastify, lambda, standalone }`: TypeScript source of each quickstart. */
export function readQuickstarts(root) {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  return Object.fromEntries(
    Object.entries(HEADINGS).map(([name, heading]) => [
      name,
      onEnvPort(firstTypeScriptBlock(text, heading), name),
    ]),
  );
}
