import asciichart from 'asciichart';
import type { ChalkInstance } from 'chalk';
import type { AxisScale, Plot, PlotSeries } from '../claims/types.js';

/** How a plot is drawn in a terminal. */
export interface TerminalPlotStyle {
  /** Columns available for a whole line, indent included (the terminal's width). */
  width: number;
  /** Box-drawing and other non-ASCII glyphs; plain ASCII when false (a terminal that is not UTF-8). */
  unicode: boolean;
  chalk: ChalkInstance;
  /** Put before every line, so a plot sits under its claim's block. */
  indent?: string;
  /** Rows of the chart above its bottom row. */
  height?: number;
}

/** The narrowest chart drawn, however narrow the terminal; the widest, however wide. */
const MIN_COLUMNS = 24;
const MAX_COLUMNS = 110;
const DEFAULT_HEIGHT = 10;
/** Width of the y-axis labels (room for "-1.23e-100"). */
const LABEL_WIDTH = 10;

interface Glyphs {
  /** asciichart's ten symbols: axis, label tick, and the line's pieces. */
  curve: string[];
  axisCorner: string;
  axisLine: string;
  tick: string;
  marker: string;
  band: string;
  claimed: string;
  reference: string;
  /** Uniform marks for the second and later measured series, so that they differ without colour. */
  marks: string[];
  /** A lone point of the first measured series. */
  lone: string;
}

const UNICODE: Glyphs = {
  curve: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  axisCorner: '└',
  axisLine: '─',
  tick: '┬',
  marker: '┊',
  band: '━',
  claimed: '·',
  reference: '╌',
  marks: ['•', '×', '+', 'o', '*'],
  lone: '◆',
};

const ASCII: Glyphs = {
  curve: ['+', '|', '-', '-', '-', '\\', '/', '\\', '/', '|'],
  axisCorner: '+',
  axisLine: '-',
  tick: '+',
  marker: ':',
  band: '#',
  claimed: '.',
  reference: '=',
  marks: ['*', 'x', '+', 'o', '@'],
  lone: '#',
};

/** A series as drawn: its pen (glyphs) and colour. */
interface Pen {
  symbols: string[];
  /** The mark of a point with no finite neighbour, which no line joins. */
  lone: string;
  sample: string;
  colour: (text: string) => string;
}

/** Maps a value to the axis: log10 on a log axis, where values ≤ 0 and non-finite ones have no place (NaN). */
export function transform(value: number | null, scale: AxisScale): number {
  if (value === null || !Number.isFinite(value)) return Number.NaN;
  if (scale === 'log') return value > 0 ? Math.log10(value) : Number.NaN;
  if (scale === 'symlog') return Math.sign(value) * Math.log10(1 + Math.abs(value));
  return value;
}

/** The value at a position of the axis: the inverse of `transform`. */
export function untransform(position: number, scale: AxisScale): number {
  if (scale === 'log') return 10 ** position;
  if (scale === 'symlog') return Math.sign(position) * (10 ** Math.abs(position) - 1);
  return position;
}

/** A number for an axis label: 3 significant digits, 2 in exponent form, in at most LABEL_WIDTH characters. */
export function axisNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value === 0 ? 0 : value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(value.toPrecision(3)));
  return value.toExponential(1).replace('e+', 'e');
}

/** The series' value at each x of the grid: linear interpolation between neighbouring finite points, NaN elsewhere. */
export function resample(xs: readonly number[], ys: readonly number[], grid: readonly number[]): number[] {
  return grid.map((x) => {
    for (let i = 0; i + 1 < xs.length; i++) {
      const x0 = xs[i] as number;
      const x1 = xs[i + 1] as number;
      const y0 = ys[i] as number;
      const y1 = ys[i + 1] as number;
      if (!(x >= x0 && x <= x1) || Number.isNaN(y0) || Number.isNaN(y1) || Number.isNaN(x0) || Number.isNaN(x1)) continue;
      return x1 === x0 ? y0 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
    return Number.NaN;
  });
}

/** Maximal runs [start, end] of consecutive finite values. */
function runs(values: readonly number[]): [number, number][] {
  const found: [number, number][] = [];
  let start = -1;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      if (start >= 0) found.push([start, i - 1]);
      start = -1;
    } else if (start < 0) start = i;
  });
  if (start >= 0) found.push([start, values.length - 1]);
  return found;
}

