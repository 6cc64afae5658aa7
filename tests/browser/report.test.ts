import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/claims/types.js';
import { spawnCliAsync, temporaryDirectory } from '../helpers.js';

/**
 * End to end: `hwcheck all --reporter html=FILE` opened in headless Chromium (Debian's package,
 * driven by playwright-core; `.ci/run` installs it when missing). Every claim and every plot must
 * render, the page must log no error and make no request beyond its own file.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The few DOM members the page script reads (the test's typecheck has no DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  textContent: string | null;
  getBoundingClientRect(): { width: number; height: number };
  getBBox(): { width: number; height: number };
}

interface RenderedPlot {
  key: string;
  svgs: number;
  width: number;
  height: number;
  paths: number;
  nonEmptyPaths: number;
  texts: string[];
}

describe('the HTML report in a real browser', () => {
  const folder = temporaryDirectory();
  const file = join(folder, 'report.html');
  const screenshot = join(folder, 'report.png');
  const problems: string[] = [];
  const requests: string[] = [];
  let claims: ClaimResult[] = [];
  let context: BrowserContext;
  let rendered: { claims: { id: string; verdict: string | null; title: string }[]; plots: RenderedPlot[] };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`);
    const run = await spawnCliAsync('all', '--json', '--reporter', `html=${file}`);
    expect(run.code).toBe(0);
    claims = JSON.parse(run.stdout).claims;
    // A fresh profile for every run: no state from earlier runs, nothing shared with other tests.
    const profile = mkdtempSync(join(folder, 'chromium-profile-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    rendered = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: PageElement }).document;
      const claims = [...document.querySelectorAll('section.claim')].map((section) => ({
        id: section.getAttribute('data-claim') ?? '',
        verdict: section.getAttribute('data-verdict'),
        title: section.querySelector('h2')?.textContent ?? '',
      }));
      const plots = [...document.querySelectorAll('figure.plot')].map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const paths = [...figure.querySelectorAll('svg path')];
        return {
          key: figure.getAttribute('data-plot') ?? '',
          svgs: figure.querySelectorAll('svg').length,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          paths: paths.length,
          // A path with a `d` and a drawn extent: a curve, an axis, a legend symbol.
          nonEmptyPaths: paths.filter((p) => (p.getAttribute('d') ?? '').trim().length > 0 && p.getBBox().width > 0).length,
          texts: [...figure.querySelectorAll('svg text')].map((t) => t.textContent ?? ''),
        };
      });
      return { claims, plots };
    });
    await page.screenshot({ path: screenshot, fullPage: true });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('renders a section for every claim with its verdict', () => {
    expect(rendered.claims.map((c) => c.id)).toEqual(claims.map((c) => c.id));
    expect(rendered.claims.every((c) => c.verdict === 'hold' && c.title.includes('✔ hold'))).toBe(true);
  });

  it('renders every plot as an SVG of real size with drawn, non-empty paths', () => {
    const expected = claims.flatMap((c) => (c.example?.plots ?? []).map((p) => p.key));
    expect(rendered.plots.map((p) => p.key)).toEqual(expected);
    for (const plot of rendered.plots) {
      expect(plot.svgs, plot.key).toBe(1);
      expect(plot.width, plot.key).toBeGreaterThan(300);
      expect(plot.height, plot.key).toBeGreaterThan(200);
      expect(plot.nonEmptyPaths, plot.key).toBeGreaterThanOrEqual(3);
    }
  });

  it('labels the axes and names the bound beside the measured curve in the legend', () => {
    const jacobian = rendered.plots.find((p) => p.key === 'jacobian');
    expect(jacobian?.texts).toEqual(expect.arrayContaining(['t', '‖∂g_t/∂g_0‖', 'bound δ^t', 'tight case', 'random W on the boundary']));
  });

  it('logs no error or warning and requests nothing but its own file', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });

  it('saves a screenshot of the whole page in the test’s folder', () => {
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);
  });
});
