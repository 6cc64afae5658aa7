import type { CheckSummary, ClaimResult, Plot, PlotSeries, SeriesRole } from '../claims/types.js';
import { formatDuration, formatNumber, formatTightness } from './format.js';
import { escapeXml as escape } from './junit.js';
import type { RenderOptions, RunReport } from './types.js';

/**
 * The HTML report: one self-contained file (no script, no stylesheet or font to fetch; a
 * Content-Security-Policy forbids the page any request) with the summary table, each claim's
 * verdict, checks and figures, and its plots as inline SVG drawn by Vega-Lite → Vega on Node
 * (renderer 'none', toSVG), with axes, labels and a legend that puts each bound beside its curve.
 * Vega and Vega-Lite are large: they are imported here, and this module only when asked for.
 */

/** Pixel size of the plotting area of each chart (axes and legend come on top). */
const WIDTH = 560;
const HEIGHT = 240;

const MEASURED_COLOURS = ['#1f5fa8', '#e07b00', '#2a9d3a', '#8e44ad', '#8c564b', '#17becf'];
const CLAIMED_COLOUR = '#c0392b';
const REFERENCE_COLOUR = '#6b6b6b';
const DASHES: Readonly<Record<SeriesRole, number[]>> = { measured: [1, 0], claimed: [6, 3], reference: [2, 3] };

/** A point a chart can draw: finite, and positive on a log axis. */
function drawable(value: number | null, scale: Plot['x']['scale']): value is number {
  return value !== null && Number.isFinite(value) && (scale !== 'log' || value > 0);
}

interface Row {
  series: string;
  /** Consecutive drawable points share a segment; a gap (null, or ≤ 0 on a log axis) starts a new one. */
  segment: string;
  x: number;
  y: number;
}

/** The plot's drawable points as rows; a series of fewer than 25 points also gets its points marked. */
export function plotRows(plot: Plot): { rows: Row[]; sparse: Set<string> } {
  const rows: Row[] = [];
  const sparse = new Set<string>();
  // Measured curves first, bounds and guides after: drawn later, a dashed bound stays visible on a curve that attains it.
  const drawOrder: SeriesRole[] = ['measured', 'claimed', 'reference'];
  const ordered = plot.series.map((s, index) => ({ s, index })).sort((a, b) => drawOrder.indexOf(a.s.role) - drawOrder.indexOf(b.s.role) || a.index - b.index);
  ordered.forEach(({ s, index }: { s: PlotSeries; index: number }) => {
    let segment = 0;
    let open = false;
    s.x.forEach((x, i) => {
      const y = s.y[i] ?? null;
      if (!drawable(x, plot.x.scale) || !drawable(y, plot.y.scale)) {
        if (open) segment++;
        open = false;
        return;
      }
      open = true;
      rows.push({ series: s.label, segment: `${index}.${segment}`, x, y });
    });
    if (s.x.length < 25) sparse.add(s.label);
  });
  return { rows, sparse };
}

/** 0, 1, 2, 5, 10, 20, 50, … up to `top`. */
export function symlogTicks(top: number): number[] {
  const ticks = [0];
  for (let decade = 1; decade <= Math.max(1, top); decade *= 10) {
    for (const step of [1, 2, 5]) if (step * decade <= top) ticks.push(step * decade);
  }
  return ticks;
}

function colours(plot: Plot): string[] {
  let measured = 0;
  return plot.series.map((s) =>
    s.role === 'claimed' ? CLAIMED_COLOUR : s.role === 'reference' ? REFERENCE_COLOUR : (MEASURED_COLOURS[measured++ % MEASURED_COLOURS.length] ?? '#000'),
  );
}

