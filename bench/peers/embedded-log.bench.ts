// Question: how fast does openLog append and read back records compared with what a Node user
// would embed instead (lmdb, better-sqlite3 WAL, classic-level), at matched durability
// (embedded-stores.ts says what "pagecache" and "durable" mean for each)?
// Scenarios: 100-byte and 1 KiB values, appended sequentially `batch` records per call, then read
// back in order. Values are seeded random bytes (incompressible), the same for every store.
// Run alone: node --import tsx bench/peers/embedded-log.bench.ts [--records 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES, type Durability } from './embedded-stores.js';

export interface EmbeddedScenario { valueSize: number; records: number; batch: number; durability: Durability }
export interface EmbeddedRow { scenario: string; store: string; op: 'append' | 'read'; recordsPerSec: number; mbPerSec: number; error?: string }

export function scenarioName(s: EmbeddedScenario): string {
  return `${s.valueSize >= 1024 ? `${s.valueSize / 1024}KiB` : `${s.valueSize}B`} x${s.batch}/call ${s.durability}`;
}

export function seededValues(n: number, size: number, seed: number): Buffer[] {
  const all = Buffer.allocUnsafe(n * size);
  let x = (seed >>> 0) || 1;
  for (let i = 0; i < all.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    all.writeUInt32LE(x, Math.min(i, all.length - 4));
  }
  return Array.from({ length: n }, (_, i) => all.subarray(i * size, (i + 1) * size));
}

async function measure(factory: (typeof STORES)[number], s: EmbeddedScenario, values: Buffer[]): Promise<[number, number]> {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-bench-'));
  try {
    const store = await factory.open(dir, s.durability);
    const t0 = performance.now();
    for (let i = 0; i < s.records; i += s.batch) await store.append(i, values.slice(i, Math.min(s.records, i + s.batch)));
    const t1 = performance.now();
    const [n, bytes] = await store.readAll();
    const t2 = performance.now();
    await store.close();
    if (n !== s.records || bytes !== s.records * s.valueSize) throw new Error(`read back ${n} records / ${bytes} bytes, expected ${s.records}`);
    return [(t1 - t0) / 1000, (t2 - t1) / 1000];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Each store first runs the whole scenario once in a throwaway dir (JIT and native warm-up), so
 * the measured run is steady state for every store alike. A tenth (the former warm-up) left
 * openLog's JS mostly unoptimised at the default 40,000 records: 0.3-0.4 M vs 1.4-2.5 M
 * records/s for 100 B x100/call in the same process once warm (bench/README.md notes).
 */
export async function runEmbedded(scenarios: EmbeddedScenario[], seed: number): Promise<EmbeddedRow[]> {
  const rows: EmbeddedRow[] = [];
  for (const s of scenarios) {
    const values = seededValues(s.records, s.valueSize, seed);
    const name = scenarioName(s);
    for (const factory of STORES) {
      try {
        await measure(factory, s, values);
        const [appendSecs, readSecs] = await measure(factory, s, values);
        const mb = (s.records * s.valueSize) / 1e6;
        rows.push({ scenario: name, store: factory.name, op: 'append', recordsPerSec: s.records / appendSecs, mbPerSec: mb / appendSecs });
        rows.push({ scenario: name, store: factory.name, op: 'read', recordsPerSec: s.records / readSecs, mbPerSec: mb / readSecs });
      } catch (err) {
        rows.push({ scenario: name, store: factory.name, op: 'append', recordsPerSec: NaN, mbPerSec: NaN, error: (err as Error).message });
      }
    }
  }
  return rows;
}

export function defaultScenarios(records: number): EmbeddedScenario[] {
  return [
    { valueSize: 100, records, batch: 100, durability: 'pagecache' },
    { valueSize: 1024, records: Math.floor(records / 4), batch: 100, durability: 'pagecache' },
    { valueSize: 100, records: Math.floor(records / 10), batch: 1, durability: 'pagecache' },
    { valueSize: 1024, records: Math.floor(records / 40), batch: 100, durability: 'durable' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--records');
  const records = i > 0 ? Number(process.argv[i + 1]) : 100_000;
  const rows = await runEmbedded(defaultScenarios(records), 42);
  console.table(rows.map((r) => ({ ...r, recordsPerSec: Math.round(r.recordsPerSec), mbPerSec: +r.mbPerSec.toFixed(1) })));
}