interface Frame {
  min: number;
  max: number;
  height: number;
}

/** The chart's rows of one run of values as asciichart draws them (the axis column removed). */
function rasterize(values: readonly number[], frame: Frame, symbols: string[]): string[][] {
  const text = asciichart.plot([...values], { min: frame.min, max: frame.max, height: frame.height, offset: 1, padding: ' ', format: () => ' ', symbols });
  return text.split('\n').map((row) => [...row].slice(1));
}

/** The row asciichart puts a value on (0 at the top), from the same arithmetic it uses. */
function rowOf(value: number, frame: Frame): number {
  const range = frame.max - frame.min;
  const ratio = range !== 0 ? frame.height / range : 1;
  return Math.round(frame.max * ratio) - Math.round(value * ratio);
}

function rowCount(frame: Frame): number {
  return rowOf(frame.min, frame) + 1;
}

/** Widens a range that is empty or too narrow to draw (a flat series): a decade on a log axis, 10% otherwise. */
function widened(min: number, max: number, scale: AxisScale): [number, number] {
  if (max - min > 1e-9 * Math.max(1, Math.abs(min), Math.abs(max))) return [min, max];
  const pad = scale === 'linear' ? Math.max(0.1 * Math.abs(min), 0.5) : 0.5;
  return [min - pad, max + pad];
}

function pens(plot: Plot, glyphs: Glyphs, chalk: ChalkInstance): Pen[] {
  const palette = [chalk.cyan, chalk.magenta, chalk.green, chalk.yellow, chalk.blue];
  let measured = 0;
  return plot.series.map((s) => {
    const uniform = (mark: string) => ({ symbols: Array<string>(10).fill(mark), lone: mark, sample: mark.repeat(2) });
    if (s.role === 'claimed') return { ...uniform(glyphs.claimed), colour: chalk.red };
    if (s.role === 'reference') return { ...uniform(glyphs.reference), colour: chalk.dim };
    const index = measured++;
    const colour = palette[index % palette.length] ?? chalk.reset;
    if (index === 0) return { symbols: glyphs.curve, lone: glyphs.lone, sample: (glyphs.curve[4] ?? '-').repeat(2), colour };
    return { ...uniform(glyphs.marks[(index - 1) % glyphs.marks.length] ?? '*'), colour };
  });
}

/** Measured series are drawn last, so where one meets a bound it shows (a bound attained). */
function drawOrder(series: readonly PlotSeries[]): number[] {
  const rank = { reference: 0, claimed: 1, measured: 2 } as const;
  // Among measured series the first is drawn last: it is the one the legend names first.
  return series.map((_, i) => i).sort((a, b) => rank[series[a]?.role ?? 'measured'] - rank[series[b]?.role ?? 'measured'] || (series[a]?.role === 'measured' ? b - a : a - b));
}

/** Words of `items` joined by `gap`, wrapped to lines of at most `width` visible characters. */
function wrap(items: readonly { text: string; visible: number }[], width: number, gap = '   '): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const item of items) {
    if (used > 0 && used + gap.length + item.visible > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += (used > 0 ? gap : '') + item.text;
    used += (used > 0 ? gap.length : 0) + item.visible;
  }
  if (used > 0) lines.push(line);
  return lines;
}

const visibleLength = (text: string) => [...text].length;

/**
 * A plot as terminal lines: title, y-axis label, the chart (asciichart draws the y axis and each
 * curve; a log axis plots log10 of the values and labels them in the values' own units), the x axis
 * with its ticks and label, the legend and the caption. Values that a log axis cannot show and
 * non-finite ones leave gaps; a plot with nothing to draw says so.
 */
