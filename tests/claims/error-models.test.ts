import { describe, expect, it } from 'vitest';
import { findCommand } from '../../src/claims/index.js';
import type { CheckSummary } from '../../src/claims/types.js';
import { runClaim } from '../../src/run/runner.js';

/**
 * Most checks allow, besides --rtol and --atol, a modelled rounding error: how far two exact
 * routes can drift apart in floating point, given the sizes involved. With `--rtol 0 --atol 0`
 * only that model is left, which tests it from both sides:
 * - it is enough: every check that has one still holds at the defaults;
 * - it is not vacuous: where the two sides differ at all, the observed difference is at least a
 *   millionth of what the model allows (a model inflated by a wrong operator is off by far more).
 * The checks listed below have no rounding model of their own and rely on the relative
 * tolerance: with both tolerances at zero they may fail, which is expected and not tested here.
 */
const TOLERANCE_ONLY = new Set([
  'premise λ₁(WᵀW) = δ²/γ² (W on the boundary)',
  '‖∂g_t/∂g_0‖ ≤ δ^t',
  '‖∂g_t/∂g_0‖ ≤ δ^t (Lanczos estimate ≤ the norm, at checkpoints)',
  '‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1',
  '‖W‖ ≤ 1/γ ⇒ ‖∂g_t/∂g_0‖ ≤ 1 (Lanczos estimate, at checkpoints)',
  'exploding witness: ‖∂g_t/∂g_0‖ = (σ′(z*)‖W‖)^t',
  'tight case: the estimate reaches ‖∂g_t/∂g_0‖ = δ^t',
  'W* is idempotent: W*·W* = W*',
  'W* u = 0 (as ‖W* u‖/‖u‖)',
  'trace W* = d − 1 (a projection onto a hyperplane)',
  '∇_u L ⊥ u (as uᵀ∇_u L/(|g|·‖∇_w L‖))',
]);

const SMALLEST_RATIO = 1e-6;

const RUNS: readonly [string, Record<string, string>][] = [
  ['rnn-equiv', {}],
  ['vanish', {}],
  ['vanish', { method: 'matrix-free', dim: '12', steps: '40' }],
  ['momentum', {}],
  ['taylor', {}],
  ['taylor', { dim: '3' }],
  ['weightnorm', {}],
];

describe('the rounding models alone, with --rtol 0 --atol 0', () => {
  // One test per run, computing inside it: work done in a beforeAll hook is credited to no test,
  // so mutation testing would not know this test covers the error models.
  it.each(RUNS)('%s %j: every check with a model holds, and no model is a million times the difference it covers', (name, options) => {
    const command = findCommand(name);
    if (command === undefined) throw new Error(`no command ${name}`);
    const run = command.prepare({ ...options, rtol: '0', atol: '0' });
    const checks: CheckSummary[] = run.claims.flatMap((claim) => runClaim(claim, { seed: 1, trials: claim.trials }).checks);
    const modelled = checks.filter((c) => !TOLERANCE_ONLY.has(c.name));
    expect(modelled.length).toBeGreaterThan(0);
    const failing = modelled.filter((c) => c.failed > 0).map((c) => `${c.name}: ${c.failed}/${c.count}, worst ratio ${c.worstRatio}`);
    expect(failing, 'the rounding models cover the rounding').toEqual([]);
    const loose = modelled
      .filter((c) => c.kind !== 'witness' && (c.worst?.error ?? 0) > 0)
      .filter((c) => !((c.worstRatio ?? 0) >= SMALLEST_RATIO))
      .map((c) => `${c.name}: worst ratio ${c.worstRatio}`);
    expect(loose, `a difference that is not zero is at least ${SMALLEST_RATIO} of the allowance`).toEqual([]);
  });
});
