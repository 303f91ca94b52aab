// Producer state snapshot files: `<20-digit offset>.snapshot` in a partition directory, Kafka's
// ProducerSnapshot v1 format byte for byte (storage/.../ProducerSnapshot.json and
// ProducerStateManager.readSnapshot/writeSnapshot), so Kafka's tools can read ours and we can
// read Kafka's.
//
//   off size field
//     0    2 version            int16 = 1
//     2    4 crc                uint32 CRC-32C over [6, end of file)
//     6    4 entryCount         int32
//    10   46 entry[i]           repeated entryCount times, 46 bytes each:
//              +0  8 producerId             int64
//              +8  2 producerEpoch          int16
//             +10  4 lastSequence           int32  last sequence of the producer's last batch
//             +14  8 lastOffset             int64  last offset of that batch (-1 if none)
//             +22  4 offsetDelta            int32  lastOffset - firstOffset of that batch
//             +26  8 timestamp              int64  max timestamp of that batch
//             +34  4 coordinatorEpoch       int32
//             +38  8 currentTxnFirstOffset  int64  -1 when no transaction is open
//
// Only the producer's LAST batch is kept, as in Kafka: after a restart, a retry of one of the
// older 4 batches of the window is detected as a duplicate only if the log tail replayed after
// the snapshot contains it.
//
// The file name is the offset the snapshot is valid up to, exclusive: the state after applying
// every batch below that offset (Kafka's `lastMapOffset`, the log end offset at snapshot time).
// Files are written to `<name>.tmp`, fsynced, then renamed (atomic on POSIX).
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../native/crc32c.js';
import { readInt64BE, writeInt64BE } from '../protocol/record/int64.js';
import { StorageError } from './errors.js';

export const PRODUCER_SNAPSHOT_VERSION = 1;
export const SNAPSHOT_SUFFIX = '.snapshot';

const VERSION_OFFSET = 0;
const CRC_OFFSET = VERSION_OFFSET + 2;
const ENTRIES_OFFSET = CRC_OFFSET + 4; // the CRC covers [ENTRIES_OFFSET, end)
const ENTRY_COUNT_LENGTH = 4;

const ENTRY_PRODUCER_ID = 0;
const ENTRY_EPOCH = ENTRY_PRODUCER_ID + 8;
const ENTRY_LAST_SEQUENCE = ENTRY_EPOCH + 2;
const ENTRY_LAST_OFFSET = ENTRY_LAST_SEQUENCE + 4;
const ENTRY_OFFSET_DELTA = ENTRY_LAST_OFFSET + 8;
const ENTRY_TIMESTAMP = ENTRY_OFFSET_DELTA + 4;
const ENTRY_COORDINATOR_EPOCH = ENTRY_TIMESTAMP + 8;
const ENTRY_TXN_FIRST_OFFSET = ENTRY_COORDINATOR_EPOCH + 4;
export const SNAPSHOT_ENTRY_SIZE = ENTRY_TXN_FIRST_OFFSET + 8; // 46

/** One producer in a snapshot (Kafka's ProducerSnapshot entry). */
export interface ProducerSnapshotEntry {
  producerId: number;
  producerEpoch: number;
  /** Last sequence of the last batch, -1 when the producer has no batch (epoch/txn state only). */
  lastSequence: number;
  /** Last offset of the last batch, -1 when none. */
  lastOffset: number;
  /** lastOffset - firstOffset of the last batch (also lastSequence - firstSequence). */
  offsetDelta: number;
  /** Max timestamp of the last batch; drives producer.id.expiration.ms. */
  timestamp: number;
  coordinatorEpoch: number;
  /** First offset of the open transaction, -1 when none. */
  currentTxnFirstOffset: number;
}

/** A snapshot file that cannot be trusted; the loader deletes it and falls back to an older one. */
export class CorruptSnapshotError extends StorageError {
  constructor(readonly path: string, reason: string) {
    super('CORRUPT_SNAPSHOT', 56, `producer snapshot ${path} is corrupt (${reason}): ` +
      'it will be ignored and the producer state rebuilt from the log');
  }
}

