// asciichart ships no types; this is the part of its API hwcheck uses (version 1.5.25).
declare module 'asciichart' {
  export interface PlotConfig {
    min?: number;
    max?: number;
    /** Rows of the chart, besides the bottom one. */
    height?: number;
    /** Columns left of the first value (the labels and the axis). */
    offset?: number;
    padding?: string;
    colors?: string[];
    /** ┼ ┤ ╶ ╴ ─ ╰ ╭ ╮ ╯ │ by default: the axis, its label tick, and the line's pieces. */
    symbols?: string[];
    format?: (value: number, row: number) => string;
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  const asciichart: { plot: typeof plot };
  export default asciichart;
}
