import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { boundCheck } from '../../src/claims/checks.js';
import type { PreparedClaim } from '../../src/claims/types.js';
import { humanReport } from '../../src/report/human.js';
import { jsonReport } from '../../src/report/json.js';
import { summarize, type RunReport } from '../../src/report/types.js';
import { runClaim } from '../../src/run/runner.js';

const failing: PreparedClaim = {
  id: '9.9',
  command: 'demo',
  title: 'x ≤ 0.5 for x in [0, 1) (false)',
  equations: [],
  trials: 20,
  trial: (rng) => ({ checks: [boundCheck('x ≤ 0.5', 'random x', rng.uniform(), 0.5, { rtol: 0, atol: 0 })] }),
  replayArgs: [],
};

function reportOf(claim: PreparedClaim): RunReport {
  const result = runClaim(claim, { seed: 2 });
  return {
    tool: 'hwcheck',
    schemaVersion: 1,
    version: '0.0.0',
    command: 'demo',
    seed: 2,
    trials: null,
    trial: null,
    options: { only: null, shard: null, maxTime: null, shrink: true },
    parameters: { demo: { size: 3 } },
    claims: [result],
    summary: summarize([result], 1),
  };
}

describe('human report', () => {
  it('shows a failure with its counterexample, seed and replay command', () => {
    const text = humanReport(reportOf(failing), { chalk: new Chalk({ level: 0 }), timing: false });
    expect(text).toMatch(/✘ 9\.9 +FAIL/);
    expect(text).toMatch(/counterexample \[bound-exceeded\] trial \d+ \(seed hwcheck\/2\/9\.9\/\d+\)/);
    expect(text).toMatch(/replay: hwcheck demo --seed 2 --only 9\.9 --trial \d+/);
    expect(text).toContain('1 claim: 0 hold, 1 fail, 0 error');
  });

  it('has no escape codes at colour level 0 and some at level 1', () => {
    expect(humanReport(reportOf(failing), { chalk: new Chalk({ level: 0 }), timing: false })).not.toContain('\u001b[');
    expect(humanReport(reportOf(failing), { chalk: new Chalk({ level: 1 }), timing: false })).toContain('\u001b[');
  });

  it('shows times only when asked', () => {
    expect(humanReport(reportOf(failing), { chalk: new Chalk({ level: 0 }), timing: true })).toMatch(/\d+ ms/);
    expect(humanReport(reportOf(failing), { chalk: new Chalk({ level: 0 }), timing: false })).not.toMatch(/\d+ ms/);
  });
});

describe('json report', () => {
  it('is one parseable document carrying the failure', () => {
    const parsed = JSON.parse(jsonReport(reportOf(failing)));
    expect(parsed.claims[0].verdict).toBe('fail');
    expect(parsed.claims[0].failure.code).toBe('bound-exceeded');
    expect(parsed.summary).toEqual({ hold: 0, fail: 1, error: 0, ms: 1 });
  });
});
