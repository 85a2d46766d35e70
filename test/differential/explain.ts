/**
 * Judges the three answers to one case: a divergence is fine only when a row of divergences.ts
 * (or, for the cases we accept, an entry of LOOSER) recognises the input and says the peer does
 * exactly that. Anything else is reported, with the rows that were considered.
 */
import { DIVERGENCES, LOOSER, outcomeMatches } from './divergences.js';
import { isVerificationError, type Outcomes, PEERS } from './peers.js';
import { type CaseView, LOOSER_WITNESSES, WITNESSES } from './witnesses.js';

export interface Judgement {
  /** Divergences no row explains (empty when all is well). */
  readonly problems: readonly string[];
  /** Ids of the DIVERGENCES / LOOSER rows that explained something. */
  readonly explainedBy: readonly string[];
}

export function judge(view: CaseView, outcomes: Outcomes): Judgement {
  const problems: string[] = [];
  const explainedBy = new Set<string>();
  if (outcomes.ours.startsWith('unexpected:')) {
    problems.push(`cognito-gate failed internally (${outcomes.ours}): a bug, whatever the peers say`);
  }
  for (const peer of PEERS) {
    const theirs = outcomes[peer];
    if (outcomes.ours === 'accepts') {
      if (theirs === 'accepts') continue;
      const entry = LOOSER.find(
        (e) =>
          e.rejectedBy === peer &&
          outcomeMatches(e.peerOutcome, theirs) &&
          LOOSER_WITNESSES[e.id].applies(view),
      );
      if (entry === undefined) problems.push(`WE ARE LOOSER: cognito-gate accepts, ${peer} ${theirs}`);
      else explainedBy.add(entry.id);
    } else if (theirs === 'accepts') {
      const row = DIVERGENCES.find(
        (r) => r.ours === outcomes.ours && r[peer] === 'accepts' && WITNESSES[r.id].applies(view),
      );
      if (row === undefined)
        problems.push(`unexplained: cognito-gate says ${outcomes.ours}, ${peer} accepts`);
      else explainedBy.add(row.id);
    } else if (!isVerificationError(peer, theirs)) {
      // A crash rather than a verdict: explained by the input whatever our own code is.
      const id =
        DIVERGENCES.find((r) => outcomeMatches(r[peer], theirs) && WITNESSES[r.id].applies(view))?.id ??
        LOOSER.find(
          (e) =>
            e.rejectedBy === peer &&
            outcomeMatches(e.peerOutcome, theirs) &&
            LOOSER_WITNESSES[e.id].applies(view),
        )?.id;
      if (id === undefined)
        problems.push(`unexplained: ${peer} ${theirs}, which is not a verification error`);
      else explainedBy.add(id);
    }
  }
  return { problems, explainedBy: [...explainedBy] };
}

/** A case and its answers, for a failure message. */
export function describeCase(view: CaseView, outcomes: Outcomes): string {
  return [
    `token (${view.token.length} chars): ${JSON.stringify(view.token)}`,
    `header (lenient decode): ${JSON.stringify(view.header)}`,
    `payload (lenient decode): ${JSON.stringify(view.payload)}`,
    `JWKS members named by the kid: ${JSON.stringify(view.members)}`,
    `tokenUse: ${view.tokenUse}; now: ${view.nowSeconds}`,
    `cognito-gate: ${outcomes.ours}; aws-jwt-verify: ${outcomes.awsJwtVerify}; jose: ${outcomes.jose}`,
  ].join('\n');
}