export function encodeProducerSnapshot(entries: readonly ProducerSnapshotEntry[]): Buffer {
  const buf = Buffer.alloc(ENTRIES_OFFSET + ENTRY_COUNT_LENGTH + entries.length * SNAPSHOT_ENTRY_SIZE);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, VERSION_OFFSET);
  buf.writeInt32BE(entries.length, ENTRIES_OFFSET);
  let pos = ENTRIES_OFFSET + ENTRY_COUNT_LENGTH;
  for (const e of entries) {
    writeInt64BE(buf, pos + ENTRY_PRODUCER_ID, e.producerId);
    buf.writeInt16BE(e.producerEpoch, pos + ENTRY_EPOCH);
    buf.writeInt32BE(e.lastSequence, pos + ENTRY_LAST_SEQUENCE);
    writeInt64BE(buf, pos + ENTRY_LAST_OFFSET, e.lastOffset);
    buf.writeInt32BE(e.offsetDelta, pos + ENTRY_OFFSET_DELTA);
    writeInt64BE(buf, pos + ENTRY_TIMESTAMP, e.timestamp);
    buf.writeInt32BE(e.coordinatorEpoch, pos + ENTRY_COORDINATOR_EPOCH);
    writeInt64BE(buf, pos + ENTRY_TXN_FIRST_OFFSET, e.currentTxnFirstOffset);
    pos += SNAPSHOT_ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(ENTRIES_OFFSET)), CRC_OFFSET);
  return buf;
}

/** Decodes and verifies a snapshot; throws CorruptSnapshotError naming `path` on any problem. */
export function decodeProducerSnapshot(buf: Buffer, path = '<buffer>'): ProducerSnapshotEntry[] {
  if (buf.length < ENTRIES_OFFSET + ENTRY_COUNT_LENGTH) throw new CorruptSnapshotError(path, `${buf.length} bytes is shorter than the header`);
  const version = buf.readInt16BE(VERSION_OFFSET);
  if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(path, `unknown version ${version}, expected ${PRODUCER_SNAPSHOT_VERSION}`);
  const stored = buf.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(buf.subarray(ENTRIES_OFFSET));
  if (stored !== computed) {
    throw new CorruptSnapshotError(path, `stored crc 0x${stored.toString(16)} != computed 0x${computed.toString(16)}`);
  }
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  const expected = ENTRIES_OFFSET + ENTRY_COUNT_LENGTH + count * SNAPSHOT_ENTRY_SIZE;
  if (count < 0 || expected !== buf.length) {
    throw new CorruptSnapshotError(path, `entry count ${count} needs ${expected} bytes, file has ${buf.length}`);
  }
  const entries: ProducerSnapshotEntry[] = [];
  let pos = ENTRIES_OFFSET + ENTRY_COUNT_LENGTH;
  for (let i = 0; i < count; i++, pos += SNAPSHOT_ENTRY_SIZE) {
    entries.push({
      producerId: readInt64BE(buf, pos + ENTRY_PRODUCER_ID),
      producerEpoch: buf.readInt16BE(pos + ENTRY_EPOCH),
      lastSequence: buf.readInt32BE(pos + ENTRY_LAST_SEQUENCE),
      lastOffset: readInt64BE(buf, pos + ENTRY_LAST_OFFSET),
      offsetDelta: buf.readInt32BE(pos + ENTRY_OFFSET_DELTA),
      timestamp: readInt64BE(buf, pos + ENTRY_TIMESTAMP),
      coordinatorEpoch: buf.readInt32BE(pos + ENTRY_COORDINATOR_EPOCH),
      currentTxnFirstOffset: readInt64BE(buf, pos + ENTRY_TXN_FIRST_OFFSET),
    });
  }
  return entries;
}

/** `00000000000000001234.snapshot` for offset 1234 (Kafka's 20-digit file prefix). */
export function snapshotFileName(offset: number): string {
  return String(offset).padStart(20, '0') + SNAPSHOT_SUFFIX;
}

/** The offset in a snapshot file name, or null when the name is not a snapshot file. */
export function parseSnapshotFileName(name: string): number | null {
  const m = /^(\d{20})\.snapshot$/.exec(name);
  return m ? Number(m[1]) : null;
}

export interface SnapshotFile { offset: number; path: string }

/** Snapshot files in `dir`, sorted by offset ascending. */
export async function listSnapshotFiles(dir: string): Promise<SnapshotFile[]> {
  const names = await fsp.readdir(dir);
  const out: SnapshotFile[] = [];
  for (const name of names) {
    const offset = parseSnapshotFileName(name);
    if (offset !== null) out.push({ offset, path: join(dir, name) });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Writes `<dir>/<offset>.snapshot` atomically (tmp + fsync + rename). Returns the path. */
export async function writeSnapshotFile(dir: string, offset: number, entries: readonly ProducerSnapshotEntry[]): Promise<string> {
  const path = join(dir, snapshotFileName(offset));
  const tmp = path + '.tmp';
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(encodeProducerSnapshot(entries));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, path);
  return path;
}

export async function readSnapshotFile(path: string): Promise<ProducerSnapshotEntry[]> {
  return decodeProducerSnapshot(await fsp.readFile(path), path);
}
