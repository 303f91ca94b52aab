import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameDecoder, FrameError } from './frame.js';

function frame(payload: string): Buffer {
  const b = Buffer.alloc(4 + payload.length);
  b.writeInt32BE(payload.length);
  b.write(payload, 4, 'latin1');
  return b;
}

test('whole frames in one chunk are zero-copy slices, in order', () => {
  const chunk = Buffer.concat([frame('abc'), frame(''), frame('hello')]);
  const out = new FrameDecoder().pushAll(chunk);
  assert.equal(out.map((f) => f.toString()), ['abc', '', 'hello']);
  assert.is(out[0]!.buffer, chunk.buffer);
});

test('frames split at every byte boundary reassemble identically', () => {
  const stream = Buffer.concat([frame('first'), frame('x'), frame('the third frame')]);
  for (let a = 0; a <= stream.length; a++) {
    for (let b = a; b <= stream.length; b += 3) {
      const d = new FrameDecoder();
      const got = [...d.pushAll(stream.subarray(0, a)), ...d.pushAll(stream.subarray(a, b)), ...d.pushAll(stream.subarray(b))];
      assert.equal(got.map((f) => f.toString()), ['first', 'x', 'the third frame'], `split ${a}/${b}`);
      assert.is(d.buffered, 0);
    }
  }
});

test('one byte at a time', () => {
  const stream = Buffer.concat([frame('ab'), frame('cd')]);
  const d = new FrameDecoder();
  const got: string[] = [];
  for (const byte of stream) d.push(Buffer.from([byte]), (f) => got.push(f.toString()));
  assert.equal(got, ['ab', 'cd']);
});

test('negative and oversized frames are refused with a reason; the decoder stays failed', () => {
  const d = new FrameDecoder(100);
  try {
    d.pushAll(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, FrameError);
    assert.is((err as FrameError).code, 'FRAME_NEGATIVE_SIZE');
    assert.is((err as FrameError).size, -2);
  }
  assert.throws(() => d.pushAll(frame('ok')), (e: FrameError) => e.code === 'FRAME_NEGATIVE_SIZE');
  const big = new FrameDecoder(100);
  assert.equal(big.pushAll(frame('y'.repeat(100))).length, 1);
  assert.throws(() => big.pushAll(Buffer.from([0, 0, 0, 101, 1, 2])),
    (e: FrameError) => e.code === 'FRAME_TOO_LARGE' && /socket\.request\.max\.bytes/.test(e.message));
});

test('memory held follows bytes received, not the declared size', () => {
  const d = new FrameDecoder();
  d.pushAll(Buffer.from([0x05, 0xf5, 0xe1, 0x00, 1])); // declares 100,000,000 bytes, sends 1
  assert.is(d.buffered, 1);
});

test('pull mode: append queues chunks unsplit; next() returns one frame at a time, then null', () => {
  const d = new FrameDecoder();
  const stream = Buffer.concat([frame('one'), frame('two'), frame('three')]);
  d.append(stream.subarray(0, 9));
  d.append(stream.subarray(9));
  assert.is(d.buffered, stream.length);
  assert.is(d.next()!.toString(), 'one');
  assert.is(d.buffered, stream.length - 7);
  assert.is(d.next()!.toString(), 'two');
  assert.is(d.next()!.toString(), 'three');
  assert.is(d.next(), null);
  assert.is(d.buffered, 0);
  d.append(frame('four').subarray(0, 5));
  assert.is(d.next(), null);
  d.append(frame('four').subarray(5));
  assert.is(d.next()!.toString(), 'four');
});

test('a frame spanning chunks is assembled in one buffer asked for once at its declared size', () => {
  const sizes: number[] = [];
  const slab = Buffer.alloc(64);
  const d = new FrameDecoder(100, { frameBuffer: (n) => { sizes.push(n); return slab; } });
  const stream = Buffer.concat([frame('a'.repeat(20)), frame('b')]);
  const got: Buffer[] = [];
  for (let i = 0; i < stream.length; i += 3) d.push(stream.subarray(i, i + 3), (f) => got.push(f));
  assert.equal(sizes, [20]); // 'b' arrives inside one chunk: a zero-copy slice, no buffer asked
  assert.equal(got.map((f) => f.toString()), ['a'.repeat(20), 'b']);
  assert.is(got[0]!.buffer, slab.buffer);
});

test('pull mode refuses a bad size before its body arrives and stays failed', () => {
  const d = new FrameDecoder(10);
  d.append(frame('ok'));
  d.append(Buffer.from([0, 0, 0, 11]));
  assert.is(d.next()!.toString(), 'ok');
  assert.throws(() => d.next(), (e: FrameError) => e.code === 'FRAME_TOO_LARGE');
  assert.throws(() => d.next(), (e: FrameError) => e.code === 'FRAME_TOO_LARGE');
});

test('transient chunks: frames are copied, unsplit bytes survive reuse of the read buffer via retain()', () => {
  const d = new FrameDecoder();
  const stream = Buffer.concat([frame('one'), frame('two'), frame('x'.repeat(30)), frame('four')]);
  const readBuf = Buffer.alloc(16); // one reused "socket read" buffer
  const got: Buffer[] = [];
  let stopAfter = 1; // take one frame per read at first (backpressure), then everything
  for (let pos = 0; pos < stream.length; pos += readBuf.length) {
    const n = stream.copy(readBuf, 0, pos, pos + readBuf.length);
    d.append(readBuf.subarray(0, n), true);
    for (let i = 0; i < stopAfter; i++) {
      const f = d.next();
      if (!f) break;
      got.push(f);
    }
    stopAfter = 100;
    d.retain();
    readBuf.fill(0xee); // the caller reuses the memory
  }
  for (let f = d.next(); f; f = d.next()) got.push(f);
  assert.equal(got.map((f) => f.toString()), ['one', 'two', 'x'.repeat(30), 'four']);
  for (const f of got) assert.ok(f.buffer !== readBuf.buffer, 'no frame is a view of the reused buffer');
  assert.is(d.buffered, 0);
});

test('transient chunk: a frame wholly inside it comes from frameBuffer when given', () => {
  const sizes: number[] = [];
  const d = new FrameDecoder(100, { frameBuffer: (n) => { sizes.push(n); return Buffer.alloc(32); } });
  const chunk = Buffer.concat([frame('abc'), frame('de')]);
  d.append(chunk, true);
  const a = d.next()!, b = d.next()!;
  d.retain();
  chunk.fill(0);
  assert.equal([a.toString(), b.toString(), a.length, b.length], ['abc', 'de', 3, 2]);
  assert.equal(sizes, [3, 2]);
  assert.is(d.next(), null);
});

test.run();
