import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/claims/index.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { runClaim } from '../../src/run/runner.js';

/**
 * A regression check of what each claim examines: the name and number of its checks in one
 * trial, the figures it reports (key and label) and the plots it draws, at the defaults, with
 * every size halved, and in the variants below that change which cases a claim builds. A check that silently disappears (a lost `checks.push`, a loop cut short) takes a
 * claim's teeth with it while every verdict stays `hold`; this catches it. The verdicts are not
 * recorded here — they come from computation in every other test.
 *
 * After a deliberate change to a claim's checks, review the diff and update the snapshot:
 *   npx vitest run tests/claims/inventory.test.ts -u
 */
function inventory(result: ClaimResult) {
  return {
    checks: Object.fromEntries(result.checks.map((c) => [c.name, c.count])),
    figures: result.example?.figures.map((f) => `${f.key}: ${f.label}`) ?? [],
    // A plot's layout, not its data: axes, series (label, role, points), markers, band and caption.
    plots:
      result.example?.plots?.map((p) => ({
        key: p.key,
        title: p.title,
        axes: `${p.x.label} (${p.x.scale}) × ${p.y.label} (${p.y.scale})`,
        series: p.series.map((s) => `${s.label} [${s.role}, ${s.x.length} points]`),
        markers: p.markers?.map((m) => m.label) ?? [],
        band: p.band?.label ?? null,
        caption: p.caption ?? null,
      })) ?? [],
  };
}

/** Options that change the set of cases: every activation at once (figures keyed per activation), each route. */
const VARIANTS: Readonly<Record<string, readonly Record<string, string>[]>> = {
  'rnn-equiv': [{ activation: 'all', dim: '3', steps: '4' }],
  vanish: [
    { activation: 'all', dim: '3', steps: '6', method: 'full' },
    { activation: 'all', dim: '3', steps: '6', method: 'matrix-free' },
    { dim: '70', steps: '3', method: 'auto' },
  ],
  momentum: [{ alpha: '0.5', epsilon: '0.1', steps: '20', samples: '20' }],
  taylor: [{ hessian: 'indefinite', dim: '2', epsilon: '0.01' }],
  weightnorm: [{ loss: 'logistic', steps: '5', dim: '2', batch: '3' }],
};

describe('the checks, figures and plots of one trial of every claim', () => {
  for (const command of COMMANDS) {
    it(`${command.name}, at the defaults and with every size halved`, () => {
      const defaults = command.prepare({}).params;
      const halved = Object.fromEntries(
        command.options
          .filter((spec) => spec.shrinkTo !== undefined)
          .map((spec) => [spec.key, String(Math.max(spec.shrinkTo as number, Math.ceil((defaults[spec.key] as number) / 2)))]),
      );
      const runs: Record<string, Record<string, ReturnType<typeof inventory>>> = {};
      const variants = (VARIANTS[command.name] ?? []).map((given) => [JSON.stringify(given), given] as const);
      for (const [label, given] of [['defaults', {}] as const, ['halved', halved] as const, ...variants]) {
        runs[label] = Object.fromEntries(command.prepare(given).claims.map((claim) => [claim.id, inventory(runClaim(claim, { seed: 1, trials: 1 }))]));
      }
      expect({ halved, runs }).toMatchSnapshot();
      // The homework's equations each claim checks: the audit maps the written answer through them.
      expect(command.claims.map((claim) => `${claim.id}: ${claim.equations.join(', ')}`)).toMatchSnapshot();
    });
  }
});
