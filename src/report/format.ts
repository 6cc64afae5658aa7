/** A number for people: 4 significant digits in a readable range, otherwise scientific notation. */
export function formatNumber(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  return value.toExponential(2).replace('e+', 'e');
}

/** Tightness lhs/rhs with four decimals, so that 0.9999 and 1.0000 can be told apart. */
export function formatTightness(value: number | null): string {
  return value === null ? '—' : value.toFixed(4);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
