import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameDecoder } from '../protocol/frame.js';
import { FrameBufferPool, MAX_POOLED_BYTES, MIN_POOLED_BYTES } from './frame-buffer-pool.js';

test('take gives the smallest power-of-two class; a given-back buffer is reused', () => {
  const pool = new FrameBufferPool();
  const a = pool.take(200_000);
  assert.is(a.length, 262_144);
  pool.give(a.subarray(0, 200_000)); // the decoder hands out a view; its buffer goes back
  const b = pool.take(150_000);
  assert.is(b.buffer, a.buffer, 'same memory');
  assert.is(pool.reused, 1);
  const c = pool.take(150_000);
  assert.is.not(c.buffer, a.buffer, 'b still lent: a new buffer');
});

test('only buffers the pool lent are accepted, once; small and huge sizes are not pooled', () => {
  const pool = new FrameBufferPool();
  const foreign = Buffer.allocUnsafeSlow(MIN_POOLED_BYTES);
  pool.give(foreign);
  assert.is.not(pool.take(MIN_POOLED_BYTES).buffer, foreign.buffer, 'a socket chunk never enters the pool');
  const a = pool.take(MIN_POOLED_BYTES);
  pool.give(a); pool.give(a);
  const x = pool.take(MIN_POOLED_BYTES), y = pool.take(MIN_POOLED_BYTES);
  assert.is(x.buffer, a.buffer);
  assert.is.not(y.buffer, a.buffer, 'a double give does not lend the same memory twice');
  assert.is(pool.take(100).length, 100);
  assert.is(pool.take(MAX_POOLED_BYTES + 1).length, MAX_POOLED_BYTES + 1);
});

test('with FrameDecoder: frames split across chunks are assembled in pooled buffers, bytes intact', () => {
  const pool = new FrameBufferPool();
  const dec = new FrameDecoder(1 << 26, { frameBuffer: (n) => pool.take(n) });
  const payloads = [100_000, 70_000, 300_000, 100_000].map((n, i) => Buffer.alloc(n, i + 1));
  const stream = Buffer.concat(payloads.flatMap((p) => { const h = Buffer.alloc(4); h.writeInt32BE(p.length); return [h, p]; }));
  const got: Buffer[] = [];
  for (let at = 0; at < stream.length; at += 65_536) {
    for (const f of dec.pushAll(stream.subarray(at, at + 65_536))) {
      got.push(Buffer.from(f)); // checked after the buffer is recycled
      pool.give(f);
    }
  }
  assert.is(got.length, 4);
  got.forEach((g, i) => assert.ok(g.equals(payloads[i]!), `frame ${i} intact`));
  assert.ok(pool.reused >= 1, 'the 100 KB frames shared one buffer');
});

test.run();
