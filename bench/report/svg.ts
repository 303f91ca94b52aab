// Hand-written SVG for a bench run (no plotting dependency): left panel, throughput (MB/s)
// against record size on a log2 x axis; right panel, produce latency percentiles (ms, log y
// axis) for each named series. Pure function of the data: the same run gives the same bytes.

export interface SizePoint { size: number; mbPerSec: number }
export interface LatencySeries { name: string; ms: Record<string, number> }

const W = 440;
const H = 300;
const M = { l: 56, r: 16, t: 36, b: 48 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function sizeLabel(b: number): string {
  return b >= 1 << 20 ? `${b / (1 << 20)} MiB` : b >= 1024 ? `${b / 1024} KiB` : `${b} B`;
}

function throughputPanel(points: SizePoint[], x0: number): string {
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const pts = points.filter((p) => Number.isFinite(p.mbPerSec)).sort((a, b) => a.size - b.size);
  const ymax = niceMax(Math.max(...pts.map((p) => p.mbPerSec), 1));
  const lx = pts.map((p) => Math.log2(p.size));
  const [xmin, xmax] = [Math.min(...lx), Math.max(...lx)];
  const X = (size: number) => x0 + M.l + (xmax === xmin ? pw / 2 : ((Math.log2(size) - xmin) / (xmax - xmin)) * pw);
  const Y = (v: number) => M.t + ph - (v / ymax) * ph;
  const out: string[] = [`<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-weight="bold">Produce throughput vs record size</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (ymax * i) / 4;
    out.push(`<line x1="${x0 + M.l}" x2="${x0 + M.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`,
      `<text x="${x0 + M.l - 6}" y="${Y(v) + 4}" text-anchor="end">${+v.toFixed(1)}</text>`);
  }
  for (const p of pts) out.push(`<text x="${X(p.size)}" y="${M.t + ph + 16}" text-anchor="middle">${sizeLabel(p.size)}</text>`);
  out.push(`<polyline fill="none" stroke="${COLORS[0]}" stroke-width="2" points="${pts.map((p) => `${X(p.size).toFixed(1)},${Y(p.mbPerSec).toFixed(1)}`).join(' ')}"/>`);
  for (const p of pts) out.push(`<circle cx="${X(p.size).toFixed(1)}" cy="${Y(p.mbPerSec).toFixed(1)}" r="3" fill="${COLORS[0]}"><title>${sizeLabel(p.size)}: ${p.mbPerSec.toFixed(1)} MB/s</title></circle>`);
  out.push(`<text x="${x0 + M.l + pw / 2}" y="${H - 10}" text-anchor="middle">record size</text>`,
    `<text transform="translate(${x0 + 14},${M.t + ph / 2}) rotate(-90)" text-anchor="middle">MB/s (record values)</text>`);
  return out.join('\n');
}

function latencyPanel(series: LatencySeries[], x0: number): string {
  const keys = ['p50', 'p95', 'p99', 'p999', 'max'];
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const vals = series.flatMap((s) => keys.map((k) => s.ms[k] ?? NaN)).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...vals, 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...vals, 1) * 1.01));
  const Y = (v: number) => M.t + ph - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * ph;
  const group = pw / keys.length;
  const bw = (group * 0.8) / Math.max(1, series.length);
  const out: string[] = [`<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-weight="bold">Produce latency percentiles (send→ack)</text>`];
  for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e++) {
    const v = 10 ** e;
    out.push(`<line x1="${x0 + M.l}" x2="${x0 + M.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`,
      `<text x="${x0 + M.l - 6}" y="${Y(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`);
  }
  keys.forEach((k, ki) => {
    out.push(`<text x="${x0 + M.l + group * ki + group / 2}" y="${M.t + ph + 16}" text-anchor="middle">${k === 'p999' ? 'p99.9' : k}</text>`);
    series.forEach((s, si) => {
      const v = s.ms[k];
      if (!(v !== undefined && v > 0)) return;
      const x = x0 + M.l + group * ki + group * 0.1 + si * bw;
      out.push(`<rect x="${x.toFixed(1)}" y="${Y(v).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(M.t + ph - Y(v)).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(s.name)} ${k}: ${v} ms</title></rect>`);
    });
  });
  series.forEach((s, si) => out.push(`<rect x="${x0 + M.l + 4}" y="${M.t + 4 + si * 14}" width="10" height="10" fill="${COLORS[si % COLORS.length]}"/>`,
    `<text x="${x0 + M.l + 18}" y="${M.t + 13 + si * 14}">${esc(s.name)}</text>`));
  out.push(`<text transform="translate(${x0 + 14},${M.t + ph / 2}) rotate(-90)" text-anchor="middle">ms (log scale)</text>`);
  return out.join('\n');
}

export function renderSvg(title: string, sizes: SizePoint[], latency: LatencySeries[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 24}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="8" y="${H + 18}" fill="#555">${esc(title)}</text>
${throughputPanel(sizes, 0)}
${latencyPanel(latency, W)}
</svg>
`;
}
