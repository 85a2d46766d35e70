/**
 * IAM resource globs as authorizer policies use them: `*` matches any run of characters, `/`
 * included, and everything else is literal (we never write `?`). Route rules are checked locally
 * with exactly these semantics, so a decision made here and the one IAM makes on a cached policy
 * agree. `SEGMENT` is ours, never written in a policy: a wildcard that stays within one path
 * segment, for reading HTTP API route keys (`{id}` matches `1`, not `1/admin`).
 */

/** A wildcard for any run of characters but `/`; only in route-key globs, never in policies. */
export const SEGMENT = '\u0000';

function isWildcard(char: string | undefined): boolean {
  return char === '*' || char === SEGMENT;
}

/** Can wildcard `star` produce `char`? */
function produces(star: string, char: string): boolean {
  return star === '*' || char !== '/';
}

/**
 * A regular expression matching what any of `globs` matches.
 *
 * @example
 * globRegExp(['GET/orders/*']).test('GET/orders/1/items') // true
 */
export function globRegExp(globs: readonly string[]): RegExp {
  const alternatives = globs.map((glob) =>
    glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 's');
}

/**
 * True when some string matches both globs (`*` and `SEGMENT` wildcards). Used to find every rule
 * a request of an HTTP API route could meet, without seeing the request. O(length × length), no
 * backtracking.
 *
 * @example
 * globsOverlap('GET/orders/*', '*\/orders/1') // true
 * globsOverlap('GET/orders/*', 'POST/*')      // false
 */
export function globsOverlap(a: string, b: string): boolean {
  // reachable[j]: some string is matched by both a[0..i) and b[0..j) (row i of the table).
  let reachable = new Array<boolean>(b.length + 1).fill(false);
  reachable[0] = true;
  // Past the end b[j - 1] is undefined, which is not a wildcard.
  for (let j = 1; isWildcard(b[j - 1]); j++) reachable[j] = true;
  for (let i = 1; i <= a.length; i++) {
    // Every cell is written below.
    const next = new Array<boolean>(b.length + 1);
    const charA = a[i - 1]!;
    next[0] = isWildcard(charA) && reachable[0] === true;
    for (let j = 1; j <= b.length; j++) {
      const charB = b[j - 1]!;
      if (isWildcard(charA)) {
        // a's wildcard ends here, or also produces b's last character (when that is a wildcard too,
        // it always can: a wildcard is never '/').
        next[j] = reachable[j] === true || (produces(charA, charB) && next[j - 1] === true);
      } else if (isWildcard(charB)) {
        next[j] = next[j - 1] === true || (produces(charB, charA) && reachable[j] === true);
      } else {
        next[j] = charA === charB && reachable[j - 1] === true;
      }
    }
    reachable = next;
  }
  return reachable[b.length] === true;
}
