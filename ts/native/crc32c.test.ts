import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { crc32c, crc32cImplementation, crc32cPortable } from './crc32c.js';
import { crc32c as crc32cRef } from './crc32c.ref.js';

const impls = { native: crc32c, portable: crc32cPortable, ref: crc32cRef };

// RFC 3720 (iSCSI) appendix B.4 vectors plus the classic check value.
const iscsiRead = Uint8Array.from([
  0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0,
  0x14, 0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
]);
const vectors: Array<[string, Uint8Array, number]> = [
  ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
  ['32 x 0x00', new Uint8Array(32), 0x8a9136aa],
  ['32 x 0xff', new Uint8Array(32).fill(0xff), 0x62a8ab43],
  ['0..31', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
  ['31..0', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
  ['iSCSI read PDU', iscsiRead, 0xd9963a56],
  ['empty', new Uint8Array(0), 0],
];

for (const [name, fn] of Object.entries(impls)) {
  test(`${name}: known vectors`, () => {
    for (const [label, data, want] of vectors) assert.is(fn(data), want, label);
  });
}

test('implementation name', () => {
  assert.ok(['sse4.2', 'portable'].includes(crc32cImplementation()));
});

// Deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('native, portable and ref agree on random lengths and alignments', () => {
  const rand = rng(42);
  const big = new Uint8Array(90_000);
  for (let i = 0; i < big.length; i++) big[i] = (rand() * 256) | 0;
  // Lengths around the SSE4.2 block boundaries (crc32c_sse42.cc: last block from 128 bytes,
  // 12 x 320, 12 x 1344, 12 x 5440; 3 x 256 and 3 x 4096 without PCLMULQDQ) and random ones.
  const lengths = [0, 1, 7, 8, 9, 63, 64, 127, 128, 129, 191, 192, 767, 768, 769, 1024, 3839, 3840,
    3841, 4095, 4096, 12287, 12288, 12289, 16127, 16128, 16129, 16128 + 3840, 24576 + 777, 65279,
    65280, 65281, 65536, 65280 + 16128 + 3840 + 200];
  for (let i = 0; i < 40; i++) lengths.push((rand() * 60_000) | 0);
  for (const len of lengths) {
    for (const align of [0, 1, 3, 7]) {
      const view = big.subarray(align, align + len);
      const want = crc32cRef(view);
      assert.is(crc32c(view), want, `native len=${len} align=${align}`);
      assert.is(crc32cPortable(view), want, `portable len=${len} align=${align}`);
    }
  }
});

test('chaining: crc(b, crc(a)) == crc(a ++ b) for every implementation', () => {
  const rand = rng(7);
  const data = new Uint8Array(40_000);
  for (let i = 0; i < data.length; i++) data[i] = (rand() * 256) | 0;
  const whole = crc32cRef(data);
  for (const cut of [0, 1, 100, 12_288, 20_001, 39_999, 40_000]) {
    const a = data.subarray(0, cut);
    const b = data.subarray(cut);
    for (const [name, fn] of Object.entries(impls)) {
      assert.is(fn(b, fn(a)), whole, `${name} cut=${cut}`);
    }
  }
});

test('rejects non-Uint8Array arguments with TypeError', () => {
  assert.throws(() => crc32c('abc' as unknown as Uint8Array), (e: Error) => e instanceof TypeError);
  assert.throws(() => crc32c(new Uint8Array(1), -1), (e: Error) => e instanceof RangeError);
});

test('addon loads and runs in worker threads (two at once)', async () => {
  const fixture = new URL('./worker-fixture.mjs', import.meta.url);
  const results = await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
    const w = new Worker(fixture);
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  })));
  const impl = crc32cImplementation();
  assert.equal(results, [[0xe3069283, impl], [0xe3069283, impl]]);
});

test.run();
