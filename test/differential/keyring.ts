/**
 * The keys every differential suite signs with, generated once per test file: two good RSA keys,
 * and one of each kind the key policy refuses (small, e = 3, e = 1, EC) that a peer may still use.
 */
import { ecKey, eOneForger, renamed, rsaKey, type Signer } from './tokens.js';

export interface Keyring {
  readonly good: Signer;
  readonly other: Signer;
  readonly small: Signer;
  readonly eThree: Signer;
  readonly eOne: Signer;
  readonly ec: Signer;
  /** `good` under a 300-character kid. */
  readonly longKid: Signer;
}

let keyring: Keyring | undefined;

export function getKeyring(): Keyring {
  if (keyring !== undefined) return keyring;
  const good = rsaKey('k-good');
  keyring = {
    good,
    other: rsaKey('k-other'),
    small: rsaKey('k-1024', 1024),
    eThree: rsaKey('k-e3', 2048, 3),
    eOne: eOneForger('k-e1', good),
    ec: ecKey('k-ec'),
    longKid: renamed(good, `k-${'l'.repeat(298)}`),
  };
  return keyring;
}
