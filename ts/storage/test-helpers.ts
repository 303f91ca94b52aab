// Test helpers for ts/storage tests (not part of the public API): temp dirs, batch builders,
// and a brute-force reader of a partition directory used as the oracle.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { readBatches } from '../protocol/record/batch-reader.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'samsa-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A batch of `count` records whose values encode `tag` and the index; timestamps from `ts`. */
export function makeBatch(count: number, tag: string, ts = 1_700_000_000_000, valueSize = 0): Buffer {
  const records = [];
  for (let i = 0; i < count; i++) {
    const v = Buffer.alloc(Math.max(valueSize, 0), i & 0xff);
    records.push({ key: `${tag}-${i}`, value: valueSize > 0 ? v : `${tag}-v${i}`, timestamp: ts + i });
  }
  return buildBatch(records, { now: ts });
}

export interface FlatRecord { offset: number; timestamp: number; key: string | null; value: Buffer | null; batchBase: number; batchLast: number }

/** Every record of every .log file in `dir`, in segment order (CRC checked). */
export function bruteForce(dir: string): FlatRecord[] {
  const out: FlatRecord[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const buf = readFileSync(join(dir, name));
    for (const b of readBatches(buf)) {
      if (!b.crcValid()) throw new Error(`bad CRC in ${name} at ${b.position}`);
      for (const r of b.records()) out.push({ offset: r.offset, timestamp: r.timestamp, key: r.key ? r.key.toString() : null, value: r.value, batchBase: b.baseOffset, batchLast: b.lastOffset });
    }
  }
  return out;
}

/** Decodes batches in a buffer to records (CRC checked). */
export function recordsOf(buf: Buffer): { offset: number; key: string | null; value: Buffer | null; timestamp: number }[] {
  const out = [];
  for (const b of readBatches(buf)) {
    if (!b.crcValid()) throw new Error(`bad CRC at ${b.position}`);
    for (const r of b.records()) out.push({ offset: r.offset, key: r.key ? r.key.toString() : null, value: r.value, timestamp: r.timestamp });
  }
  return out;
}
