import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_COMMANDS } from '../../fixtures/broken-registry.js';
import type { ClaimResult, Plot } from '../../src/claims/types.js';
import { plotRows, plotSpecification, symlogTicks } from '../../src/report/html.js';
import { runCli, temporaryDirectory } from '../helpers.js';

/** Every match of a pattern with a capture group. */
const all = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1] ?? '');

describe('the HTML report of hwcheck all', () => {
  let html = '';
  let claims: ClaimResult[] = [];

  beforeAll(async () => {
    const file = join(temporaryDirectory(), 'report.html');
    const run = await runCli(['all', '--trials', '1', '--json', '--reporter', `html=${file}`]);
    expect(run.code).toBe(0);
    claims = JSON.parse(run.stdout).claims;
    html = readFileSync(file, 'utf8');
  });

  it('is one self-contained document: no script, no external resource, a policy that forbids any request', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    // The only absolute URLs are the SVG namespaces, which are names, not requests.
    expect(all(html, /(https?:\/\/[^"' )]+)/g).every((url) => url === 'http://www.w3.org/2000/svg' || url === 'http://www.w3.org/1999/xlink')).toBe(true);
    expect(all(html, /\bsrc="([^"]*)"/g)).toEqual([]);
  });

  it('has the summary table with a row per claim, linking to its section', () => {
    const summary = html.slice(html.indexOf('<table class="summary">'), html.indexOf('</table>'));
    expect(all(summary, /<a href="#claim-([\d.]+)">/g)).toEqual(claims.map((c) => c.id));
    expect(html).toContain('<strong>12 claims: 12 hold, 0 fail, 0 error</strong>');
  });

  it('has a section per claim with its verdict, its checks and its figures', () => {
    const sections = all(html, /<section class="claim" id="claim-[\d.]+" data-claim="([\d.]+)" data-verdict="hold">/g);
    expect(sections).toEqual(claims.map((c) => c.id));
    for (const claim of claims) {
      const start = html.indexOf(`data-claim="${claim.id}"`);
      const section = html.slice(start, html.indexOf('</section>', start));
      expect(section).toContain('<span class="verdict hold">✔ hold</span>');
      expect(all(section, /<tr class="ok"><td>✔<\/td><td>([^<]*)<\/td>/g).length).toBe(claim.checks.length);
      expect(all(section, /<li>(.*?) = <strong>/g).length).toBe(claim.example?.figures.length);
    }
  });

  it('draws every plot of every claim as inline SVG with non-empty paths and its legend', () => {
    const expected = claims.flatMap((c) => (c.example?.plots ?? []).map((p) => ({ id: c.id, plot: p })));
    const figures = all(html, /(<figure class="plot"[\s\S]*?<\/figure>)/g);
    expect(figures.length).toBe(expected.length);
    expect(expected.length).toBeGreaterThanOrEqual(14);
    figures.forEach((figure, i) => {
      const plot = expected[i]?.plot as Plot;
      expect(figure).toContain(`data-plot="${plot.key.replace(/&/g, '&amp;')}"`);
      expect(figure).toMatch(/<svg [^>]*class="marks"/);
      const paths = all(figure, /<path [^>]*\bd="([^"]*)"/g).filter((d) => d.length > 0);
      expect(paths.length).toBeGreaterThan(plot.series.length);
      // Legend entries are text of the SVG (escaped the way the SVG writer escapes them).
      for (const series of plot.series) expect(figure).toContain(series.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').slice(0, 12));
    });
  });
});

describe('the HTML report of a failing run', () => {
  it('shows the counterexample and the replay command, escaped', async () => {
    const file = join(temporaryDirectory(), 'report.html');
    const run = await runCli(['vanish', '--only', '1.2', '--trials', '2', '--no-shrink', '--reporter', `html=${file}`], { commands: BROKEN_COMMANDS });
    expect(run.code).toBe(1);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('data-claim="1.2" data-verdict="fail"');
    expect(html).toContain('<span class="verdict fail">✘ FAIL</span>');
    expect(html).toMatch(/<div class="failure"><p><strong>counterexample \[identity-mismatch\]<\/strong>/);
    expect(html).toContain('replay: <code>hwcheck vanish --seed 1 --only 1.2 --trial 0</code>');
  });

  it('goes to stdout with --reporter html, in place of the human report', async () => {
    const run = await runCli(['vanish', '--only', '1.3', '--trials', '1', '--steps', '5', '--reporter', 'html']);
    expect(run.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(run.stdout).not.toContain('hwcheck vanish · seed 1');
    expect(run.stdout).toContain('<strong>1 claim: 1 hold, 0 fail, 0 error</strong>');
  });
});

describe('the Vega-Lite specification of a plot', () => {
  const plot: Plot = {
    key: 'k',
    title: 'title',
    x: { label: 't', scale: 'linear' },
    y: { label: 'norm', scale: 'log' },
    series: [
      { label: 'bound', role: 'claimed', x: [1, 2, 3, 4], y: [1, 0.5, 0.25, 0.125] },
      { label: 'measured', role: 'measured', x: [1, 2, 3, 4, 5], y: [1, null, 0.2, 0, 0.01] },
    ],
    markers: [{ x: 2, label: 'm' }],
    band: { from: 1, to: 3, label: 'b' },
  };

  it('keeps only the points an axis can show and breaks a curve at each gap', () => {
    const { rows } = plotRows(plot);
    const measured = rows.filter((r) => r.series === 'measured');
    expect(measured.map((r) => [r.x, r.segment])).toEqual([
      [1, '1.0'],
      [3, '1.1'],
      [5, '1.2'],
    ]);
    // Measured rows come first, so the dashed bound is drawn over a curve that attains it.
    expect(rows[0]?.series).toBe('measured');
  });

  it('dashes the claimed bound, draws a rule per marker and shades the band', () => {
    const spec = plotSpecification(plot) as { layer: { mark: { type: string }; encoding?: { strokeDash?: { scale: { range: number[][] } } } }[] };
    const marks = spec.layer.map((l) => l.mark.type);
    expect(marks).toEqual(['rect', 'text', 'rule', 'text', 'line', 'point']);
    const line = spec.layer.find((l) => l.mark.type === 'line');
    expect(line?.encoding?.strokeDash?.scale.range).toEqual([
      [6, 3],
      [1, 0],
    ]);
  });

  it('ticks a symlog axis at 0, 1, 2, 5, 10, 20, …', () => {
    expect(symlogTicks(300)).toEqual([0, 1, 2, 5, 10, 20, 50, 100, 200]);
    expect(symlogTicks(0)).toEqual([0]);
  });
});
