// Reference twin of index-lookup.ts: linear scans, written for clarity. Tests compare both.

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function indexLookup(entries: Uint8Array, count: number, targetRelOffset: number): number {
  const v = view(entries);
  let slot = -1;
  for (let i = 0; i < count; i++) if (v.getInt32(i * 8) <= targetRelOffset) slot = i;
  return slot;
}

export function timeIndexLookup(entries: Uint8Array, count: number, targetTimestamp: number): number {
  const v = view(entries);
  let slot = -1;
  for (let i = 0; i < count; i++) if (Number(v.getBigInt64(i * 12)) <= targetTimestamp) slot = i;
  return slot;
}

export function timeIndexCeiling(entries: Uint8Array, count: number, targetTimestamp: number): number {
  const v = view(entries);
  for (let i = 0; i < count; i++) if (Number(v.getBigInt64(i * 12)) >= targetTimestamp) return i;
  return -1;
}

export function indexSanity(entries: Uint8Array, count: number, logSize: number): number {
  const v = view(entries);
  for (let i = 0; i < count; i++) {
    const rel = v.getInt32(i * 8);
    const pos = v.getInt32(i * 8 + 4);
    if (rel < 0 || pos < 0 || pos >= logSize) return i;
    if (i > 0 && (rel <= v.getInt32(i * 8 - 8) || pos <= v.getInt32(i * 8 - 4))) return i;
  }
  return -1;
}

export function timeIndexSanity(entries: Uint8Array, count: number, maxRelOffset: number): number {
  const v = view(entries);
  for (let i = 0; i < count; i++) {
    const rel = v.getInt32(i * 12 + 8);
    if (rel < 0 || rel > maxRelOffset) return i;
    if (i > 0 && (v.getBigInt64(i * 12) <= v.getBigInt64(i * 12 - 12) || rel < v.getInt32(i * 12 - 4))) {
      return i;
    }
  }
  return -1;
}
