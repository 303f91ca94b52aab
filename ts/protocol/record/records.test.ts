import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRecords, encodeRecords, type Record } from './records.js';

const recs: Record[] = [
  { offset: 10, timestamp: 1000, key: Buffer.from('k'), value: Buffer.from('v'), headers: [] },
  { offset: 11, timestamp: 999, key: null, value: Buffer.from('ab'), headers: [{ key: 'h', value: null }] },
  { offset: 13, timestamp: 2000, key: Buffer.alloc(0), value: null, headers: [{ key: 'é', value: Buffer.from([1]) }, { key: 'é', value: Buffer.alloc(0) }] },
];

test('encode matches the hand-computed bytes and decodes back', () => {
  const b = encodeRecords(recs.slice(0, 2), 10, 1000);
  assert.is(b.toString('hex'), '10000000026b027600' + '160001020104616202026801');
  assert.equal(decodeRecords(Buffer.alloc(0), 0, 0, 0, 10, 1000), []);
  assert.is(encodeRecords([], 10, 1000).length, 0);
  const enc = encodeRecords(recs, 10, 1000);
  const out = decodeRecords(enc, 0, enc.length, 3, 10, 1000);
  assert.equal(out.map((r) => [r.offset, r.timestamp, r.key?.toString('hex') ?? null, r.value?.toString('hex') ?? null,
    r.headers.map((h) => [h.key, h.value?.toString('hex') ?? null])]),
  recs.map((r) => [r.offset, r.timestamp, r.key?.toString('hex') ?? null, r.value?.toString('hex') ?? null,
    r.headers.map((h) => [h.key, h.value?.toString('hex') ?? null])]));
});

function code(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

test('count mismatch, trailing bytes, bad lengths: CORRUPT_RECORD', () => {
  const enc = encodeRecords(recs, 10, 1000);
  assert.is(code(() => decodeRecords(enc, 0, enc.length, 2, 10, 1000)), 'CORRUPT_RECORD'); // bytes left over
  assert.is(code(() => decodeRecords(enc, 0, enc.length, 4, 10, 1000)), 'CORRUPT_RECORD'); // runs out
  assert.is(code(() => decodeRecords(enc, 0, enc.length, -1, 10, 1000)), 'CORRUPT_RECORD');
  const bad = Buffer.from(enc);
  bad[0] = 0x12; // first record claims 9 bytes instead of 8
  assert.is(code(() => decodeRecords(bad, 0, bad.length, 3, 10, 1000)), 'CORRUPT_RECORD');
  const negKey = Buffer.from('0c000000030000', 'hex'); // key length -2
  assert.is(code(() => decodeRecords(negKey, 0, negKey.length, 1, 0, 0)), 'CORRUPT_RECORD');
});

test.run();
