import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { Plot } from '../../src/claims/types.js';
import { axisNumber, isUtf8Terminal, resample, terminalPlot, transform, untransform } from '../../src/report/plot.js';

const plain = new Chalk({ level: 0 });
const t = Array.from({ length: 20 }, (_, i) => i + 1);

/** A decay under its bound, as claim 1.2 draws it: 0.5^t under 0.8^t on a log axis. */
const decay: Plot = {
  key: 'decay',
  title: 'a decay under its bound',
  x: { label: 't', scale: 'linear' },
  y: { label: 'norm', scale: 'log' },
  series: [
    { label: 'bound 0.8^t', role: 'claimed', x: t, y: t.map((k) => 0.8 ** k) },
    { label: 'measured 0.5^t', role: 'measured', x: t, y: t.map((k) => 0.5 ** k) },
  ],
  caption: 'the measured curve stays under the bound',
};

/** A parabola with a marker and a shaded interval, as claim 3.2 draws it. */
const parabola: Plot = {
  key: 'parabola',
  title: 'a parabola',
  x: { label: 'eps', scale: 'linear' },
  y: { label: 'value', scale: 'linear' },
  series: [
    { label: 'level', role: 'reference', x: [0, 1, 2, 3], y: [0, 0, 0, 0] },
    { label: 'curve', role: 'measured', x: [0, 0.5, 1, 1.5, 2, 2.5, 3], y: [0, -0.75, -1, -0.75, 0, 1.25, 3] },
  ],
  markers: [{ x: 1, label: 'best' }],
  band: { from: 0, to: 2, label: 'decrease interval' },
};

const visible = (line: string) => [...line].length;
const draw = (plot: Plot, width = 60, unicode = false) => terminalPlot(plot, { width, unicode, chalk: plain, indent: '  ' });

describe('terminal plots', () => {
  it('draws a log-scale decay under its bound in plain ASCII (snapshot)', () => {
    expect(draw(decay).join('\n')).toMatchSnapshot();
  });

  it('draws a parabola with its marker and interval in Unicode (snapshot)', () => {
    expect(draw(parabola, 60, true).join('\n')).toMatchSnapshot();
  });

  it('uses only ASCII characters when the terminal is not UTF-8', () => {
    for (const line of [...draw(decay), ...draw(parabola)]) expect(line).toMatch(/^[\x20-\x7e]*$/);
  });

  it('fits every line into the terminal width, narrow or wide', () => {
    for (const width of [50, 80, 132]) {
      const lines = draw(decay, width, true);
      // The title and caption are prose and may run longer; the chart, its axes and the legend do not.
      for (const line of lines.slice(1, -1)) expect(visible(line)).toBeLessThanOrEqual(width);
    }
    expect(visible(draw(decay, 132)[3] ?? '')).toBeGreaterThan(visible(draw(decay, 80)[3] ?? ''));
  });

  it('labels a log axis in the values’ own units, top and bottom', () => {
    const lines = draw(decay);
    expect(lines[1]).toContain('norm (log scale)');
    expect(lines[2]).toMatch(/^\s+0\.8\|/);
    expect(lines.find((line) => line.includes('9.5e-7|'))).toBeDefined();
  });

  it('labels the x axis at both ends and in the middle, with its name', () => {
    const axis = draw(decay).find((line) => / t /.test(line));
    expect(axis).toMatch(/^\s+1\s+10\.5\s+t\s+20$/);
  });

  it('leaves gaps for NaN, ±Infinity, null and, on a log axis, values ≤ 0, and draws the rest', () => {
    const awkward: Plot = {
      ...decay,
      series: [{ label: 'awkward', role: 'measured', x: t, y: t.map((k) => (k === 3 ? Number.NaN : k === 5 ? Number.POSITIVE_INFINITY : k === 7 ? null : k === 9 ? 0 : k === 11 ? -1 : 0.5 ** k)) }],
    };
    const lines = draw(awkward);
    expect(lines.join('\n')).not.toContain('NaN');
    expect(lines.slice(2, 13).join('').replace(/[^-\\/|*]/g, '').length).toBeGreaterThan(10);
  });

  it('says so when nothing can be drawn, instead of an empty frame', () => {
    const empty: Plot = { ...decay, series: [{ label: 'zeros', role: 'measured', x: t, y: t.map(() => 0) }] };
    expect(draw(empty)).toEqual(['  a decay under its bound', '  (nothing to draw: no value of norm is finite and positive)']);
  });

  it('draws a flat series and a lone point without collapsing the range', () => {
    const flat: Plot = {
      ...parabola,
      markers: [],
      band: undefined,
      series: [
        { label: 'flat', role: 'measured', x: [0, 1, 2], y: [1, 1, 1] },
        { label: 'lone', role: 'measured', x: [1], y: [1.2] },
      ],
    };
    const chart = draw(flat).slice(2, 13).join('\n');
    expect(chart).toContain('-');
    expect(chart).toContain('*');
  });

  it('names every series, marker and band in the legend with its mark', () => {
    const legend = draw(parabola, 100).join('\n');
    expect(legend).toContain('== level');
    expect(legend).toContain('-- curve');
    expect(legend).toContain(': best = 1');
    expect(legend).toContain('## decrease interval');
  });

  it('colours the curves when colour is on, and never otherwise', () => {
    const coloured = terminalPlot(decay, { width: 60, unicode: true, chalk: new Chalk({ level: 1 }) }).join('\n');
    expect(coloured).toContain('\u001b[');
    expect(draw(decay, 60, true).join('\n')).not.toContain('\u001b[');
  });
});

describe('plot helpers', () => {
  it('interpolates between neighbouring finite points and leaves NaN outside them', () => {
    expect(resample([0, 1, 2], [0, 10, Number.NaN], [-1, 0, 0.5, 1, 1.5, 2])).toEqual([Number.NaN, 0, 5, 10, Number.NaN, Number.NaN]);
  });

  it('maps values to the axis and back: log10, symlog and linear', () => {
    expect(transform(100, 'log')).toBe(2);
    expect(transform(0, 'log')).toBeNaN();
    expect(transform(-3, 'log')).toBeNaN();
    expect(transform(null, 'linear')).toBeNaN();
    expect(transform(Number.NEGATIVE_INFINITY, 'linear')).toBeNaN();
    expect(transform(0, 'symlog')).toBe(0);
    expect(untransform(transform(99, 'symlog'), 'symlog')).toBeCloseTo(99, 10);
    expect(untransform(transform(-7, 'symlog'), 'symlog')).toBeCloseTo(-7, 10);
  });

  it('writes axis numbers in 3 significant digits, 2 in exponent form', () => {
    expect(axisNumber(0.123456)).toBe('0.123');
    expect(axisNumber(12345)).toBe('12300');
    expect(axisNumber(123456)).toBe('1.2e5');
    expect(axisNumber(3.2e-12)).toBe('3.2e-12');
    expect(axisNumber(0)).toBe('0');
  });

  it('tells a UTF-8 terminal from the locale, LC_ALL first', () => {
    expect(isUtf8Terminal({ LANG: 'en_GB.UTF-8' })).toBe(true);
    expect(isUtf8Terminal({ LC_CTYPE: 'C.utf8' })).toBe(true);
    expect(isUtf8Terminal({ LC_ALL: 'C', LANG: 'en_GB.UTF-8' })).toBe(false);
    expect(isUtf8Terminal({ LC_ALL: '', LANG: 'fr_FR.UTF-8' })).toBe(true);
    expect(isUtf8Terminal({})).toBe(false);
  });
});
