/**
 * `combineVerifiers`: one `Verifier` over several, each owning its issuers. A token is routed by its
 * (not yet verified) `iss` to the one verifier that declared that exact issuer, which then verifies
 * it with its own settings only: its algorithms, key policy, JWKS, audiences and claim checks. A
 * forged `iss` can therefore only choose which strict verifier rejects the token; it can never make
 * one issuer's token verify under another's keys or rules. An `iss` nobody declared is
 * `invalid_issuer`; two verifiers declaring the same issuer are refused at construction.
 *
 * Routing reads `iss` by decoding the token once more than a single verifier would (a few
 * microseconds); the verifiers themselves are untouched, so a Cognito verifier used alone pays
 * nothing for this.
 */
import { parseBearer } from './bearer.js';
import { decodeToken } from './decode.js';
import { AuthError } from './errors.js';
import type { HydrateResult } from './jwks-cache.js';
import { fail, nonNegativeNumber, rejectUnknownKeys } from './options.js';
import type { AuthRules, CompiledRules } from './rules.js';
import type { CognitoClaims, JwtPayload, VerifiedToken } from './types.js';
import { type HydrateReport, rejectAsAuthError, toAuthError, type Verifier } from './verifier.js';

export interface CombineOptions {
  /** Longest token decoded for routing. Default 16384 characters (each verifier applies its own cap too). */
  readonly maxTokenLength?: number;
}

class CombinedVerifier implements Verifier {
  readonly #routes: ReadonlyMap<string, Verifier>;
  readonly #verifiers: readonly Verifier[];
  readonly #maxTokenLength: number;
  readonly issuers: readonly string[];

  constructor(verifiers: readonly Verifier[], options: CombineOptions) {
    if (!Array.isArray(verifiers) || verifiers.length === 0)
      fail('combineVerifiers needs a non-empty array of verifiers');
    if (typeof options !== 'object' || options === null) fail('combineVerifiers options must be an object');
    rejectUnknownKeys(options, new Set(['maxTokenLength']), 'combineVerifiers options');
    this.#maxTokenLength = nonNegativeNumber(options.maxTokenLength, 'maxTokenLength', 16 * 1024);
    if (new Set(verifiers).size !== verifiers.length) fail('the same verifier is combined twice');
    const routes = new Map<string, Verifier>();
    for (const [index, verifier] of verifiers.entries()) {
      const issuers = (verifier as Verifier | null)?.issuers;
      if (!Array.isArray(issuers) || issuers.some((iss) => typeof iss !== 'string'))
        fail(`verifier ${index} does not declare its issuers (use createVerifier or createOidcVerifier)`);
      for (const issuer of issuers) {
        if (routes.has(issuer)) fail(`issuer ${issuer} is configured in two verifiers`);
        routes.set(issuer, verifier);
      }
    }
    this.#routes = routes;
    this.#verifiers = Object.freeze([...verifiers]);
    this.issuers = Object.freeze([...routes.keys()]);
  }

  get jwksUris(): readonly string[] {
    return Object.freeze([...new Set(this.#verifiers.flatMap((v) => v.jwksUris))]);
  }

  get cachedTokens(): number {
    return this.#verifiers.reduce((sum, v) => sum + v.cachedTokens, 0);
  }

  /** The verifier owning the token's `iss`; throws `malformed_token` or `invalid_issuer`. */
  #route(token: string): Verifier {
    const iss = decodeToken(token, this.#maxTokenLength).payload.iss;
    const verifier = typeof iss === 'string' ? this.#routes.get(iss) : undefined;
    if (verifier === undefined) throw new AuthError('invalid_issuer', { detail: 'issuer not configured' });
    return verifier;
  }

  verify<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>> {
    let verifier: Verifier;
    try {
      verifier = this.#route(token);
    } catch (error) {
      return rejectAsAuthError(error);
    }
    return verifier.verify<C>(token, rules);
  }

  verifyDirect<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C> | Promise<VerifiedToken<C>> {
    let verifier: Verifier;
    try {
      verifier = this.#route(token);
    } catch (error) {
      throw toAuthError(error);
    }
    return verifier.verifyDirect<C>(token, rules);
  }

  verifySync<C extends JwtPayload = CognitoClaims>(
    token: string,
    rules?: AuthRules | CompiledRules,
  ): VerifiedToken<C> {
    let verifier: Verifier;
    try {
      verifier = this.#route(token);
    } catch (error) {
      throw toAuthError(error);
    }
    return verifier.verifySync<C>(token, rules);
  }

  verifyAuthorization<C extends JwtPayload = CognitoClaims>(
    header: string | readonly string[] | undefined | null,
    rules?: AuthRules | CompiledRules,
  ): Promise<VerifiedToken<C>> {
    let token: string;
    try {
      token = parseBearer(header);
    } catch (error) {
      return rejectAsAuthError(error);
    }
    return this.verify<C>(token, rules);
  }

  async hydrate(): Promise<HydrateReport> {
    const reports = await Promise.all(this.#verifiers.map((v) => v.hydrate()));
    const results: HydrateResult[] = reports.flatMap((r) => r.results);
    return { ok: reports.every((r) => r.ok), results };
  }

  close(): void {
    for (const verifier of this.#verifiers) verifier.close();
  }
}

/**
 * Accept tokens from several issuers: typically a Cognito verifier and one `createOidcVerifier` per
 * other provider. Each token goes to the verifier that declared its exact `iss`, and only to it.
 *
 * @example
 * const verifier = combineVerifiers([
 *   createVerifier({ userPoolId: 'us-east-1_Abc123', clientId: 'app-client-id' }),
 *   createOidcVerifier({ issuer: 'https://login.partner.example', audience: 'api', algorithms: ['RS256'] }),
 * ]);
 * app.use(cognitoAuth({ verifier }));
 */
export function combineVerifiers(verifiers: readonly Verifier[], options: CombineOptions = {}): Verifier {
  return new CombinedVerifier(verifiers, options);
}
