import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { crc32c as crc32cRef } from '../native/crc32c.ref.js';
import {
  decodeProducerSnapshot, encodeProducerSnapshot, listSnapshotFiles, parseSnapshotFileName, readSnapshotFile,
  snapshotFileName, writeSnapshotFile, SNAPSHOT_ENTRY_SIZE, type ProducerSnapshotEntry,
} from './producer-state-snapshot.js';

const entry: ProducerSnapshotEntry = {
  producerId: 0x0102030405, producerEpoch: 7, lastSequence: 41, lastOffset: 1000,
  offsetDelta: 9, timestamp: 1_700_000_000_123, coordinatorEpoch: -1, currentTxnFirstOffset: -1,
};

// Expected bytes written field by field from the ProducerSnapshot v1 layout.
const goldenBody =
  '00000001' +               // entry count
  '0000000102030405' +       // producerId
  '0007' +                   // epoch
  '00000029' +               // lastSequence 41
  '00000000000003e8' +       // lastOffset 1000
  '00000009' +               // offsetDelta
  '0000018bcfe5687b' +       // timestamp 1700000000123
  'ffffffff' +               // coordinatorEpoch -1
  'ffffffffffffffff';        // currentTxnFirstOffset -1

test('encodes Kafka ProducerSnapshot v1 byte for byte (golden)', () => {
  const buf = encodeProducerSnapshot([entry]);
  const body = Buffer.from(goldenBody, 'hex');
  assert.is(SNAPSHOT_ENTRY_SIZE, 46);
  assert.is(buf.length, 2 + 4 + body.length);
  assert.is(buf.readInt16BE(0), 1);
  assert.is(buf.subarray(6).toString('hex'), goldenBody);
  assert.is(buf.readUInt32BE(2), crc32cRef(body));
  // Pinned: the whole file, CRC included.
  assert.is(buf.toString('hex'), '0001309f40eb' + goldenBody);
});

test('empty snapshot is version + crc + zero count', () => {
  const buf = encodeProducerSnapshot([]);
  assert.is(buf.length, 10);
  assert.is(buf.subarray(6).toString('hex'), '00000000');
  assert.equal(decodeProducerSnapshot(buf), []);
});

test('round trip of several entries keeps order and values', () => {
  const entries: ProducerSnapshotEntry[] = [
    entry,
    { producerId: 2, producerEpoch: 32767, lastSequence: 2147483647, lastOffset: 2 ** 40, offsetDelta: 0,
      timestamp: -1, coordinatorEpoch: 5, currentTxnFirstOffset: 2 ** 40 - 10 },
    { producerId: 3, producerEpoch: 0, lastSequence: -1, lastOffset: -1, offsetDelta: 0, timestamp: 12, coordinatorEpoch: 0, currentTxnFirstOffset: 77 },
  ];
  assert.equal(decodeProducerSnapshot(encodeProducerSnapshot(entries)), entries);
});

test('corruption is detected: crc, version, truncated, trailing bytes', () => {
  const good = encodeProducerSnapshot([entry]);
  const flipped = Buffer.from(good); flipped[20] ^= 0x01;
  assert.throws(() => decodeProducerSnapshot(flipped, 'x.snapshot'), (e: any) => e.code === 'CORRUPT_SNAPSHOT' && /crc/.test(e.message) && /x\.snapshot/.test(e.message));
  const badVersion = Buffer.from(good); badVersion.writeInt16BE(2, 0);
  assert.throws(() => decodeProducerSnapshot(badVersion), (e: any) => e.code === 'CORRUPT_SNAPSHOT' && /version 2/.test(e.message));
  assert.throws(() => decodeProducerSnapshot(good.subarray(0, 5)), (e: any) => e.code === 'CORRUPT_SNAPSHOT');
  // Truncated body with a CRC that matches what remains: caught by the length check.
  const short = Buffer.from(good.subarray(0, good.length - 4));
  short.writeUInt32BE(crc32cRef(short.subarray(6)), 2);
  assert.throws(() => decodeProducerSnapshot(short), (e: any) => e.code === 'CORRUPT_SNAPSHOT' && /entry count/.test(e.message));
});

test('file names are 20-digit offsets', () => {
  assert.is(snapshotFileName(1234), '00000000000000001234.snapshot');
  assert.is(parseSnapshotFileName('00000000000000001234.snapshot'), 1234);
  assert.is(parseSnapshotFileName('00000000000000001234.snapshot.tmp'), null);
  assert.is(parseSnapshotFileName('00000000000000001234.log'), null);
});

test('write, list (sorted) and read files; no tmp left behind', async () => {
  const dir = fs.mkdtempSync(os.tmpdir() + '/samsa-');
  try {
    await writeSnapshotFile(dir, 500, [entry]);
    await writeSnapshotFile(dir, 20, []);
    fs.writeFileSync(join(dir, '00000000000000000000.log'), '');
    const files = await listSnapshotFiles(dir);
    assert.equal(files.map((f) => f.offset), [20, 500]);
    assert.equal(await readSnapshotFile(files[1]!.path), [entry]);
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