export function terminalPlot(plot: Plot, style: TerminalPlotStyle): string[] {
  const { chalk } = style;
  const glyphs = style.unicode ? UNICODE : ASCII;
  const indent = style.indent ?? '';
  const height = style.height ?? DEFAULT_HEIGHT;
  const columns = Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, style.width - visibleLength(indent) - LABEL_WIDTH - 1));
  const logNote = (scale: AxisScale) => (scale === 'linear' ? '' : ' (log scale)');
  const lines = [`${indent}${chalk.bold(plot.title)}`];

  // Each series in increasing x (a Taylor test steps ε downwards), on the axes' scales.
  const points = plot.series.map((s) => {
    const order = s.x.map((_, i) => i).sort((a, b) => (s.x[a] as number) - (s.x[b] as number));
    return { xs: order.map((i) => transform(s.x[i] as number, plot.x.scale)), ys: order.map((i) => transform(s.y[i] ?? null, plot.y.scale)) };
  });
  const finiteX = points.flatMap((p) => p.xs.filter((x, i) => !Number.isNaN(x) && !Number.isNaN(p.ys[i] as number)));
  const finiteY = points.flatMap((p) => p.ys.filter((y, i) => !Number.isNaN(y) && !Number.isNaN(p.xs[i] as number)));
  if (finiteX.length === 0) {
    lines.push(`${indent}${chalk.dim(`(nothing to draw: no value of ${plot.y.label} is finite${plot.y.scale === 'log' ? ' and positive' : ''})`)}`);
    return lines;
  }
  const [xMin, xMax] = widened(Math.min(...finiteX), Math.max(...finiteX), plot.x.scale);
  const [yMin, yMax] = widened(Math.min(...finiteY), Math.max(...finiteY), plot.y.scale);
  const frame: Frame = { min: yMin, max: yMax, height };
  const rows = rowCount(frame);
  // columns + 1 sample points: asciichart draws, in column c, the segment from point c to point c + 1.
  const grid = Array.from({ length: columns + 1 }, (_, c) => xMin + ((xMax - xMin) * c) / columns);
  const columnOf = (x: number) => Math.round(((x - xMin) / (xMax - xMin)) * columns);
  const cells: string[][] = Array.from({ length: rows }, () => Array<string>(columns).fill(' '));
  const paint = (row: number, column: number, text: string) => {
    const target = cells[row];
    if (target !== undefined && column >= 0 && column < columns && text !== ' ') target[column] = text;
  };

  // Vertical markers under everything else.
  for (const marker of plot.markers ?? []) {
    const column = columnOf(transform(marker.x, plot.x.scale));
    if (!(column >= 0 && column <= columns)) continue;
    for (let row = 0; row < rows; row++) paint(row, Math.min(column, columns - 1), chalk.dim(glyphs.marker));
  }
  const penOf = pens(plot, glyphs, chalk);
  for (const index of drawOrder(plot.series)) {
    const { xs, ys } = points[index] as { xs: number[]; ys: number[] };
    const pen = penOf[index] as Pen;
    const values = resample(xs, ys, grid);
    for (const [start, end] of runs(values)) {
      if (end === start) continue;
      rasterize(values.slice(start, end + 1), frame, pen.symbols).forEach((row, r) => row.forEach((ch, j) => paint(r, start + j, ch === ' ' ? ' ' : pen.colour(ch))));
    }
    // Points with no finite neighbour (a lone measurement, or one between gaps) get a mark of their own.
    xs.forEach((x, i) => {
      const y = ys[i] as number;
      if (Number.isNaN(x) || Number.isNaN(y)) return;
      const alone = Number.isNaN(ys[i - 1] ?? Number.NaN) && Number.isNaN(ys[i + 1] ?? Number.NaN);
      if (alone) paint(rowOf(y, frame), Math.min(columnOf(x), columns - 1), pen.colour(pen.lone));
    });
  }

  // The y axis and its labels, from asciichart too (a flat series at the bottom, which draws nothing).
  const labelOf = (value: number) => axisNumber(untransform(value, plot.y.scale));
  const axis = asciichart
    .plot([yMin], {
      min: yMin,
      max: yMax,
      height,
      // The label takes the first cell whole and the axis the second.
      offset: 2,
      padding: ' '.repeat(LABEL_WIDTH),
      // asciichart marks the row of 0 and the first value with ┼; here the x axis is drawn separately.
      symbols: glyphs.curve.map((symbol, i) => (i === 0 ? glyphs.curve[1] ?? symbol : symbol)),
      format: (value, row) => (row % 2 === 0 || row === rows - 1 ? labelOf(value) : '').padStart(LABEL_WIDTH).slice(-LABEL_WIDTH),
    })
    .split('\n')
    .map((row) => [...row].slice(0, LABEL_WIDTH + 1).join(''));
  lines.push(`${indent}${' '.repeat(LABEL_WIDTH - 1)}${chalk.dim(`${plot.y.label}${logNote(plot.y.scale)}`)}`);
  cells.forEach((row, r) => lines.push(`${indent}${chalk.dim(axis[r] ?? '')}${row.join('')}`.trimEnd()));

  // The x axis: the band (if any) drawn on it, ticks at both ends and in the middle, then the labels.
  const axisCells = Array<string>(columns).fill(glyphs.axisLine);
  if (plot.band !== undefined) {
    const from = Math.max(0, columnOf(transform(plot.band.from, plot.x.scale)));
    const to = Math.min(columns - 1, columnOf(transform(plot.band.to, plot.x.scale)));
    for (let c = from; c <= to; c++) axisCells[c] = chalk.green(glyphs.band);
  }
  const tickColumns = [0, Math.floor((columns - 1) / 2), columns - 1];
  for (const c of tickColumns) if (axisCells[c] === glyphs.axisLine) axisCells[c] = glyphs.tick;
  lines.push(`${indent}${' '.repeat(LABEL_WIDTH)}${chalk.dim(glyphs.axisCorner)}${axisCells.map((c) => (c === glyphs.axisLine || c === glyphs.tick ? chalk.dim(c) : c)).join('')}`);
  const xLabelOf = (value: number) => axisNumber(untransform(value, plot.x.scale));
  const tickValues = [xMin, (xMin + xMax) / 2, xMax];
  // Index i of the tick line sits under axis cell i − 1; the labels go left-aligned, centred, right-aligned.
  const tickLine = Array<string>(columns + 1).fill(' ');
  const place = (text: string, start: number) => [...text].forEach((ch, j) => (tickLine[start + j] = ch));
  const labels = tickValues.map((v) => xLabelOf(v));
  const starts = [1, Math.floor((columns - 1) / 2) + 1 - Math.floor(visibleLength(labels[1] ?? '') / 2), columns + 1 - visibleLength(labels[2] ?? '')];
  labels.forEach((label, k) => place(label, Math.max(0, starts[k] ?? 0)));
  // The axis name goes in the gap between the middle and the last tick labels, or on a line of its own.
  const xLabel = `${plot.x.label}${logNote(plot.x.scale)}`;
  const gapStart = (starts[1] ?? 0) + visibleLength(labels[1] ?? '') + 2;
  const gapEnd = (starts[2] ?? 0) - 2;
  const inGap = gapEnd - gapStart >= visibleLength(xLabel);
  if (inGap) place(xLabel, gapStart + Math.floor((gapEnd - gapStart - visibleLength(xLabel)) / 2));
  const tickText = tickLine.join('').trimEnd();
  const styled = inGap ? tickText.replace(xLabel, chalk.dim(xLabel)) : tickText;
  lines.push(`${indent}${' '.repeat(LABEL_WIDTH)}${styled}`);
  if (!inGap) lines.push(`${indent}${' '.repeat(Math.max(0, LABEL_WIDTH + 1 + columns - visibleLength(xLabel)))}${chalk.dim(xLabel)}`);

  // The legend: one entry per series, marker and band, wrapped to the width.
  const legend = plot.series.map((s, i) => {
    const pen = penOf[i] as Pen;
    const gap = s.y.every((y, j) => Number.isNaN(transform(y, plot.y.scale)) || Number.isNaN(transform(s.x[j] ?? Number.NaN, plot.x.scale)));
    const label = gap ? `${s.label} (no point to draw)` : s.label;
    return { text: `${pen.colour(pen.sample)} ${label}`, visible: visibleLength(pen.sample) + 1 + visibleLength(label) };
  });
  for (const marker of plot.markers ?? []) {
    const label = `${marker.label} = ${axisNumber(marker.x)}`;
    legend.push({ text: `${chalk.dim(glyphs.marker)} ${label}`, visible: 2 + visibleLength(label) });
  }
  if (plot.band !== undefined) {
    legend.push({ text: `${chalk.green(glyphs.band.repeat(2))} ${plot.band.label}`, visible: 3 + visibleLength(plot.band.label) });
  }
  const width = Math.max(MIN_COLUMNS, style.width - visibleLength(indent));
  for (const line of wrap(legend, width)) lines.push(`${indent}${line}`);
  if (plot.caption !== undefined) lines.push(`${indent}${chalk.dim(plot.caption)}`);
  return lines;
}

/** Whether the terminal takes UTF-8, from the locale variables in their order of precedence. */
export function isUtf8Terminal(env: Readonly<Record<string, string | undefined>>): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
}
