/**
 * `runDemo`: start a local Cognito-shaped issuer, run every scenario against every target, print the
 * tables and return the results. Targets run one after another, each with its own warm verifier;
 * a cold-start scenario gets a fresh target and verifier of its own, so the order of the scenarios
 * never changes an outcome.
 */
import { createTestIssuer, type TestIssuer } from '@cognito-gate/testing';
import { type Expected, parseRoute, SCENARIOS, type Scenario, stepFor, type TargetId } from './scenarios.js';
import { renderJson, renderReport } from './table.js';
import {
  defineTargets,
  demoVerifier,
  type ExampleApps,
  type Observed,
  type RunningTarget,
  type TargetDefinition,
} from './targets.js';

/** Where the demo writes: `process.stdout` or anything with `write`. */
export interface Output {
  write(chunk: string): unknown;
}

export interface RunDemoOptions {
  /** Default `process.stdout`. */
  readonly output?: Output;
  /** ANSI colours in the table. Default false. */
  readonly color?: boolean;
  /** `'table'` (default) or `'json'`. */
  readonly format?: 'table' | 'json';
  /** The script; default {@link SCENARIOS}. */
  readonly scenarios?: readonly Scenario[];
  /** The example applications; default: their builds, by package name. */
  readonly apps?: ExampleApps;
}

/** One scenario against one target. */
export interface ScenarioResult {
  readonly target: TargetId;
  readonly scenario: string;
  readonly title: string;
  /** `'GET /me'`, or `undefined` when the scenario does not apply. */
  readonly request: string | undefined;
  readonly expected: Expected | undefined;
  readonly observed: Observed | undefined;
  readonly outcome: 'pass' | 'fail' | 'n/a';
  /** Why it does not apply, or what went wrong sending it. */
  readonly detail?: string;
}

export interface DemoReport {
  /** True when every applicable outcome is the expected one. */
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly durationMs: number;
  readonly targets: readonly { readonly id: TargetId; readonly title: string; readonly source: string }[];
  readonly results: readonly ScenarioResult[];
}

/** The user pool the demo's issuer pretends to be. */
export const DEMO_USER_POOL_ID = 'us-east-1_DemoPool01';

/**
 * Runs the demo and prints it.
 *
 * @example
 * const report = await runDemo({ output: process.stdout, color: process.stdout.isTTY });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<DemoReport> {
  const started = performance.now();
  const apps = options.apps ?? (await import('./apps.js')).exampleApps;
  const scenarios = options.scenarios ?? SCENARIOS;
  const targets = defineTargets(apps);
  const issuer = await createTestIssuer({ userPoolId: DEMO_USER_POOL_ID });
  await issuer.listen();
  const results: ScenarioResult[] = [];
  try {
    for (const target of targets) results.push(...(await runTarget(target, issuer, scenarios)));
  } finally {
    await issuer.close();
  }
  const count = (outcome: ScenarioResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const report: DemoReport = {
    ok: count('fail') === 0,
    passed: count('pass'),
    failed: count('fail'),
    notApplicable: count('n/a'),
    durationMs: Math.round(performance.now() - started),
    targets: targets.map(({ id, title, source }) => ({ id, title, source })),
    results,
  };
  const output = options.output ?? process.stdout;
  output.write(
    options.format === 'json' ? renderJson(report) : renderReport(report, { color: options.color ?? false }),
  );
  return report;
}

async function runTarget(
  target: TargetDefinition,
  issuer: TestIssuer,
  scenarios: readonly Scenario[],
): Promise<ScenarioResult[]> {
  const verifier = await demoVerifier(issuer, 'warm');
  const warm = await target.start(verifier);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) results.push(await runScenario(target, warm, issuer, scenario));
  } finally {
    await warm.close();
    verifier.close();
  }
  return results;
}

async function runScenario(
  target: TargetDefinition,
  warm: RunningTarget,
  issuer: TestIssuer,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const base = { target: target.id, scenario: scenario.id, title: scenario.title };
  const step = stepFor(scenario, target.kind);
  if ('notApplicable' in step) {
    return {
      ...base,
      request: undefined,
      expected: undefined,
      observed: undefined,
      outcome: 'n/a',
      detail: step.notApplicable,
    };
  }
  const result = { ...base, request: step.route, expected: step.expect };
  try {
    const observed = await send(target, warm, issuer, scenario, step.route);
    return { ...result, observed, outcome: matches(step.expect, observed) ? 'pass' : 'fail' };
  } catch (error) {
    // A target that cannot be reached is a failed outcome, shown in the table, not a crash.
    const detail = error instanceof Error ? error.message : String(error);
    return { ...result, observed: undefined, outcome: 'fail', detail };
  }
}

async function send(
  target: TargetDefinition,
  warm: RunningTarget,
  issuer: TestIssuer,
  scenario: Scenario,
  route: string,
): Promise<Observed> {
  const { method, path } = parseRoute(route);
  const authorization = await scenario.authorization(issuer);
  const cold = scenario.verifier === 'cold' ? await demoVerifier(issuer, 'cold') : undefined;
  const running = cold === undefined ? warm : await target.start(cold);
  if (scenario.jwks === 'down') await issuer.server.setFault({ type: 'down' });
  try {
    return await running.send({ method, path, authorization });
  } finally {
    if (scenario.jwks === 'down') await issuer.server.setFault(null);
    if (cold !== undefined) {
      await running.close();
      cold.close();
    }
  }
}

/** The status must be the expected one, and so must the code (none expected: none given). */
function matches(expected: Expected, observed: Observed): boolean {
  return observed.status === expected.status && (observed.code ?? null) === (expected.code ?? null);
}
