/**
 * A JWKS shipped inside the bundle, so a cold start verifies tokens without downloading the pool's
 * keys. This module is a placeholder: when `jwks.json` exists next to package.json (or `JWKS_FILE`
 * names a file), `build.mjs` replaces it with that file's contents. Without one, keys are fetched
 * at init (`hydrate()`) and refreshed as usual.
 */
export const bundledJwks: { readonly keys: readonly unknown[] } | undefined = undefined;
