// TS twin of fuzz/native/batch_scan_input.h: how a batch-scan corpus file becomes a scan call.
//   byte 0 mode % 3; byte 1 flags (0x01 assign, 0x02 epoch, 0x04 LogAppendTime, 0x08 capacity
//   = byte 2 % 4, 0x10 assign near 2^53 - 1); bytes 2-3 p; bytes 4.. the batches.
import type { ScanMode, ScanOptions } from '../../ts/native/scan-result.js';

const MODES: ScanMode[] = ['produce', 'replica', 'recover'];
export const CONTROL_BYTES = 4;

export function parseScanInput(d: Uint8Array): { opts: ScanOptions; batches: Uint8Array } | null {
  if (d.length < CONTROL_BYTES) return null;
  const flags = d[1];
  const p = (d[2] << 8) | d[3];
  const opts: ScanOptions = { mode: MODES[d[0] % 3] };
  if (flags & 0x01) opts.assignBaseOffset = flags & 0x10 ? Number.MAX_SAFE_INTEGER - p : p * 1000;
  if (flags & 0x02) opts.leaderEpoch = p;
  if (flags & 0x04) opts.logAppendTime = 1_700_000_000_000 + p;
  if (flags & 0x08) opts.maxBatches = d[2] % 4;
  return { opts, batches: d.subarray(CONTROL_BYTES) };
}

export function scanInput(mode: number, flags: number, p: number, batches: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([mode, flags, p >> 8, p & 0xff]), batches]);
}
