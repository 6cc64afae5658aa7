import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/claims/index.js';
import type { ClaimResult } from '../../src/claims/types.js';
import { runClaim } from '../../src/run/runner.js';

/**
 * A regression check of what each claim examines: the name and number of its checks in one
 * trial, the figures it reports and the plots it draws, at the defaults and with every size
 * halved. A check that silently disappears (a lost `checks.push`, a loop cut short) takes a
 * claim's teeth with it while every verdict stays `hold`; this catches it. The verdicts are not
 * recorded here — they come from computation in every other test.
 *
 * After a deliberate change to a claim's checks, review the diff and update the snapshot:
 *   npx vitest run tests/claims/inventory.test.ts -u
 */
function inventory(result: ClaimResult) {
  return {
    checks: Object.fromEntries(result.checks.map((c) => [c.name, c.count])),
    figures: result.example?.figures.map((f) => f.key) ?? [],
    plots: result.example?.plots?.map((p) => p.key) ?? [],
  };
}

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
      for (const [label, given] of [
        ['defaults', {}],
        ['halved', halved],
      ] as const) {
        runs[label] = Object.fromEntries(command.prepare(given).claims.map((claim) => [claim.id, inventory(runClaim(claim, { seed: 1, trials: 1 }))]));
      }
      expect({ halved, runs }).toMatchSnapshot();
    });
  }
});
