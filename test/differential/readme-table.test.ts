/**
 * The README's "Rejected here, while aws-jwt-verify 5.2.1 or jose 6 accepts them" table is
 * generated from divergences.ts, and every row is true: its example tokens get exactly the row's
 * answers from cognito-gate, aws-jwt-verify 5.2.1 and jose 6.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeShared, readShared } from '../support/shared.js';
import { DIVERGENCES, type Divergence, divergenceTable, outcomeMatches } from './divergences.js';
import { getKeyring } from './keyring.js';
import { runPeers, useFakeDate } from './peers.js';
import { buildToken, cognitoClaims } from './tokens.js';
import { type Example, type ExampleContext, viewOf, WITNESSES } from './witnesses.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- divergences:start -->';
const END = '<!-- divergences:end -->';

beforeAll(useFakeDate);
afterAll(() => {
  vi.useRealTimers();
});

describe('the README table of divergences', () => {
  it('is the one divergences.ts generates', () => {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    expect(start, `README.md must hold ${START} … ${END} around the table`).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    expect(text.indexOf(START, start + 1), 'one table only').toBe(-1);
    const expected = divergenceTable();
    const actual = text.slice(start + START.length, end).trim();
    if (actual !== expected) {
      throw new Error(
        `README.md's divergence table is out of date. Replace the text between ${START} and ${END} with:\n\n${expected}\n`,
      );
    }
  });

  it('has unique ids, an example for every row, and says what each peer does', () => {
    expect(new Set(DIVERGENCES.map((row) => row.id)).size).toBe(DIVERGENCES.length);
    for (const row of DIVERGENCES as readonly Divergence[]) {
      expect(WITNESSES[row.id as keyof typeof WITNESSES].examples.length, row.id).toBeGreaterThan(0);
      // A row is a divergence: some peer accepts, or answers with something other than a verdict.
      expect(
        [row.awsJwtVerify, row.jose].some((o) => o === 'accepts' || /Error$/.test(o)),
        row.id,
      ).toBe(true);
    }
  });
});

function checkRow(row: Divergence, example: Example, context: () => ExampleContext): void {
  it(`${row.id}: ${example.name}`, async () => {
    const c = example.build(context());
    expect(c, 'the example needs ../shared').toBeDefined();
    const outcomes = await runPeers(c!);
    const answers = { ours: outcomes.ours, awsJwtVerify: outcomes.awsJwtVerify, jose: outcomes.jose };
    expect(
      answers.ours === row.ours &&
        outcomeMatches(row.awsJwtVerify, answers.awsJwtVerify) &&
        outcomeMatches(row.jose, answers.jose),
      `row says ${JSON.stringify({ ours: row.ours, awsJwtVerify: row.awsJwtVerify, jose: row.jose })}, peers answered ${JSON.stringify(answers)}`,
    ).toBe(true);
    // The property in peers.test.ts relies on the row's predicate to recognise its input.
    expect(WITNESSES[row.id as keyof typeof WITNESSES].applies(viewOf(c!)), 'predicate').toBe(true);
  });
}

const needsShared = (row: Divergence) => row.id === 'roca';

describe('every row is true of the real peers', () => {
  const context = () => ({ keys: getKeyring(), rocaJwk: undefined });
  for (const row of DIVERGENCES as readonly Divergence[]) {
    if (needsShared(row)) continue;
    for (const example of WITNESSES[row.id as keyof typeof WITNESSES].examples)
      checkRow(row, example, context);
  }

  it('tokens respelled above U+00FF are no divergence: all three refuse them', async () => {
    // Node's base64 decoder reads such a character as its low byte, so `A` and `\u0141` decode alike;
    // aws-jwt-verify's token pattern and jose's atob both refuse the character outright.
    const keys = getKeyring();
    const token = buildToken({
      header: { alg: 'RS256', kid: keys.good.kid },
      payload: cognitoClaims('access'),
      signer: keys.good,
    });
    for (const at of [5, token.indexOf('.') + 5, token.lastIndexOf('.') + 5]) {
      const respelled =
        token.slice(0, at) + String.fromCharCode(token.charCodeAt(at) + 0x100) + token.slice(at + 1);
      expect(Buffer.from(respelled.split('.')[0]!, 'base64url')).toEqual(
        Buffer.from(token.split('.')[0]!, 'base64url'),
      );
      const outcomes = await runPeers({
        token: respelled,
        jwks: { keys: [keys.good.jwk] },
        tokenUse: 'access',
      });
      expect([outcomes.ours, outcomes.awsJwtVerify, outcomes.jose]).toEqual([
        'malformed_token',
        'throws JwtParseError',
        'throws ERR_JWS_INVALID',
      ]);
    }
  });
});

interface WycheproofGroup {
  comment: string;
  private: { keys: Record<string, unknown>[] };
}

describeShared('rows whose example is in ../shared (Wycheproof json_web_key_test.json)', () => {
  const context = () => ({
    keys: getKeyring(),
    rocaJwk: readShared<{ testGroups: WycheproofGroup[] }>(
      'vectors/wycheproof/json_web_key_test.json',
    ).testGroups.find((g) => g.comment === 'jws_rsa_roca_key')?.private.keys[0],
  });
  for (const row of DIVERGENCES as readonly Divergence[]) {
    if (!needsShared(row)) continue;
    for (const example of WITNESSES[row.id as keyof typeof WITNESSES].examples)
      checkRow(row, example, context);
  }
});
