// Aggregation of repeated runs: every figure is kept per run, and reported as median with its
// spread (min, max, and (max − min) / median in percent). Ratios are taken per run (Samsa and
// its peer or limit measured back to back in the same run) and then aggregated the same way.

export interface ResultRow {
  name: string;
  unit: string;
  better: 'higher' | 'lower';
  runs: number[];
  median: number;
  min: number;
  max: number;
  spreadPct: number;
}

export function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : x);

export function row(name: string, unit: string, runs: number[], better: 'higher' | 'lower' = 'higher'): ResultRow {
  const ok = runs.filter(Number.isFinite);
  const med = median(ok);
  const min = ok.length ? Math.min(...ok) : NaN;
  const max = ok.length ? Math.max(...ok) : NaN;
  return { name, unit, better, runs: runs.map(r4), median: r4(med), min: r4(min), max: r4(max), spreadPct: r4(med ? ((max - min) / med) * 100 : NaN) };
}

export function ratioRuns(num: number[], den: number[]): number[] {
  return num.map((n, i) => n / den[i]!);
}

export interface Target { name: string; ratio: string; want: string; value: number; met: boolean }

export function fmtRow(r: ResultRow): string {
  const v = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));
  return `${r.name.padEnd(58)} ${v(r.median).padStart(10)} ${r.unit.padEnd(10)} [${v(r.min)} .. ${v(r.max)}] ±${(r.spreadPct / 2).toFixed(1)}%`;
}
