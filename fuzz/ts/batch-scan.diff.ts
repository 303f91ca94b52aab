// Differential target: native scanBatches (ts/native/batch-scan.ts) against its TS reference
// (batch-scan.ref.ts) on the same input: same status, message, summary (header + every batch)
// and the same bytes after in-place assignment, errors included. Inputs: batch-scan corpus files
// (layout in batch-scan-input.ts) and fast-check mutations of them (flips, boundary integers in
// length/count fields, truncation, garbage) with random scan options; a mutation that keeps the
// CRC valid is made by re-checksumming after some edits, so the checks behind the CRC run too.
import fc from 'fast-check';
import { scanBatches as scanNative } from '../../ts/native/batch-scan.js';
import { scanBatches as scanRef } from '../../ts/native/batch-scan.ref.js';
import { crc32c } from '../../ts/native/crc32c.ref.js';
import { HEADER_SLOTS, STRIDE } from '../../ts/native/scan-result.js';
import { readCorpus } from './corpus.js';
import { CONTROL_BYTES, parseScanInput, scanInput } from './batch-scan-input.js';
import { applyMutations, mutationsArb } from './mutate.js';
import { timedProperty, type TsFuzzTarget } from './target.js';

/** Throws when native and reference disagree on this corpus-format input. */
export function checkBatchScanInput(input: Uint8Array): void {
  const parsed = parseScanInput(input);
  if (!parsed) return;
  const a = Buffer.from(parsed.batches);
  const b = Buffer.from(parsed.batches);
  const n = scanNative(a, parsed.opts);
  const r = scanRef(b, parsed.opts);
  const where = `mode ${parsed.opts.mode} opts ${JSON.stringify(parsed.opts)}`;
  if (n.status !== r.status) throw new Error(`status: native ${n.status} (${n.message}), reference ${r.status} (${r.message}); ${where}`);
  if (n.message !== r.message) throw new Error(`message: native "${n.message}", reference "${r.message}"; ${where}`);
  const len = HEADER_SLOTS + n.count * STRIDE;
  const nr = n.raw(), rr = r.raw();
  for (let i = 0; i < len; i++) {
    if (!Object.is(nr[i], rr[i])) throw new Error(`summary slot ${i}: native ${nr[i]}, reference ${rr[i]}; ${where}`);
  }
  if (!a.equals(b)) throw new Error(`bytes after assignment differ at ${a.findIndex((x, i) => x !== b[i])}; ${where}`);
}

/** Recomputes the CRC of every batch whose header is readable and in bounds (after edits). */
function recrc(buf: Buffer): void {
  let p = 0;
  while (p + 61 <= buf.length) {
    const size = 12 + buf.readInt32BE(p + 8);
    if (size < 61 || p + size > buf.length) return;
    buf.writeUInt32BE(crc32c(buf.subarray(p + 21, p + size)), p + 17);
    p += size;
  }
}

let pool: Buffer[] | null = null;
function seeds(): Buffer[] {
  pool ??= readCorpus('batch-scan').map((f) => f.bytes.subarray(CONTROL_BYTES)).filter((b) => b.length > 0);
  return pool;
}

const caseArb = fc.record({
  seed: fc.nat(),
  control: fc.tuple(fc.nat(2), fc.nat(31), fc.nat(255), fc.nat(255)),
  muts: mutationsArb,
  fixCrc: fc.boolean(),
});
type Case = { seed: number; control: [number, number, number, number]; muts: Parameters<typeof applyMutations>[1]; fixCrc: boolean };

function caseInput(c: Case): Buffer {
  const s = seeds();
  const batches = applyMutations(s[c.seed % s.length], c.muts);
  if (c.fixCrc) recrc(batches);
  const [mode, flags, hi, lo] = c.control;
  return scanInput(mode, flags, (hi << 8) | lo, batches);
}

export const batchScanDiff: TsFuzzTarget = {
  name: 'batch-scan-diff',
  corpus: 'batch-scan',
  async run(budget) {
    return timedProperty(caseArb, (c) => checkBatchScanInput(caseInput(c as Case)), budget, (c) => caseInput(c as Case));
  },
  replay: checkBatchScanInput,
};