/** The Vega-Lite specification of one plot: lines per series (bounds dashed), markers, the band. */
export function plotSpecification(plot: Plot): Record<string, unknown> {
  const { rows, sparse } = plotRows(plot);
  const labels = plot.series.map((s) => s.label);
  const scale = (type: Plot['x']['scale']) => (type === 'linear' ? { type, zero: false, nice: false } : { type, nice: false });
  const axis = (scaleType: Plot['x']['scale'], values: number[]) =>
    // Vega's symlog axis ticks linearly; 0, 1, 2, 5, 10, 20, … read as the log scale it is.
    // Log axes read 1e-6 rather than 0.000001.
    scaleType === 'symlog'
      ? { grid: true, values: symlogTicks(Math.max(0, ...values)) }
      : scaleType === 'log'
        ? { grid: true, labelExpr: "datum.value >= 0.001 && datum.value < 10000 ? format(datum.value, '~g') : replace(format(datum.value, '.0e'), 'e+', 'e')" }
        : { grid: true };
  const x = { field: 'x', type: 'quantitative', title: plot.x.label, scale: scale(plot.x.scale), axis: { ...axis(plot.x.scale, rows.map((r) => r.x)), labelFlush: true } };
  const y = { field: 'y', type: 'quantitative', title: plot.y.label, scale: scale(plot.y.scale), axis: axis(plot.y.scale, rows.map((r) => r.y)) };
  const legend = { orient: 'bottom', direction: 'vertical', columns: 2, labelLimit: 420, symbolType: 'stroke', symbolStrokeWidth: 2.5, title: null };
  const series = { field: 'series', type: 'nominal', scale: { domain: labels, range: colours(plot) }, legend };
  const dash = { field: 'series', type: 'nominal', scale: { domain: labels, range: plot.series.map((s) => DASHES[s.role]) }, legend };
  const layers: Record<string, unknown>[] = [];
  if (plot.band !== undefined) {
    const band = { data: { values: [plot.band] } };
    layers.push(
      { ...band, mark: { type: 'rect', color: '#2a9d3a', opacity: 0.1 }, encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } } },
      {
        ...band,
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, fontSize: 11, color: '#1e7a2c' },
        encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: HEIGHT }, text: { field: 'label' } },
      },
    );
  }
  for (const [index, marker] of (plot.markers ?? []).entries()) {
    const data = { data: { values: [{ x: marker.x, label: `${marker.label} = ${formatNumber(marker.x)}` }] } };
    layers.push(
      { ...data, mark: { type: 'rule', color: '#444', strokeDash: [3, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      {
        ...data,
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, fontSize: 11, color: '#222' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 4 + 14 * index }, text: { field: 'label' } },
      },
    );
  }
  layers.push({
    mark: { type: 'line', strokeWidth: 2, clip: false },
    encoding: { x, y, color: series, strokeDash: dash, detail: { field: 'segment' } },
  });
  if (sparse.size > 0) {
    layers.push({
      transform: [{ filter: { field: 'series', oneOf: [...sparse] } }],
      mark: { type: 'point', filled: true, size: 45, opacity: 1 },
      encoding: { x, y, color: series },
    });
  }
  return {
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    padding: 8,
    data: { values: rows },
    layer: layers,
    config: { font: 'system-ui, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 12 }, view: { stroke: '#ccc' } },
  };
}

/** One plot as an SVG string, by Vega-Lite compiled to Vega and rendered headless. */
async function plotSvg(plot: Plot): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  // Vega-Lite's warnings would go to the console: the reporter stays silent.
  const compiled = vegaLite.compile(plotSpecification(plot) as unknown as Parameters<typeof vegaLite.compile>[0], { logger: vega.logger(vega.None) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const VERDICT_TEXT: Readonly<Record<ClaimResult['verdict'], string>> = { hold: '✔ hold', fail: '✘ FAIL', error: '! ERROR' };

function verdictBadge(verdict: ClaimResult['verdict']): string {
  return `<span class="verdict ${verdict}">${VERDICT_TEXT[verdict]}</span>`;
}

function checkRow(check: CheckSummary): string {
  const where = (location: CheckSummary['worst']) => (location === null ? '' : ` <span class="where">(trial ${location.trial}, ${escape(location.at)})</span>`);
  const tight = check.kind === 'bound' && check.tightest !== null ? `${formatTightness(check.tightness)}${where(check.tightest)}` : '—';
  return `<tr class="${check.failed === 0 ? 'ok' : 'bad'}"><td>${check.failed === 0 ? '✔' : '✘'}</td><td>${escape(check.name)}</td><td>${escape(check.kind)}</td><td class="n">${check.count}</td><td class="n">${check.failed}</td><td class="n">${formatNumber(check.worstRatio)}${where(check.worst)}</td><td class="n">${tight}</td></tr>`;
}

async function claimSection(result: ClaimResult, timing: boolean): Promise<string> {
  const parts: string[] = [];
  const id = `claim-${result.id}`;
  parts.push(`<section class="claim" id="${escape(id)}" data-claim="${escape(result.id)}" data-verdict="${result.verdict}">`);
  parts.push(`<h2>${verdictBadge(result.verdict)} <span class="id">${escape(result.id)}</span> ${escape(result.title)}</h2>`);
  const stats = [
    `<code>hwcheck ${escape(result.command)}</code>`,
    `${result.trials} trial${result.trials === 1 ? '' : 's'}${result.plannedTrials > result.trials ? ` of ${result.plannedTrials} (stopped by --max-time)` : ''}`,
    `worst ratio ${formatNumber(result.worstRatio)}`,
    ...(result.tightness === null ? [] : [`tightness ${formatTightness(result.tightness)}`]),
    ...(result.equations.length > 0 ? [`equations ${result.equations.join(', ')}`] : []),
    ...(timing ? [formatDuration(result.ms)] : []),
  ];
  parts.push(`<p class="stats">${stats.join(' · ')}</p>`);
  if (result.failure !== null) {
    const f = result.failure;
    parts.push(
      `<div class="failure"><p><strong>${result.verdict === 'fail' ? 'counterexample' : 'error'} [${escape(f.code)}]</strong> trial ${f.trial} (seed ${escape(f.seed)}): ${escape(f.message)}</p><p>replay: <code>${escape(f.replay)}</code></p>${
        result.shrunk === null ? '' : `<p>smallest failing configuration: <code>${escape(result.shrunk.failure.replay)}</code></p>`
      }</div>`,
    );
  }
  parts.push(
    '<table class="checks"><thead><tr><th></th><th>check</th><th>kind</th><th>count</th><th>failed</th><th>worst ratio</th><th>tightness</th></tr></thead><tbody>',
    ...result.checks.map(checkRow),
    '</tbody></table>',
  );
  const figures = result.example?.figures ?? [];
  if (figures.length > 0) {
    parts.push(`<h3>Figures of trial ${result.example?.trial ?? 0}</h3><ul class="figures">`);
    for (const figure of figures) parts.push(`<li>${escape(figure.label)} = <strong>${escape(formatNumber(figure.value))}</strong></li>`);
    parts.push('</ul>');
  }
  const plots = result.example?.plots ?? [];
  if (plots.length > 0) {
    parts.push('<div class="plots">');
    for (const plot of plots) {
      const drawn = plotRows(plot).rows.length > 0;
      parts.push(
        `<figure class="plot" data-plot="${escape(plot.key)}"><h3>${escape(plot.title)}</h3>${
          drawn ? await plotSvg(plot) : `<p class="empty">nothing to draw: no value of ${escape(plot.y.label)} is finite${plot.y.scale === 'log' ? ' and positive' : ''}</p>`
        }${plot.caption === undefined ? '' : `<figcaption>${escape(plot.caption)}</figcaption>`}</figure>`,
      );
    }
    parts.push('</div>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function summaryTable(report: RunReport, timing: boolean): string {
  const rows = report.claims.map(
    (r) =>
      `<tr class="${r.verdict}"><td><a href="#claim-${escape(r.id)}">${escape(r.id)}</a></td><td>${escape(r.command)}</td><td>${verdictBadge(r.verdict)}</td><td class="n">${r.plannedTrials > r.trials ? `${r.trials}/${r.plannedTrials}` : r.trials}</td><td class="n">${formatNumber(r.worstRatio)}</td><td class="n">${formatTightness(r.tightness)}</td>${timing ? `<td class="n">${formatDuration(r.ms)}</td>` : ''}<td>${escape(r.title)}</td></tr>`,
  );
  return [
    '<table class="summary"><thead><tr><th>claim</th><th>subcommand</th><th>verdict</th><th>trials</th><th>worst ratio</th><th>tightness</th>',
    timing ? '<th>time</th>' : '',
    '<th>title</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1.5em; color: #1d1d1d; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; font-size: 1.2em; }
h3 { font-size: 1em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; margin: .6em 0; font-size: 13px; } th, td { padding: .25em .6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { font-weight: 600; white-space: nowrap; } .verdict.hold { color: #1e7a2c; } .verdict.fail { color: #b3261e; } .verdict.error { color: #a15c00; }
.stats, .where, figcaption { color: #555; } .where { font-size: 12px; display: block; white-space: normal; text-align: right; }
table.checks td:nth-child(2) { min-width: 18em; }
.failure { background: #fdecea; border-left: 4px solid #b3261e; padding: .3em .8em; }
tr.bad td { color: #b3261e; }
.figures { font-size: 13px; } code { font-size: 13px; background: #f4f4f4; padding: 0 .25em; }
figure.plot { margin: 1.4em 0; } figure.plot svg { max-width: 100%; height: auto; }
`;

/** The whole report as one HTML document. */
export async function renderHtml(report: RunReport, { timing }: Pick<RenderOptions, 'timing'>): Promise<string> {
  const { hold, fail, error } = report.summary;
  const trials = report.trial !== null ? `trial ${report.trial} only` : report.trials !== null ? `${report.trials} trials per claim` : 'default trials';
  const sections: string[] = [];
  for (const result of report.claims) sections.push(await claimSection(result, timing));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hwcheck ${escape(report.command)} · ${hold} of ${report.claims.length} hold</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>hwcheck ${escape(report.command)}</h1>
<p class="stats">seed ${report.seed} · ${trials}${report.options.shard === null ? '' : ` · shard ${escape(report.options.shard)}`} · hwcheck ${escape(report.version)} · <strong>${report.claims.length} claim${report.claims.length === 1 ? '' : 's'}: ${hold} hold, ${fail} fail, ${error} error</strong></p>
</header>
<main>
${summaryTable(report, timing)}
${sections.join('\n')}
</main>
</body>
</html>
`;
}
