/**
 * User pool identity: pool id syntax, the two issuer forms a pool signs with (regional, and the
 * global form used with multi-Region replication, spec §1.1) and the JWKS URL of each issuer.
 */

// Same rule as aws-jwt-verify 5.2.1 (EU Sovereign Cloud regions start with `eusc-`).
const POOL_ID = /^((?:eusc-[a-z]{2}|[a-z]{2})-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/;

/** The region of a user pool id, or `undefined` when the id is not well-formed. */
export function poolRegion(userPoolId: string): string | undefined {
  return POOL_ID.exec(userPoolId)?.[1];
}

/**
 * The DNS suffix of a region's partition: the China regions (`aws-cn`) live under
 * `amazonaws.com.cn`; the other partitions we know Cognito issuers for (commercial, GovCloud) under
 * `amazonaws.com`. Anything else can be configured with an explicit `jwksUri`.
 */
export function partitionDomain(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** `https://cognito-idp.{region}.{partition domain}/{userPoolId}` */
export function regionalIssuer(userPoolId: string, region: string): string {
  return `https://cognito-idp.${region}.${partitionDomain(region)}/${userPoolId}`;
}

/** `https://issuer-cognito-idp.{region}.{partition domain}/{userPoolId}` */
export function globalIssuer(userPoolId: string, region: string): string {
  return `https://issuer-cognito-idp.${region}.${partitionDomain(region)}/${userPoolId}`;
}

/** Where an issuer publishes its keys. */
export function jwksUriOf(issuer: string): string {
  return `${issuer}/.well-known/jwks.json`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** True for hosts whose traffic never leaves the machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const NO_HOSTS: ReadonlySet<string> = new Set();

/**
 * Why a JWKS URL is refused, or `undefined` when it is acceptable: https everywhere, plain http only
 * on loopback (local emulators and tests) or on the development hosts the application named in
 * `insecureHttpHosts`, and no credentials in the URL.
 */
export function jwksUriProblem(
  uri: string,
  insecureHosts: ReadonlySet<string> = NO_HOSTS,
): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (isLoopbackHost(url.hostname) || insecureHosts.has(url.hostname))) {
    return undefined;
  }
  return insecureHosts.size === 0
    ? 'must use https (plain http is allowed only for loopback hosts)'
    : 'must use https (plain http is allowed only for loopback hosts and insecureHttpHosts)';
}

/**
 * Why an `issuer` override is refused, or `undefined`: the same scheme and host rule as a JWKS URL
 * (an emulator's issuer names the host that serves its keys), and nothing a token's `iss` could not
 * equal exactly (query, fragment).
 */
export function issuerOverrideProblem(
  issuer: unknown,
  insecureHosts: ReadonlySet<string> = NO_HOSTS,
): string | undefined {
  if (typeof issuer !== 'string' || issuer.length === 0) return 'must be a non-empty string';
  const problem = jwksUriProblem(issuer, insecureHosts);
  if (problem !== undefined) return problem;
  const url = new URL(issuer);
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    return 'must not have a query or fragment';
  }
  return undefined;
}
