import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBatch } from '../protocol/record/batch-builder.js';
import { EmbeddedBatchWriter, type EmbeddedRecordInput } from './embedded-batch.js';

const NOW = 1_700_000_000_000;

test('encodes the same bytes as buildBatch (keys, nulls, strings, headers, timestamps)', () => {
  const w = new EmbeddedBatchWriter();
  const cases: EmbeddedRecordInput[][] = [
    [{ value: Buffer.from('a') }],
    [{ key: 'k1', value: 'héllo', timestamp: NOW - 5 }, { key: null, value: null }, { key: Buffer.alloc(0), value: Buffer.alloc(300, 7), timestamp: NOW + 9 }],
    [{ value: 'x', headers: [{ key: 'h', value: Buffer.from('v') }, { key: 'ü', value: null }] }, { value: 'y', headers: [] }],
    Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(i % 200, i), timestamp: NOW + (i % 7) * 1e9 })),
  ];
  for (const recs of cases) {
    const got = w.encode(recs, NOW);
    const want = buildBatch(recs.map((r) => ({ key: r.key ?? null, value: r.value, headers: r.headers ?? [], timestamp: r.timestamp ?? NOW })), { now: NOW });
    assert.equal(got.bytes.toString('hex'), want.toString('hex'));
    got.release();
  }
});

test('a slab is reused only once every batch on it is released', () => {
  const w = new EmbeddedBatchWriter();
  const a = w.encode([{ value: 'first' }], NOW);
  const copyA = Buffer.from(a.bytes);
  const b = w.encode([{ value: 'second' }], NOW);
  assert.ok(b.bytes.byteOffset >= a.bytes.byteOffset + a.bytes.length, 'second batch placed after the first');
  a.release();
  const c = w.encode([{ value: 'third!' }], NOW);
  assert.ok(c.bytes.byteOffset >= b.bytes.byteOffset + b.bytes.length, 'b still outstanding: no rewind');
  b.release(); c.release(); c.release(); // double release is harmless
  const d = w.encode([{ value: 'fourth' }], NOW);
  assert.is(d.bytes.byteOffset, a.bytes.byteOffset, 'everything released: back to the slab start');
  assert.not.equal(a.bytes.toString('hex'), copyA.toString('hex'));
  const big = w.encode([{ value: Buffer.alloc(600_000) }], NOW);
  assert.is(big.bytes.byteOffset, 0);
  assert.is(big.bytes.buffer.byteLength, big.bytes.length, 'large batch gets its own buffer');
});

test('rejects bad input with INVALID_RECORD', () => {
  const w = new EmbeddedBatchWriter();
  for (const recs of [[], [{ value: 5 }], [{ key: 3, value: null }], [{ value: 'x', timestamp: 1.5 }]]) {
    try { w.encode(recs as never, NOW); assert.unreachable('should throw'); } catch (e) { assert.is((e as { code?: string }).code, 'INVALID_RECORD'); }
  }
});

test.run();
