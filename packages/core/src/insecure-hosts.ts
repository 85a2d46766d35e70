/**
 * `insecureHttpHosts`: the explicit, loud opt-in for plain-http JWKS and issuer URLs on named
 * development hosts (a LocalStack hostname, a docker-compose service, `host.docker.internal`).
 * Loopback http needs no opt-in. The opt-in is refused under `NODE_ENV=production`, and each host is
 * announced once per process with a console warning, so it cannot slip into a deployment unseen.
 */

/** Hosts already announced by this process. */
const announced = new Set<string>();

/**
 * The validated host names, lower-cased, or a problem message. A host is a bare name or address as
 * a URL would carry it (`cognito-local`, `localhost.localstack.cloud`, `10.0.0.5`, `[fd00::1]`): no
 * scheme, port, path, credentials or wildcard.
 */
export function parseInsecureHttpHosts(
  value: unknown,
  env: string | undefined,
): { readonly hosts: ReadonlySet<string> } | { readonly problem: string } {
  if (value === undefined) return { hosts: new Set() };
  if (!Array.isArray(value)) return { problem: 'insecureHttpHosts must be an array of host names' };
  const hosts = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'string' || !isBareHost(entry)) {
      return {
        problem: `insecureHttpHosts entries must be bare host names such as "cognito-local" (got ${JSON.stringify(entry)})`,
      };
    }
    hosts.add(entry.toLowerCase());
  }
  if (hosts.size > 0 && env === 'production') {
    return {
      problem:
        'insecureHttpHosts is for local development and is refused when NODE_ENV is "production": serve the JWKS over https',
    };
  }
  return { hosts };
}

function isBareHost(entry: string): boolean {
  if (
    entry.length === 0 ||
    entry.length > 253 ||
    /[\s/@:*?#\\]/.test(entry.replace(/^\[[0-9a-f:.]+\]$/i, 'v6'))
  ) {
    return false;
  }
  try {
    return new URL(`http://${entry}`).hostname === entry.toLowerCase();
  } catch {
    return false;
  }
}

/** Warn once per process for each host that plain http is now trusted for. */
export function announceInsecureHttpHosts(
  hosts: ReadonlySet<string>,
  warn: (message: string) => void = console.warn,
): void {
  const fresh = [...hosts].filter((host) => !announced.has(host));
  if (fresh.length === 0) return;
  for (const host of fresh) announced.add(host);
  warn(
    `[cognito-gate] WARNING: plain-http JWKS and issuer URLs are accepted for ${fresh.join(', ')} ` +
      '(insecureHttpHosts). Anyone on that network path can forge tokens: use this for local emulators only.',
  );
}
