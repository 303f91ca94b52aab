// `samsa perf compare A.json B.json`: the differences between two results, one row per metric.
//
// Accepts a `samsa perf` report ({ tool: 'samsa-perf', recordsPerSec, latencyMs, ... }) or a
// bench run file from bench/run.ts ({ results: [{ name, unit, median, ... }] }); both flatten to
// name → { value, unit, better } where `better` says which direction is an improvement, so each
// change is labelled "better"/"worse" and not just signed. Changes within ±noisePct (default 5%)
// are labelled "~" (inside the usual run-to-run spread on a shared 2-core machine).
import { readFileSync } from 'node:fs';

export interface Metric { value: number; unit: string; better: 'higher' | 'lower' }

export class PerfCompareError extends Error {
  readonly code = 'SAMSA_USAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'PerfCompareError';
  }
}

function lowerIsBetter(name: string, unit: string): boolean {
  return unit === 'ms' || unit === 'ns' || unit === 's' || /latency|seconds/i.test(name);
}

/** Flattens a perf report or a bench run file to metrics by name. */
export function flattenResults(doc: unknown, label: string): Map<string, Metric> {
  const out = new Map<string, Metric>();
  if (typeof doc !== 'object' || doc === null) throw new PerfCompareError(`${label}: not a JSON object`);
  const d = doc as Record<string, unknown>;
  if (Array.isArray(d.results)) {
    for (const r of d.results as Array<Record<string, unknown>>) {
      if (typeof r.name !== 'string' || typeof r.median !== 'number') continue;
      const unit = typeof r.unit === 'string' ? r.unit : '';
      out.set(r.name, { value: r.median, unit, better: r.better === 'lower' || (r.better === undefined && lowerIsBetter(r.name, unit)) ? 'lower' : 'higher' });
    }
  } else if (typeof d.recordsPerSec === 'number') {
    const mode = typeof d.mode === 'string' ? d.mode : 'perf';
    out.set(`${mode} records/s`, { value: d.recordsPerSec, unit: 'records/s', better: 'higher' });
    if (typeof d.mbPerSec === 'number') out.set(`${mode} MB/s`, { value: d.mbPerSec, unit: 'MB/s', better: 'higher' });
    const lat = d.latencyMs as Record<string, number> | undefined;
    for (const [k, v] of Object.entries(lat ?? {})) {
      if (typeof v === 'number') out.set(`${mode} latency ${k}`, { value: v, unit: 'ms', better: 'lower' });
    }
  } else {
    throw new PerfCompareError(`${label}: neither a samsa perf report (recordsPerSec) nor a bench results file (results[])`);
  }
  return out;
}

export function readResults(file: string): Map<string, Metric> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PerfCompareError(`cannot read '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return flattenResults(JSON.parse(text), file);
  } catch (err) {
    if (err instanceof PerfCompareError) throw err;
    throw new PerfCompareError(`'${file}' is not valid JSON: ${(err as Error).message}`);
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/** The comparison table, one line per metric present in either file. */
export function compareText(a: Map<string, Metric>, b: Map<string, Metric>, labels: [string, string], noisePct = 5): string {
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const rows: string[][] = [['metric', labels[0], labels[1], 'change', '']];
  for (const name of names) {
    const x = a.get(name);
    const y = b.get(name);
    const unit = (x ?? y)!.unit;
    if (!x || !y) {
      rows.push([name, x ? `${fmt(x.value)} ${unit}` : '-', y ? `${fmt(y.value)} ${unit}` : '-', '', x ? 'only in A' : 'only in B']);
      continue;
    }
    const pct = x.value === 0 ? (y.value === 0 ? 0 : Infinity) : ((y.value - x.value) / Math.abs(x.value)) * 100;
    const improved = x.better === 'higher' ? y.value > x.value : y.value < x.value;
    const verdict = Math.abs(pct) <= noisePct ? '~' : improved ? 'better' : 'worse';
    rows.push([name, `${fmt(x.value)} ${unit}`, `${fmt(y.value)} ${unit}`, `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`, verdict]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
