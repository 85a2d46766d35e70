/**
 * The small primes of the ROCA fingerprint test (Nemec et al.): tests build 2048-bit moduli with a
 * chosen residue modulo their product.
 */
export const ROCA_PRIMES: readonly bigint[] = [
  3n,
  5n,
  7n,
  11n,
  13n,
  17n,
  19n,
  23n,
  29n,
  31n,
  37n,
  41n,
  43n,
  47n,
  53n,
  59n,
  61n,
  67n,
  71n,
  73n,
  79n,
  83n,
  89n,
  97n,
  101n,
  103n,
  107n,
  109n,
  113n,
  127n,
  131n,
  137n,
  139n,
  149n,
  151n,
  157n,
  163n,
  167n,
];

/** The product of {@link ROCA_PRIMES}. */
export const ROCA_M = ROCA_PRIMES.reduce((a, b) => a * b, 1n);

/** A 2048-bit number congruent to `residue` modulo {@link ROCA_M}. */
export function withRocaResidue(residue: bigint): bigint {
  return ROCA_M * ((1n << 2047n) / ROCA_M + 2n) + residue;
}
